#include "storage/postgres/connection.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <optional>

namespace hb::storage::postgres {

namespace {

// Type OIDs of the binary integer results we read (pg_type.dat).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kByteaOid = 17;

uint64_t BigEndian(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

constexpr std::string_view kStatePrefix = " (SQLSTATE ";

Status ErrorOf(const PGresult* r, PGconn* conn, std::string_view sql) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (msg.empty()) msg = PQerrorMessage(conn);
  std::string code = state ? state : "";
  if (!code.empty()) msg += std::string(kStatePrefix) + code + ")";
  if (spdlog::should_log(spdlog::level::debug))
    spdlog::debug("PostgreSQL error {} in: {}", msg, sql);
  if (code == "23505") return Status(ErrorCode::kConflict, "PostgreSQL: " + msg);
  if (code == "40001" || code == "40P01") {
    return Status(ErrorCode::kUnavailable, "PostgreSQL: " + msg);
  }
  if (code.empty() || code.starts_with("08") || code == "57P01") {
    return Status(ErrorCode::kUnavailable, "PostgreSQL connection: " + msg);
  }
  return Status(ErrorCode::kStorageError, "PostgreSQL: " + msg);
}

}  // namespace

Params& Params::Add(int64_t v) {
  owned_.push_back(std::to_string(v));
  values_.push_back(owned_.back().c_str());
  lengths_.push_back(0);
  formats_.push_back(0);
  types_.push_back(kInt8Oid);
  return *this;
}

Params& Params::Add(std::string_view v) {
  values_.push_back(v.data() ? v.data() : "");
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(1);  // binary text is its bytes
  types_.push_back(kTextOid);
  return *this;
}

Params& Params::AddBytes(std::string_view v) {
  Add(v);
  types_.back() = kByteaOid;
  return *this;
}

Params& Params::AddText(const std::string& v) {
  values_.push_back(v.c_str());
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(0);
  types_.push_back(0);
  return *this;
}

Params& Params::AddBinary(std::string_view v, Oid oid) {
  values_.push_back(v.data() ? v.data() : "");
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(1);
  types_.push_back(oid);
  return *this;
}

Params& Params::AddNull() {
  values_.push_back(nullptr);
  lengths_.push_back(0);
  formats_.push_back(0);
  types_.push_back(0);
  return *this;
}

int64_t PgResult::Int(int row, int col) const {
  if (IsNull(row, col)) return 0;
  const char* p = PQgetvalue(r_.get(), row, col);
  switch (PQftype(r_.get(), col)) {
    case kInt8Oid:
      return static_cast<int64_t>(BigEndian(p, 8));
    case kInt4Oid:
      return static_cast<int32_t>(BigEndian(p, 4));
    case kInt2Oid:
      return static_cast<int16_t>(BigEndian(p, 2));
    case kBoolOid:
      return p[0] != 0;
    default:
      return std::strtoll(p, nullptr, 10);  // a text result
  }
}

int64_t PgResult::Affected() const {
  const char* n = r_ ? PQcmdTuples(r_.get()) : "";
  return *n ? std::strtoll(n, nullptr, 10) : 0;
}

bool IsRetryable(const Status& st) {
  const std::string& m = st.message();
  return st.code() == ErrorCode::kUnavailable && (m.find("(SQLSTATE 40001)") != std::string::npos ||
                                                  m.find("(SQLSTATE 40P01)") != std::string::npos);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (c == nullptr)
    return Status(ErrorCode::kUnavailable, "cannot allocate a PostgreSQL connection");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return Status(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + msg);
  }
  auto conn = std::unique_ptr<Connection>(new Connection(c));
  // Notices (such as "relation exists, skipping") are not errors: keep them out of stderr.
  PQsetNoticeProcessor(
      c, [](void*, const char* m) { spdlog::debug("PostgreSQL: {}", m); }, nullptr);
  HB_RETURN_IF_ERROR(conn->Exec("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'"));
  return conn;
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Result<PgResult> Connection::Check(PGresult* r, std::string_view sql) {
  ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return PgResult(r);
  Status st = ErrorOf(r, conn_, sql);
  if (r) PQclear(r);
  return st;
}

Status Connection::Exec(std::string_view sql) {
  Sync();  // runs the before-statement hook first
  std::string text(sql);
  PGresult* r = PQexec(conn_, text.c_str());
  auto checked = Check(r, sql);
  return checked.ok() ? Status::Ok() : checked.status();
}

Result<std::string> Connection::Prepared(const std::string& sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  Sync();  // PQprepare waits for its answer, which pipeline mode does not allow
  if (prepared_.size() >= kMaxPrepared) {
    HB_RETURN_IF_ERROR(Exec("DEALLOCATE ALL"));
    prepared_.clear();
  }
  std::string name = "hb" + std::to_string(++next_name_);
  HB_ASSIGN_OR_RETURN(
      PgResult prepared,
      Check(PQprepare(conn_, name.c_str(), sql.c_str(), params.size(), params.types()), sql));
  (void)prepared;
  prepared_.emplace(sql, name);
  return name;
}

Result<PgResult> Connection::Query(const std::string& sql, const Params& params) {
  Before();
  if (!pending_.empty() && prepared_.count(sql) && deferred_error_.ok()) {
    // Ride in the round trip that synchronises what is pending.
    std::optional<PgResult> out;
    Send(sql, params, [&out](const PgResult& r) {
      out = r;
      return Status::Ok();
    });
    Sync();
    if (!deferred_error_.ok()) return deferred_error_;
    if (out) return *out;
    return Status(ErrorCode::kStorageError, "PostgreSQL: a pipelined statement had no result");
  }
  Sync();
  if (!deferred_error_.ok()) return deferred_error_;
  HB_ASSIGN_OR_RETURN(std::string name, Prepared(sql, params));
  return Check(PQexecPrepared(conn_, name.c_str(), params.size(), params.values(), params.lengths(),
                              params.formats(), 1),
               sql);
}

Result<PgResult> Connection::QueryOnce(const std::string& sql, const Params& params) {
  Sync();  // runs the before-statement hook first
  if (!deferred_error_.ok()) return deferred_error_;
  return Check(PQexecParams(conn_, sql.c_str(), params.size(), params.types(), params.values(),
                            params.lengths(), params.formats(), 1),
               sql);
}

void Connection::Defer(Status st) {
  if (deferred_error_.ok() && !st.ok()) deferred_error_ = std::move(st);
}

void Connection::Send(const std::string& sql, const Params& params, CheckFn check) {
  Before();
  // Statements with parameters run prepared; those without (SAVEPOINT) unnamed.
  std::string name;
  if (params.size() > 0) {
    auto prepared = Prepared(sql, params);
    if (!prepared.ok()) return Defer(prepared.status());
    name = std::move(prepared).value();
  }
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1) {
    return Defer(ErrorOf(nullptr, conn_, sql));
  }
  // libpq copies the parameters into its output buffer here: they need not outlive the call.
  int sent = name.empty()
                 ? PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1)
                 : PQsendQueryPrepared(conn_, name.c_str(), params.size(), params.values(),
                                       params.lengths(), params.formats(), 1);
  if (sent != 1) return Defer(ErrorOf(nullptr, conn_, sql));
  pending_.push_back(PendingStatement{sql, std::move(check)});
  if (++since_sync_ < kSyncEvery) return;
  // A sync point (it also flushes what is buffered), then the answers the server has had
  // time to give: those before the oldest sync point beyond the window.
  if (PQpipelineSync(conn_) != 1) return Defer(ErrorOf(nullptr, conn_, "pipeline sync"));
  pending_.push_back(PendingStatement{"", nullptr, true});
  since_sync_ = 0;
  ++sync_points_;
  while (sync_points_ > kSyncWindow) ReadOne();
}

void Connection::ReadOne() {
  PendingStatement p = std::move(pending_.front());
  pending_.pop_front();
  if (p.sync_point) {
    --sync_points_;
    for (PGresult* r = PQgetResult(conn_); r; r = PQgetResult(conn_)) {
      bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
      PQclear(r);
      if (sync) break;
    }
    return;
  }
  // Each statement's results end with a NULL; the first result is the statement's.
  PGresult* first = PQgetResult(conn_);
  for (PGresult* more = first ? PQgetResult(conn_) : nullptr; more; more = PQgetResult(conn_))
    PQclear(more);
  if (first && PQresultStatus(first) == PGRES_PIPELINE_ABORTED) {
    PQclear(first);  // skipped after an earlier failure, which is kept already
    Defer(Status(ErrorCode::kStorageError, "PostgreSQL: statement skipped after a failure"));
    return;
  }
  auto checked = Check(first, p.sql);
  if (!checked.ok()) {
    Defer(checked.status());
  } else if (p.check) {
    Defer(p.check(*checked));
  }
}

void Connection::Sync() {
  Before();
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) {
    pending_.clear();
    since_sync_ = sync_points_ = 0;
    return;
  }
  // The last sync point, then every answer (the statements after a failure in a
  // transaction fail too: its first error is the one kept).
  if (pending_.empty() || !pending_.back().sync_point) {
    if (PQpipelineSync(conn_) != 1) {
      Defer(ErrorOf(nullptr, conn_, "pipeline sync"));
    } else {
      pending_.push_back(PendingStatement{"", nullptr, true});
      ++sync_points_;
    }
  }
  while (!pending_.empty()) ReadOne();
  since_sync_ = sync_points_ = 0;
  // Nothing is left to read: pipeline mode ends.
  if (PQexitPipelineMode(conn_) != 1) {
    Defer(ErrorOf(nullptr, conn_, "pipeline end"));
    spdlog::error("cannot leave PostgreSQL pipeline mode: {}", PQerrorMessage(conn_));
  }
}

Status Connection::TakeDeferredError() {
  Sync();
  Status st = std::move(deferred_error_);
  deferred_error_ = Status::Ok();
  return st;
}

bool Connection::Healthy() const {
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  PGTransactionStatusType t = PQtransactionStatus(conn_);
  return t == PQTRANS_IDLE;
}

bool Connection::InTransaction() const {
  PGTransactionStatusType t = PQtransactionStatus(conn_);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace hb::storage::postgres
