#include "storage/postgres/postgres_store.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "common/clock.h"
#include "common/embedded.h"
#include "storage/batch_reads.h"
#include "storage/bulk_load.h"
#include "storage/cached_reads.h"
#include "storage/group_writer.h"
#include "storage/json_codec.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/pg_queries.h"
#include "storage/postgres/pool.h"
#include "storage/resource_cache.h"
#include "storage/sql/migrator.h"
#include "storage/sql/rows.h"
#include "storage/sql/search_builder.h"

HB_EMBEDDED(hb_sql_postgresql_0001)
HB_EMBEDDED(hb_sql_postgresql_0002)
HB_EMBEDDED(hb_sql_postgresql_0003)
HB_EMBEDDED(hb_sql_postgresql_0004)
HB_EMBEDDED(hb_sql_postgresql_0005)
HB_EMBEDDED(hb_sql_postgresql_0006)
HB_EMBEDDED(hb_sql_postgresql_0007)
HB_EMBEDDED(hb_sql_postgresql_0008)

namespace hb::storage::postgres {

namespace {

const sql::Migration kMigrations[] = {
    {1, "core", hb_sql_postgresql_0001_view()},
    {2, "accounts and audit chain", hb_sql_postgresql_0002_view()},
    {3, "search index", hb_sql_postgresql_0003_view()},
    {4, "outbox", hb_sql_postgresql_0004_view()},
    {5, "position index (near), third composite component", hb_sql_postgresql_0005_view()},
    {6, "full-text index (_text, _content)", hb_sql_postgresql_0006_view()},
    {7, "JSON compression dictionaries", hb_sql_postgresql_0007_view()},
    {8, "store settings", hb_sql_postgresql_0008_view()},
};

// Advisory lock keys (pg_advisory_xact_lock): one for migrations, one for writers.
constexpr int64_t kMigrationLock = 0x6862'0001;  // "hb" 1
constexpr int64_t kWriterLock = 0x6862'0002;

class PgMigrationTarget : public sql::MigrationTarget {
 public:
  explicit PgMigrationTarget(Connection& c) : c_(c) {}
  Result<int> CurrentVersion() override {
    HB_RETURN_IF_ERROR(
        c_.Exec("CREATE TABLE IF NOT EXISTS hb_schema_version (version integer "
                "NOT NULL); INSERT INTO hb_schema_version SELECT 0 WHERE NOT "
                "EXISTS (SELECT 1 FROM hb_schema_version)"));
    Params none;
    HB_ASSIGN_OR_RETURN(PgResult r, c_.Query("SELECT version FROM hb_schema_version", none));
    return static_cast<int>(r.Int(0, 0));
  }
  // Under a lock, and only if nobody applied it meanwhile: processes that start together
  // migrate once.
  Status Apply(const sql::Migration& m) override {
    HB_RETURN_IF_ERROR(c_.Exec("BEGIN"));
    Status st = Locked(m);
    if (st.ok()) return c_.Exec("COMMIT");
    (void)c_.Exec("ROLLBACK");
    return st;
  }

 private:
  Status Locked(const sql::Migration& m) {
    HB_RETURN_IF_ERROR(
        c_.Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")"));
    Params none;
    HB_ASSIGN_OR_RETURN(PgResult r, c_.Query("SELECT version FROM hb_schema_version", none));
    if (r.Int(0, 0) >= m.number) return Status::Ok();
    HB_RETURN_IF_ERROR(c_.Exec(m.sql));
    return c_.Exec("UPDATE hb_schema_version SET version = " + std::to_string(m.number));
  }
  Connection& c_;
};

// Binds of the shared search SQL, as libpq parameters (`binds` must outlive the call).
void ToParams(const std::vector<sql::BindValue>& binds, Params& p) {
  for (const sql::BindValue& v : binds) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      p.Add(*i);
    } else {
      p.Add(std::string_view(std::get<std::string>(v)));
    }
  }
}

// The lookups shared search SQL needs, on the search's own connection.
class PgLookups : public sql::SqlLookups {
 public:
  explicit PgLookups(Connection& c) : c_(c) {}
  std::vector<std::string> Strings(const std::string& sql,
                                   const std::vector<sql::BindValue>& binds) override {
    Params p;
    ToParams(binds, p);
    auto r = c_.Query(sql, p);
    std::vector<std::string> out;
    if (!r.ok()) return out;
    for (int i = 0; i < r->Rows(); ++i) out.emplace_back(r->Text(i, 0));
    return out;
  }
  int64_t Count(const std::string& sql, const std::vector<sql::BindValue>& binds) override {
    Params p;
    ToParams(binds, p);
    auto r = c_.Query(sql, p);
    if (!r.ok() || r->Rows() == 0) return -1;
    return r->Int(0, 0);
  }

 private:
  Connection& c_;
};

Result<SearchResult> RunSearch(Connection& c, const ParamIds& params,
                               const search::SearchQuery& q) {
  PgLookups lookups(c);
  HB_ASSIGN_OR_RETURN(sql::SearchSql s,
                      sql::BuildSearch(sql::PostgresDialect(), params, &lookups, q));
  SearchResult result;
  if (s.empty) return result;
  Params p;
  ToParams(s.binds, p);
  if (q.total || q.summary_count) {
    HB_ASSIGN_OR_RETURN(PgResult r, c.Query(s.count_sql, p));
    result.total = r.Rows() ? r.Int(0, 0) : 0;
  }
  if (q.summary_count || q.count == 0) return result;
  if (spdlog::should_log(spdlog::level::debug)) spdlog::debug("search SQL: {}", s.page_sql);
  HB_ASSIGN_OR_RETURN(PgResult r, c.Query(s.page_sql, p));
  for (int i = 0; i < r.Rows(); ++i) {
    HB_ASSIGN_OR_RETURN(ResourceVersion v, VersionRow(r, i));
    result.matches.push_back(std::move(v));
  }
  return result;
}

Result<std::vector<ResourceVersion>> RunInclude(Connection& c, const ParamIds& params,
                                                const search::IncludeSpec& spec,
                                                const std::vector<ResourceKey>& from, int limit) {
  HB_ASSIGN_OR_RETURN(sql::IncludeSql s,
                      sql::BuildInclude(sql::PostgresDialect(), params, spec, from, limit));
  std::vector<ResourceVersion> out;
  if (s.empty) return out;
  Params p;
  ToParams(s.binds, p);
  // The id lists vary in length: prepared statements would not recur.
  HB_ASSIGN_OR_RETURN(PgResult r, c.QueryOnce(s.sql, p));
  for (int i = 0; i < r.Rows(); ++i) {
    HB_ASSIGN_OR_RETURN(ResourceVersion v, VersionRow(r, i));
    out.push_back(std::move(v));
  }
  return out;
}

// The read side of a connection, shared by read and write transactions. Outside a write,
// reads of more than one statement run in one REPEATABLE READ snapshot.
template <typename Base, bool kInTransaction>
class PgReads : public Base, public BatchReads {
 public:
  PgReads(Connection& c, const ParamIds& params) : c_(c), params_(params) {}
  Result<ResourceVersion> Read(std::string_view type, std::string_view id) override {
    return ReadCurrent(c_, type, id);
  }
  Result<std::vector<ResourceVersion>> ReadMany(const std::vector<ResourceKey>& keys) override {
    return ReadCurrentMany(c_, keys);
  }
  Result<std::vector<KeyState>> StatesOf(const std::vector<ResourceKey>& keys) override {
    return ReadStatesMany(c_, keys);
  }
  Result<std::vector<ResourceKey>> SharedCompartment(
      const std::vector<std::string>& patients) override {
    return ReadSharedCompartment(c_, patients);
  }
  Result<ResourceVersion> VRead(std::string_view type, std::string_view id,
                                int64_t version) override {
    return ReadVersion(c_, type, id, version);
  }
  Result<HistoryPage> History(const HistoryQuery& q) override {
    return Snapshot([&] { return ReadHistory(c_, q); });
  }
  Result<SearchResult> Search(const search::SearchQuery& q) override {
    return Snapshot([&] { return RunSearch(c_, params_, q); });
  }
  Result<std::vector<ResourceVersion>> Include(const search::IncludeSpec& spec,
                                               const std::vector<ResourceKey>& from,
                                               int limit) override {
    return RunInclude(c_, params_, spec, from, limit);
  }
  Result<int64_t> Count(std::string_view type) override { return CountCurrent(c_, type); }
  Result<std::vector<std::string>> Types() override { return ReadTypes(c_); }
  Result<std::optional<std::string>> Setting(std::string_view key) override {
    return ReadSetting(c_, key);
  }
  Result<RecordFacts> Facts(std::string_view type, std::string_view id) override {
    return ReadFacts(c_, type, id);
  }
  Result<bool> HasCare(std::string_view patient, std::string_view org, int64_t since) override {
    return ReadHasCare(c_, patient, org, since);
  }
  Result<std::vector<AuditRecord>> AuditTrail(std::string_view patient, int count,
                                              std::optional<int64_t> before_seq) override {
    return ReadAuditTrail(c_, patient, count, before_seq);
  }
  Result<bool> ConsentDenies(std::string_view patient, std::string_view org,
                             std::string_view type) override {
    return ReadConsentDenies(c_, patient, org, type);
  }
  Result<std::vector<OutboxItem>> Outbox(const OutboxQuery& q) override {
    return ReadOutbox(c_, q);
  }
  Status Scan(const ScanQuery& q,
              const std::function<Status(const ResourceVersion&)>& fn) override {
    return Snapshot([&] { return ScanResources(c_, q, fn); });
  }

 protected:
  // The BEGIN is pipelined: it rides in the round trip of the first prepared statement
  // (a search's count or page), one round trip less per search on a busy machine, where
  // each costs a wake-up of the server process.
  template <typename Fn>
  std::invoke_result_t<Fn> Snapshot(Fn fn) {
    if (kInTransaction || c_.InTransaction()) return fn();
    c_.Send("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", Params());
    auto r = fn();
    Status begun = c_.TakeDeferredError();  // a failed BEGIN, or what fn met of it
    Status end = c_.Exec(r.ok() && begun.ok() ? "COMMIT" : "ROLLBACK");
    if (!begun.ok()) return begun;
    if (r.ok() && !end.ok()) return end;
    return r;
  }
  Connection& c_;
  const ParamIds& params_;
};

using PgReadTxn = PgReads<ReadTxn, false>;
using WrittenKeys = GroupWriter::WrittenKeys;

// BatchReads (storage/batch_reads.h): what a ReadMany found, and that a key it was asked
// about does not exist, answers this transaction's Read of that key until the transaction
// writes it (Put forgets the key; a later Read asks the database again, which sees the
// write). Nothing else changes a resource's current version inside the writer's
// transaction (one writer at a time, under the advisory lock), so the answer stays true;
// a rolled-back savepoint can only undo a Put, whose key is already forgotten.
class PgWriteTxn : public PgReads<WriteTxn, true> {
 public:
  PgWriteTxn(Connection& c, const ParamIds& params, int64_t now, WrittenKeys& written)
      : PgReads(c, params), now_(now), written_(written) {
    // Batched creates go out before any other statement on the writer connection, so that
    // every read and write after a Put sees it, in the order the work did them.
    c_.SetBeforeStatement([this] { FlushCreates(); });
  }
  ~PgWriteTxn() override {
    FlushCreates();  // empty after Nested, which synchronises at its end
    c_.SetBeforeStatement(nullptr);
  }
  PgWriteTxn(const PgWriteTxn&) = delete;
  PgWriteTxn& operator=(const PgWriteTxn&) = delete;
  int64_t Now() const override { return now_; }
  Result<ResourceVersion> Read(std::string_view type, std::string_view id) override {
    if (!known_.empty()) {
      auto it = known_.find(KeyOf(type, id));
      if (it != known_.end()) {
        if (!it->second) return sql::NotKnown(type, id);
        return *it->second;
      }
    }
    return PgReads::Read(type, id);
  }
  Result<std::vector<ResourceVersion>> ReadMany(const std::vector<ResourceKey>& keys) override {
    HB_ASSIGN_OR_RETURN(std::vector<ResourceVersion> found, ReadCurrentMany(c_, keys));
    for (const ResourceKey& k : keys) known_[KeyOf(k.type, k.id)].reset();
    for (const ResourceVersion& v : found) known_[KeyOf(v.type, v.id)] = v;
    return found;
  }
  // A new resource joins the batch of creates (pg_queries.h CreateBatch): one statement
  // for many, sent when full, before any other statement, and at the end of the scope. A
  // new version is written at once (its statements send the batch first).
  Status Put(const PutRequest& r) override {
    written_.emplace_back(r.type, r.id);
    if (!known_.empty()) known_.erase(KeyOf(r.type, r.id));
    if (r.version != 1) return WriteVersion(c_, params_, r);
    if (creates_.Holds(r.type, r.id)) FlushCreates();  // its second create fails alone
    creates_.Add(params_, r);
    if (creates_.Full()) FlushCreates();
    return Status::Ok();
  }
  Status AppendAudit(std::vector<AuditRecord>& records) override {
    return AppendAuditRecords(c_, records);
  }
  Result<bool> EnqueueOutbox(std::string_view topic, std::string_view key,
                             std::string_view payload) override {
    return EnqueueOutboxRow(c_, now_, topic, key, payload);
  }
  Status UpdateOutbox(int64_t seq, const OutboxUpdate& update) override {
    return UpdateOutboxRow(c_, now_, seq, update);
  }
  Status RequeueOutbox(int64_t seq, std::optional<std::string_view> payload) override {
    return RequeueOutboxRow(c_, now_, seq, payload);
  }
  Status ReplaceSearchIndex(std::string_view type, std::string_view id,
                            const search::IndexEntries& entries) override {
    return ReplaceIndexRows(c_, params_, type, id, entries);
  }
  Status SetSetting(std::string_view key, std::optional<std::string_view> value) override {
    return WriteSetting(c_, key, value);
  }
  // Pipelined (connection.h): the SAVEPOINT and the item's writes whose answers are not
  // read at once (WriteVersion) travel together; the scope ends by synchronising them, so
  // a failure among them fails this scope (it came first: the work would have stopped
  // there) and is rolled back here, never seen by an enclosing scope.
  Status Nested(const std::function<Status()>& fn) override {
    // What the enclosing scope sent is answered first: a failure there is its to handle.
    FlushCreates();
    if (c_.Pending() > 0) c_.Sync();
    if (c_.HasDeferredError()) {
      return Status(ErrorCode::kStorageError, "PostgreSQL: an earlier statement failed");
    }
    std::string name = "n" + std::to_string(++depth_);
    c_.Send("SAVEPOINT " + name, Params());
    Status st;
    try {
      st = fn();
    } catch (const std::exception& e) {
      st = Status(ErrorCode::kInternal, std::string("unexpected failure: ") + e.what());
    }
    if (Status deferred = c_.TakeDeferredError(); !deferred.ok()) st = std::move(deferred);
    // A savepoint that did its work is left in place rather than released: one round trip
    // less per work item; COMMIT releases them all, and a later savepoint of the same name
    // shadows it (ROLLBACK TO names the newest).
    Status end = st.ok() ? Status::Ok() : c_.Exec("ROLLBACK TO " + name);
    --depth_;
    if (st.ok() && !end.ok()) return end;
    return st;
  }

 private:
  void FlushCreates() {
    if (!creates_.empty()) creates_.Send(c_);
  }

  int64_t now_;
  WrittenKeys& written_;
  CreateBatch creates_;
  int depth_ = 0;
  std::unordered_map<std::string, std::optional<ResourceVersion>> known_;  // from ReadMany
};

class PostgresStore : public ResourceStore, public BulkLoadAware {
 public:
  PostgresStore(PostgresStoreOptions options, std::unique_ptr<Connection> writer, ParamIds params)
      : options_(std::move(options)),
        writer_(std::move(writer)),
        params_(std::move(params)),
        pool_(options_.url, options_.pool_size),
        cache_(options_.cache_bytes),
        facts_cache_(options_.cache_bytes / 8) {
    queue_ = std::make_unique<GroupWriter>(
        options_.max_group, cache_, facts_cache_,
        [this](std::vector<GroupWriter::Item>& group, std::vector<Status>& results,
               WrittenKeys& written) { return RunGroup(group, results, written); });
  }
  ~PostgresStore() override { Close(); }

  void AddCommitListener(CommitListener listener) override {
    queue_->AddListener(std::move(listener));
  }

  std::unique_ptr<ReadTxn> BeginRead() override {
    auto lease = pool_.Acquire();
    for (int attempt = 0; !lease.ok() && attempt < 20; ++attempt) {
      // The server restarts or is briefly out of connections: wait rather than fail.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      lease = pool_.Acquire();
    }
    if (!lease.ok()) {
      spdlog::error("cannot open a read connection: {}", lease.status().ToString());
      std::abort();  // the interface has no failure path here; the server is gone
    }
    return std::make_unique<PooledReadTxn>(this, std::move(lease).value());
  }

  void Write(WorkFn work, DoneFn done) override { queue_->Write(std::move(work), std::move(done)); }

  StoreStats Stats() override {
    StoreStats s;
    auto txn = BeginRead();
    auto n = txn->Count("");
    if (n.ok()) s.resources = *n;
    s.commit_groups = queue_->groups();
    s.committed_writes = queue_->writes();
    return s;
  }

  // New table statistics for the planner at once (storage/bulk_load.h): ANALYZE samples a
  // bounded number of rows per table, seconds even for a province's database.
  Status AfterBulkLoad() override {
    HB_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_.Acquire());
    return lease->Exec("ANALYZE");
  }

  Result<AuditChainReport> VerifyAuditChain() override {
    HB_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_.Acquire());
    HB_RETURN_IF_ERROR(lease->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    auto report = CheckAuditChain(*lease);
    (void)lease->Exec("COMMIT");
    return report;
  }

  void Close() override {
    if (closed_.exchange(true)) return;
    queue_->Close();
    pool_.Clear();
    writer_.reset();
  }

 private:
  // A read transaction on a leased connection, through the caches.
  class PooledReadTxn : public CachedReads<PgReadTxn> {
   public:
    PooledReadTxn(PostgresStore* store, ConnectionPool::Lease lease)
        : CachedReads(store->cache_, store->facts_cache_, *lease, store->params_),
          lease_(std::move(lease)) {}

   private:
    ConnectionPool::Lease lease_;
  };

  // A lost writer connection is opened again before the next group.
  Status EnsureWriter() {
    if (writer_ && PQstatus(writer_->raw()) == CONNECTION_OK) return Status::Ok();
    HB_ASSIGN_OR_RETURN(writer_, Connection::Open(options_.url));
    if (!options_.synchronous_commit) {
      HB_RETURN_IF_ERROR(writer_->Exec("SET synchronous_commit = off"));
    }
    return Status::Ok();
  }

  void Backoff(int attempt) {
    thread_local std::mt19937 rng(std::random_device{}());
    int base = 2 << std::min(attempt, 6);  // ms
    std::uniform_int_distribution<int> jitter(base / 2, base * 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
  }

  Status BeginGroup() {
    HB_RETURN_IF_ERROR(EnsureWriter());
    (void)writer_->TakeDeferredError();  // nothing may carry over from a failed group
    // One round trip for both (pipelined). One writer at a time on this database, across
    // processes (see the header).
    writer_->Send("BEGIN ISOLATION LEVEL READ COMMITTED", Params());
    writer_->Send("SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLock) + ")", Params());
    Status st = writer_->TakeDeferredError();
    if (!st.ok() && writer_->InTransaction()) (void)writer_->Exec("ROLLBACK");
    return st;
  }

  // One commit group (GroupWriter::RunGroupFn): under the writer lock, every item in its
  // savepoint (run again on a serialization failure or deadlock), one COMMIT.
  Status RunGroup(std::vector<GroupWriter::Item>& group, std::vector<Status>& results,
                  WrittenKeys& written) {
    Status begin = BeginGroup();
    for (int attempt = 0; !begin.ok() && attempt < kMaxRetries; ++attempt) {
      Backoff(attempt);
      writer_.reset();  // reconnect
      begin = BeginGroup();
    }
    if (!begin.ok()) return begin;
    for (size_t i = 0; i < group.size(); ++i) {
      for (int attempt = 0;; ++attempt) {
        PgWriteTxn txn(*writer_, params_, queue_->NextTime(), written);
        results[i] = txn.Nested([&] { return group[i].work(txn); });
        if (!IsRetryable(results[i]) || attempt + 1 >= kMaxRetries) break;
        Backoff(attempt);
      }
    }
    // Every Nested scope synchronised its statements; a failure still kept is not committed.
    Status commit = writer_->TakeDeferredError();
    if (commit.ok()) commit = writer_->Exec("COMMIT");
    if (!commit.ok()) {
      (void)writer_->Exec("ROLLBACK");
      spdlog::error("commit of {} writes failed: {}", group.size(), commit.ToString());
    }
    return commit;
  }

  PostgresStoreOptions options_;
  std::unique_ptr<Connection> writer_;  // writer thread only
  const ParamIds params_;
  ConnectionPool pool_;
  ResourceCache cache_;
  FactsCache facts_cache_;
  std::unique_ptr<GroupWriter> queue_;  // after what its groups use
  std::atomic<bool> closed_{false};
};

Result<ParamIds> InternParams(Connection& c,
                              const std::vector<std::pair<std::string, std::string>>& wanted) {
  std::string types = "{", codes = "{";
  auto add = [](std::string& list, const std::string& v) {
    if (list.size() > 1) list += ',';
    list += '"';
    for (char ch : v) {
      if (ch == '"' || ch == '\\') list += '\\';
      list += ch;
    }
    list += '"';
  };
  for (const auto& [type, code] : wanted) add(types, type), add(codes, code);
  types += '}';
  codes += '}';
  Params p;
  p.AddText(types).AddText(codes);
  HB_ASSIGN_OR_RETURN(PgResult ins,
                      c.QueryOnce("INSERT INTO search_param (type, code) SELECT * FROM "
                                  "unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
                                  p));
  (void)ins;
  Params none;
  HB_ASSIGN_OR_RETURN(PgResult r, c.QueryOnce("SELECT pid, type, code FROM search_param", none));
  ParamIds ids;
  for (int i = 0; i < r.Rows(); ++i)
    ids.emplace(sql::ParamKey(r.Text(i, 1), r.Text(i, 2)), r.Int(i, 0));
  return ids;
}

// Keeps the dictionary this build compresses with, and registers every dictionary the store
// was written with (json_codec.h).
Status LoadJsonDictionaries(Connection& c) {
  JsonDictionary built_in = BuiltInJsonDictionary();
  Params p;
  p.Add(static_cast<int64_t>(built_in.id)).AddBytes(built_in.bytes);
  HB_ASSIGN_OR_RETURN(PgResult ins,
                      c.QueryOnce("INSERT INTO json_dictionary (id, bytes) VALUES ($1, $2) ON "
                                  "CONFLICT DO NOTHING",
                                  p));
  (void)ins;
  Params none;
  HB_ASSIGN_OR_RETURN(PgResult r, c.QueryOnce("SELECT id, bytes FROM json_dictionary", none));
  for (int i = 0; i < r.Rows(); ++i) {
    HB_RETURN_IF_ERROR(RegisterJsonDictionary(static_cast<uint32_t>(r.Int(i, 0)), r.Text(i, 1)));
  }
  return Status::Ok();
}

Result<int> Migrate(Connection& c) {
  PgMigrationTarget target(c);
  return sql::RunMigrations(target, kMigrations);
}

}  // namespace

Result<int> MigratePostgres(const std::string& url) {
  HB_ASSIGN_OR_RETURN(auto c, Connection::Open(url));
  return Migrate(*c);
}

Result<std::unique_ptr<ResourceStore>> OpenPostgresStore(const PostgresStoreOptions& options) {
  HB_ASSIGN_OR_RETURN(auto c, Connection::Open(options.url));
  HB_ASSIGN_OR_RETURN(int applied, Migrate(*c));
  (void)applied;
  HB_ASSIGN_OR_RETURN(ParamIds params, InternParams(*c, options.search_params));
  HB_RETURN_IF_ERROR(LoadJsonDictionaries(*c));
  if (!options.synchronous_commit) HB_RETURN_IF_ERROR(c->Exec("SET synchronous_commit = off"));
  return std::unique_ptr<ResourceStore>(
      new PostgresStore(options, std::move(c), std::move(params)));
}

}  // namespace hb::storage::postgres
