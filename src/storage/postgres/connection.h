// Thin RAII wrappers over libpq: Params, PgResult and Connection.
//
// Contract: a Connection is one libpq connection used by one thread at a time; it is not
// thread-safe (the pool hands each one to one thread). Statements run through Query() are
// prepared once per connection (server-side, keyed by their text) and reused; parameters
// travel out of line (never spliced into SQL text). Results come back in binary format:
// Int() reads int2/int4/int8/bool columns, Text() the raw bytes of text and bytea columns.
// Failures are a Status: kConflict for a unique violation (23505), kUnavailable for a
// serialization failure or deadlock (40001, 40P01: IsRetryable() says so; the caller may run
// the transaction again), kStorageError otherwise, each with the server's message.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace hb::storage::postgres {

// The parameters of one statement, $1, $2, ... in the order added. A statement prepared
// once is always run with parameters of the same types.
class Params {
 public:
  Params() = default;
  Params(const Params&) = delete;
  Params& operator=(const Params&) = delete;
  Params& Add(int64_t v);
  // Text in binary format (the raw UTF-8 bytes, no NUL needed); `v` must outlive the call.
  Params& Add(std::string_view v);
  Params& Add(const std::string& v) { return Add(std::string_view(v)); }
  Params& Add(const char* v) { return Add(std::string_view(v)); }
  Params& AddBool(bool v) { return Add(static_cast<int64_t>(v ? 1 : 0)); }
  // bytea, sent as raw bytes; `v` must outlive the call.
  Params& AddBytes(std::string_view v);
  Params& AddNull();
  // A value already in PostgreSQL's binary format for the type `oid` (a binary array
  // built by the caller, say); `v` must stay alive and unchanged until the statement ran.
  Params& AddBinary(std::string_view v, Oid oid);
  // Text in text format (array literals, values whose type the server infers from a cast);
  // `v` must stay alive and unchanged until the statement ran.
  Params& AddText(const std::string& v);
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }
  // Declared types (int8, text, bytea; 0 lets the server infer from a cast): a parameter
  // that the SQL never mentions is then no error.
  const Oid* types() const { return types_.data(); }

 private:
  std::deque<std::string> owned_;  // decimal text of integers (stable addresses)
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<Oid> types_;
};

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* r) : r_(r, &PQclear) {}
  int Rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  int64_t Int(int row, int col) const;
  std::string_view Text(int row, int col) const {
    return std::string_view(PQgetvalue(r_.get(), row, col),
                            static_cast<size_t>(PQgetlength(r_.get(), row, col)));
  }
  // Rows changed by an INSERT/UPDATE/DELETE.
  int64_t Affected() const;
  PGresult* raw() const { return r_.get(); }

 private:
  std::shared_ptr<PGresult> r_;
};

// True for a Status from a serialization failure or a deadlock: the transaction may be
// run again.
bool IsRetryable(const Status& st);

class Connection {
 public:
  // `conninfo`: a postgresql:// URL or key=value string.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters (BEGIN, COMMIT, SAVEPOINT, DDL).
  Status Exec(std::string_view sql);
  // Runs `sql` as a statement prepared once per connection (keyed by its text; at most
  // kMaxPrepared, then the cache starts over).
  Result<PgResult> Query(const std::string& sql, const Params& params);
  // Runs `sql` once, unprepared (dynamic SQL that does not recur).
  Result<PgResult> QueryOnce(const std::string& sql, const Params& params);
  static constexpr size_t kMaxPrepared = 1024;

  // Pipelining (libpq pipeline mode): Send() queues a statement whose result only needs
  // checking, not reading now; it goes to the server at once but nobody waits for it.
  // `check` (optional) turns its result into a Status (say, "no row: already exists").
  // The pending statements are synchronised (one round trip for all of them) by Sync(),
  // by TakeDeferredError(), by every Exec/Query/QueryOnce (a Query whose statement is
  // prepared already rides in the same round trip). Every kSyncEvery statements a sync
  // point goes out, and the answers up to the oldest sync point beyond kSyncWindow are read
  // while later statements are still being sent: the server works on one chunk while this
  // side builds the next, and neither side blocks on a full socket.
  // The first failure among them is kept (later ones are aborted by the server anyway):
  // Query and QueryOnce return it instead of running while it is kept; Exec does not
  // (ROLLBACK must still run). TakeDeferredError() synchronises, returns it and clears it.
  using CheckFn = std::function<Status(const PgResult&)>;
  void Send(const std::string& sql, const Params& params, CheckFn check = nullptr);
  void Sync();
  Status TakeDeferredError();
  bool HasDeferredError() const { return !deferred_error_.ok(); }
  size_t Pending() const { return pending_.size(); }
  static constexpr size_t kSyncEvery = 64;
  static constexpr size_t kSyncWindow = 2;
  // True while the connection is usable (not lost, not inside a failed transaction).
  bool Healthy() const;
  bool InTransaction() const;
  PGconn* raw() { return conn_; }

  // Runs `fn` before every statement goes out (Exec, Query, QueryOnce, Send) and before
  // Sync/TakeDeferredError: whoever buffers writes for this connection (the writer's
  // batched creates, pg_writes.cpp) sends them first, so every statement, read or write,
  // sees them and the order of statements is kept. Not re-entered from inside `fn`.
  // Empty: no hook.
  void SetBeforeStatement(std::function<void()> fn) { before_ = std::move(fn); }

 private:
  explicit Connection(PGconn* c) : conn_(c) {}
  Result<PgResult> Check(PGresult* r, std::string_view sql);
  // The prepared statement's name for `sql`, preparing it (synchronously) when new.
  Result<std::string> Prepared(const std::string& sql, const Params& params);
  void Defer(Status st);
  struct PendingStatement {
    std::string sql;
    CheckFn check;
    bool sync_point = false;  // a PQpipelineSync, not a statement
  };
  // Reads the answer of the oldest pending entry.
  void ReadOne();
  PGconn* conn_;
  std::deque<PendingStatement> pending_;  // sent in pipeline mode, results not yet read
  size_t since_sync_ = 0;                // statements sent since the last sync point
  size_t sync_points_ = 0;               // sync points among pending_
  Status deferred_error_;
  void Before() {
    if (before_ && !in_before_) {
      in_before_ = true;
      before_();
      in_before_ = false;
    }
  }
  std::function<void()> before_;
  bool in_before_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  int64_t next_name_ = 0;
};

// Quotes `name` as an SQL identifier ("x""y") for DDL that cannot take parameters.
std::string QuoteIdent(std::string_view name);

}  // namespace hb::storage::postgres
