#include "storage/sqlite/sqlite_store.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <type_traits>

#include "common/clock.h"
#include "common/embedded.h"
#include "storage/cached_reads.h"
#include "storage/group_writer.h"
#include "storage/identifier_lookup.h"
#include "storage/resource_cache.h"
#include "storage/sql/migrator.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/index_writer.h"
#include "storage/sqlite/queries.h"
#include "storage/sqlite/read_ahead.h"
#include "storage/json_codec.h"
#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/outbox_sql.h"
#include "storage/sqlite/search_sql.h"

HB_EMBEDDED(hb_sql_sqlite_0001)
HB_EMBEDDED(hb_sql_sqlite_0002)
HB_EMBEDDED(hb_sql_sqlite_0003)
HB_EMBEDDED(hb_sql_sqlite_0004)
HB_EMBEDDED(hb_sql_sqlite_0005)
HB_EMBEDDED(hb_sql_sqlite_0006)
HB_EMBEDDED(hb_sql_sqlite_0007)
HB_EMBEDDED(hb_sql_sqlite_0008)
HB_EMBEDDED(hb_sql_sqlite_0009)
HB_EMBEDDED(hb_sql_sqlite_0010)
HB_EMBEDDED(hb_sql_sqlite_0011)

namespace hb::storage::sqlite {

namespace {

const sql::Migration kMigrations[] = {
    {1, "core", hb_sql_sqlite_0001_view()},
    {2, "accounts and audit chain", hb_sql_sqlite_0002_view()},
    {3, "revoked tokens", hb_sql_sqlite_0003_view()},
    {4, "search index", hb_sql_sqlite_0004_view()},
    {5, "live resources by type", hb_sql_sqlite_0005_view()},
    {6, "outbox", hb_sql_sqlite_0006_view()},
    {7, "composite search index", hb_sql_sqlite_0007_view()},
    {8, "position index (near), third composite component", hb_sql_sqlite_0008_view()},
    {9, "full-text index (_text, _content)", hb_sql_sqlite_0009_view()},
    {10, "JSON compression dictionaries", hb_sql_sqlite_0010_view()},
    {11, "store settings", hb_sql_sqlite_0011_view()},
};

class SqliteMigrationTarget : public sql::MigrationTarget {
 public:
  explicit SqliteMigrationTarget(Database& db) : db_(db) {}
  Result<int> CurrentVersion() override {
    HB_ASSIGN_OR_RETURN(auto s, db_.Prepare("PRAGMA user_version"));
    Status st;
    int v = s->Step(&st) ? static_cast<int>(s->Int(0)) : 0;
    if (!st.ok()) return st;
    return v;
  }
  Status Apply(const sql::Migration& m) override {
    HB_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
    Status st = db_.Exec(m.sql);
    if (st.ok()) st = db_.Exec("PRAGMA user_version = " + std::to_string(m.number));
    if (st.ok()) return db_.Exec("COMMIT");
    (void)db_.Exec("ROLLBACK");
    return st;
  }

 private:
  Database& db_;
};

// The read side of a connection, shared by read and write transactions. A read
// transaction runs multi-statement reads (count + page) on one snapshot; a write
// transaction is already inside one.
template <typename Base, bool kInTransaction>
class SqliteReads : public Base {
 public:
  SqliteReads(Database& db, const ParamIds& params) : db_(db), params_(params) {}
  Result<ResourceVersion> Read(std::string_view type, std::string_view id) override {
    return ReadCurrent(db_, type, id);
  }
  Result<std::vector<KeyState>> StatesOf(const std::vector<ResourceKey>& keys) override {
    return ReadStates(db_, keys);
  }
  Result<std::vector<ResourceKey>> SharedCompartment(
      const std::vector<std::string>& patients) override {
    return ReadSharedCompartment(db_, patients);
  }
  Result<ResourceVersion> VRead(std::string_view type, std::string_view id,
                                int64_t version) override {
    return ReadVersion(db_, type, id, version);
  }
  Result<HistoryPage> History(const HistoryQuery& q) override { return Snapshot(q, ReadHistory); }
  Result<SearchResult> Search(const search::SearchQuery& q) override {
    return Snapshot(q, [this](Database& db, const search::SearchQuery& query) {
      return RunSearch(db, params_, query);
    });
  }
  Result<std::vector<ResourceVersion>> Include(const search::IncludeSpec& spec,
                                               const std::vector<ResourceKey>& from,
                                               int limit) override {
    return RunInclude(db_, params_, spec, from, limit);
  }
  Result<int64_t> Count(std::string_view type) override { return CountCurrent(db_, type); }
  Result<std::vector<std::string>> Types() override { return ReadTypes(db_); }
  Result<std::optional<std::string>> Setting(std::string_view key) override {
    return ReadSetting(db_, key);
  }
  Result<RecordFacts> Facts(std::string_view type, std::string_view id) override {
    return ReadFacts(db_, type, id);
  }
  Result<bool> HasCare(std::string_view patient, std::string_view org, int64_t since) override {
    return ReadHasCare(db_, patient, org, since);
  }
  Result<std::vector<AuditRecord>> AuditTrail(std::string_view patient, int count,
                                              std::optional<int64_t> before_seq) override {
    return ReadAuditTrail(db_, patient, count, before_seq);
  }
  Result<bool> ConsentDenies(std::string_view patient, std::string_view org,
                             std::string_view type) override {
    return ReadConsentDenies(db_, patient, org, type);
  }
  Result<std::vector<OutboxItem>> Outbox(const OutboxQuery& q) override {
    return ReadOutbox(db_, q);
  }
  Status Scan(const ScanQuery& q,
              const std::function<Status(const ResourceVersion&)>& fn) override {
    // A scan reads a region of the file in order: read ahead of it (read_ahead.h). A
    // connection not on the read-ahead VFS (the writer's) scans without.
    const bool ahead = SetReadAhead(db_.raw(), true);
    Status st;
    if (kInTransaction) {
      st = ScanResources(db_, q, fn);
    } else {
      st = db_.Exec("BEGIN");
      if (st.ok()) {
        st = ScanResources(db_, q, fn);
        (void)db_.Exec("COMMIT");
      }
    }
    if (ahead) SetReadAhead(db_.raw(), false);
    return st;
  }

 protected:
  template <typename Q, typename Fn>
  std::invoke_result_t<Fn, Database&, const Q&> Snapshot(const Q& q, Fn fn) {
    if (kInTransaction) return fn(db_, q);
    HB_RETURN_IF_ERROR(db_.Exec("BEGIN"));
    auto r = fn(db_, q);
    (void)db_.Exec("COMMIT");
    return r;
  }
  Database& db_;
  const ParamIds& params_;
};

using SqliteReadTxn = SqliteReads<ReadTxn, false>;

// Runs a statement cached on the connection (no SQL parsing per use): the transaction
// and savepoint statements every work item of every commit group runs.
Status RunCached(Database& db, const char* sql) {
  HB_ASSIGN_OR_RETURN(Statement * stmt, db.Cached(sql));
  StatementScope s(*stmt);
  return s->Run();
}

// Savepoints are named by their nesting depth ("n1" for a work item, "n2" for a Nested
// scope inside it ...); the usual depths are cached statements, deeper ones are parsed.
constexpr const char* kSavepointOpen[] = {"SAVEPOINT n1", "SAVEPOINT n2", "SAVEPOINT n3",
                                          "SAVEPOINT n4"};
constexpr const char* kSavepointRelease[] = {"RELEASE n1", "RELEASE n2", "RELEASE n3",
                                             "RELEASE n4"};
constexpr const char* kSavepointRollback[] = {"ROLLBACK TO n1", "ROLLBACK TO n2",
                                              "ROLLBACK TO n3", "ROLLBACK TO n4"};
template <size_t N>
Status Savepoint(Database& db, const char* const (&cached)[N], std::string_view verb, int depth) {
  if (depth >= 1 && static_cast<size_t>(depth) <= N) return RunCached(db, cached[depth - 1]);
  return db.Exec(std::string(verb) + "n" + std::to_string(depth));
}

// Keys written by a commit group, to invalidate in the cache after COMMIT.
using WrittenKeys = GroupWriter::WrittenKeys;

// Whether a criterion (or one inside it: a chain's target, a _has, a _filter) reads the
// full-text index.
bool ReadsFullText(const std::vector<search::Criterion>& criteria) {
  for (const search::Criterion& c : criteria) {
    if (c.kind == search::Criterion::Kind::kFullText || ReadsFullText(c.inner)) return true;
  }
  return false;
}

class SqliteWriteTxn : public SqliteReads<WriteTxn, true>, public IdentifierLookup {
 public:
  SqliteWriteTxn(Database& db, const ParamIds& params, int64_t now, WrittenKeys& written,
                 FullTextBuffer& fulltext)
      : SqliteReads(db, params), now_(now), written_(written), fulltext_(fulltext) {}
  int64_t Now() const override { return now_; }
  Status Put(const PutRequest& r) override {
    written_.emplace_back(r.type, r.id);  // also when rolled back: invalidating is harmless
    return WriteVersion(db_, params_, r, fulltext_);
  }
  // A search of _text or _content in the write transaction (a conditional create, a
  // transaction's conditional reference) sees the group's full-text rows so far.
  Result<SearchResult> Search(const search::SearchQuery& q) override {
    if (fulltext_.pending() && ReadsFullText(q.criteria)) HB_RETURN_IF_ERROR(fulltext_.Apply(db_));
    return SqliteReads::Search(q);
  }
  // On the writer connection inside the group's transaction: sees the group's own writes.
  Result<std::optional<std::vector<ResourceVersion>>> FindByIdentifier(
      std::string_view type, std::string_view system, std::string_view value,
      int limit) override {
    return RunIdentifierLookup(db_, params_, type, system, value, limit);
  }
  Status AppendAudit(std::vector<AuditRecord>& records) override {
    return AppendAuditRecords(db_, records);
  }
  Result<bool> EnqueueOutbox(std::string_view topic, std::string_view key,
                             std::string_view payload) override {
    return EnqueueOutboxRow(db_, now_, topic, key, payload);
  }
  Status UpdateOutbox(int64_t seq, const OutboxUpdate& update) override {
    return UpdateOutboxRow(db_, now_, seq, update);
  }
  Status RequeueOutbox(int64_t seq, std::optional<std::string_view> payload) override {
    return RequeueOutboxRow(db_, now_, seq, payload);
  }
  Status ReplaceSearchIndex(std::string_view type, std::string_view id,
                            const search::IndexEntries& entries) override {
    HB_ASSIGN_OR_RETURN(int64_t rid, LiveRid(db_, type, id));
    HB_RETURN_IF_ERROR(ClearIndexRows(db_, rid, fulltext_));
    return WriteIndexRows(db_, params_, type, rid, entries, fulltext_);
  }
  Status SetSetting(std::string_view key, std::optional<std::string_view> value) override {
    return WriteSetting(db_, key, value);
  }
  // Runs a work item with no savepoint of its own: for the first item of a transaction,
  // whose failure RunGroup undoes with ROLLBACK (nothing else is in the transaction yet).
  // A savepoint copies each page the item changes into the statement journal first; this
  // spares that for every group's first item.
  static Status RunFirst(const std::function<Status()>& fn) {
    try {
      return fn();
    } catch (const std::exception& e) {
      return Status(ErrorCode::kInternal, std::string("unexpected failure: ") + e.what());
    }
  }
  Status Nested(const std::function<Status()>& fn) override {
    const int depth = ++depth_;
    const FullTextBuffer::Mark mark = fulltext_.Open();
    Status opened = Savepoint(db_, kSavepointOpen, "SAVEPOINT ", depth);
    if (!opened.ok()) {
      --depth_;
      return opened;
    }
    Status st = RunFirst(fn);  // the same guard against exceptions
    if (!st.ok()) {
      (void)Savepoint(db_, kSavepointRollback, "ROLLBACK TO ", depth);
      fulltext_.RollBack(mark);
    }
    (void)Savepoint(db_, kSavepointRelease, "RELEASE ", depth);
    --depth_;
    return st;
  }

 private:
  int64_t now_;
  WrittenKeys& written_;
  FullTextBuffer& fulltext_;  // the group's (RunGroup)
  int depth_ = 0;
};

class SqliteStore : public ResourceStore {
 public:
  SqliteStore(SqliteStoreOptions options, std::unique_ptr<Database> writer, ParamIds params)
      : options_(std::move(options)),
        writer_db_(std::move(writer)),
        params_(std::move(params)),
        cache_(options_.cache_bytes),
        facts_cache_(options_.cache_bytes / 8) {
    if (options_.checkpoint_frames > 0) {
      auto c = Checkpointer::Start(options_.path, *writer_db_, options_.checkpoint_frames);
      if (c.ok()) {
        checkpointer_ = std::move(c).value();
      } else {  // SQLite's own checkpoints on the writer remain: slower, still correct
        spdlog::warn("background checkpoints unavailable: {}", c.status().ToString());
      }
    }
    writer_ = std::make_unique<GroupWriter>(
        options_.max_group, cache_, facts_cache_,
        [this](std::vector<GroupWriter::Item>& group, std::vector<Status>& results,
               WrittenKeys& written) { return RunGroup(group, results, written); });
  }
  ~SqliteStore() override { Close(); }

  void AddCommitListener(CommitListener listener) override {
    writer_->AddListener(std::move(listener));
  }

  std::unique_ptr<ReadTxn> BeginRead() override {
    std::unique_ptr<Database> db;
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      if (!pool_.empty()) {
        db = std::move(pool_.back());
        pool_.pop_back();
      }
    }
    if (!db) {
      OpenOptions o;
      o.read_only = true;
      auto opened = Database::Open(options_.path, o);
      if (!opened.ok()) {
        spdlog::error("cannot open a read connection: {}", opened.status().ToString());
        std::abort();  // the writer opened the same file moments ago: this is a bug or a dead disk
      }
      db = std::move(opened).value();
    }
    return std::make_unique<PooledReadTxn>(this, std::move(db));
  }

  void Write(WorkFn work, DoneFn done) override { writer_->Write(std::move(work), std::move(done)); }

  StoreStats Stats() override {
    StoreStats s;
    auto txn = BeginRead();
    auto n = txn->Count("");
    if (n.ok()) s.resources = *n;
    s.commit_groups = writer_->groups();
    s.committed_writes = writer_->writes();
    return s;
  }

  Result<AuditChainReport> VerifyAuditChain() override {
    std::unique_ptr<ReadTxn> txn = BeginRead();
    auto* pooled = static_cast<PooledReadTxn*>(txn.get());
    HB_RETURN_IF_ERROR(pooled->db().Exec("BEGIN"));
    auto report = CheckAuditChain(pooled->db());
    (void)pooled->db().Exec("COMMIT");
    return report;
  }

  void Close() override {
    if (closed_.exchange(true)) return;
    writer_->Close();
    checkpointer_.reset();
    std::lock_guard<std::mutex> lock(pool_mu_);
    pool_.clear();
    if (writer_db_) (void)writer_db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    writer_db_.reset();
  }

 private:
  class PooledReadTxn : public CachedReads<SqliteReadTxn> {
   public:
    PooledReadTxn(SqliteStore* store, std::unique_ptr<Database> db)
        : CachedReads(store->cache_, store->facts_cache_, *db, store->params_),
          store_(store),
          owned_(std::move(db)) {}
    Database& db() { return *owned_; }
    ~PooledReadTxn() override {
      std::lock_guard<std::mutex> lock(store_->pool_mu_);
      store_->pool_.push_back(std::move(owned_));
    }

   private:
    SqliteStore* store_;
    std::unique_ptr<Database> owned_;
  };

  // One commit group (GroupWriter::RunGroupFn): every item in its savepoint of one
  // BEGIN IMMEDIATE transaction, the full-text rows of the items that kept their work
  // (FullTextBuffer), one COMMIT (one fsync). When the full-text rows cannot be written
  // the group fails as at a failed COMMIT. Until an item has kept its work the transaction
  // holds nothing else, so that item runs without a savepoint: when it fails, ROLLBACK
  // undoes it and a new BEGIN IMMEDIATE starts the transaction for the rest.
  Status RunGroup(std::vector<GroupWriter::Item>& group, std::vector<Status>& results,
                  WrittenKeys& written) {
    Status begin = RunCached(*writer_db_, "BEGIN IMMEDIATE");
    if (!begin.ok()) return begin;
    FullTextBuffer fulltext;
    bool empty = true;  // no item has kept its work yet
    for (size_t i = 0; i < group.size(); ++i) {
      SqliteWriteTxn txn(*writer_db_, params_, writer_->NextTime(), written, fulltext);
      if (!empty) {
        results[i] = txn.Nested([&] { return group[i].work(txn); });
        continue;
      }
      results[i] = txn.RunFirst([&] { return group[i].work(txn); });
      if (results[i].ok()) {
        empty = false;
        continue;
      }
      (void)RunCached(*writer_db_, "ROLLBACK");
      fulltext.RollBack(FullTextBuffer::Mark{});
      begin = RunCached(*writer_db_, "BEGIN IMMEDIATE");
      if (!begin.ok()) return begin;  // the items after this one fail with it
    }
    Status commit = fulltext.Apply(*writer_db_);
    if (commit.ok()) commit = RunCached(*writer_db_, "COMMIT");
    if (!commit.ok()) {
      (void)writer_db_->Exec("ROLLBACK");
      spdlog::error("commit of {} writes failed: {}", group.size(), commit.ToString());
    }
    return commit;
  }

  SqliteStoreOptions options_;
  std::unique_ptr<Database> writer_db_;
  std::unique_ptr<Checkpointer> checkpointer_;  // before writer_db_'s end (Close)
  const ParamIds params_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Database>> pool_;
  ResourceCache cache_;
  FactsCache facts_cache_;
  std::unique_ptr<GroupWriter> writer_;  // after what its groups use
  std::atomic<bool> closed_{false};
};

Result<ParamIds> InternParams(Database& db,
                              const std::vector<std::pair<std::string, std::string>>& wanted) {
  HB_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  ParamIds ids;
  Status st;
  {
    HB_ASSIGN_OR_RETURN(Statement * ins,
                        db.Cached("INSERT OR IGNORE INTO search_param (type, code) VALUES (?1, ?2)"));
    for (const auto& [type, code] : wanted) {
      StatementScope s(*ins);
      s->BindStatic(1, type);
      s->BindStatic(2, code);
      st = s->Run();
      if (!st.ok()) break;
    }
  }
  if (st.ok()) {
    HB_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT pid, type, code FROM search_param"));
    while (s->Step(&st)) ids.emplace(ParamKey(s->Text(1), s->Text(2)), s->Int(0));
  }
  if (!st.ok()) {
    (void)db.Exec("ROLLBACK");
    return st;
  }
  HB_RETURN_IF_ERROR(db.Exec("COMMIT"));
  return ids;
}

// Keeps the dictionary this build compresses with, and registers every dictionary the store
// was written with (json_codec.h).
Status LoadJsonDictionaries(Database& db) {
  JsonDictionary built_in = BuiltInJsonDictionary();
  {  // once, at open: not worth a place in the statement cache
    HB_ASSIGN_OR_RETURN(auto ins, db.Prepare("INSERT OR IGNORE INTO json_dictionary (id, bytes) "
                                             "VALUES (?1, ?2)"));
    ins->Bind(1, static_cast<int64_t>(built_in.id));
    ins->BindBlobStatic(2, built_in.bytes);
    HB_RETURN_IF_ERROR(ins->Run());
  }
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT id, bytes FROM json_dictionary"));
  Status st;
  while (s->Step(&st)) {
    HB_RETURN_IF_ERROR(RegisterJsonDictionary(static_cast<uint32_t>(s->Int(0)), s->Blob(1)));
  }
  return st;
}

}  // namespace

Result<std::unique_ptr<ResourceStore>> OpenSqliteStore(const SqliteStoreOptions& options) {
  OpenOptions o;
  o.synchronous_full = options.synchronous_full;
  HB_ASSIGN_OR_RETURN(auto db, Database::Open(options.path, o));
  SqliteMigrationTarget target(*db);
  HB_ASSIGN_OR_RETURN(int applied, sql::RunMigrations(target, kMigrations));
  (void)applied;
  HB_RETURN_IF_ERROR(CheckIndexSchema(*db));
  HB_ASSIGN_OR_RETURN(ParamIds params, InternParams(*db, options.search_params));
  HB_RETURN_IF_ERROR(LoadJsonDictionaries(*db));
  return std::unique_ptr<ResourceStore>(
      new SqliteStore(options, std::move(db), std::move(params)));
}

}  // namespace hb::storage::sqlite
