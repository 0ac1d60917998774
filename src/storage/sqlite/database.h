// Thin RAII wrappers over the SQLite C API: Database and Statement.
//
// Contract: a Database is one connection and is used by one thread at a time
// (SQLite's multi-thread mode); it is not thread-safe. Statements prepared
// through Database::Cached() are owned by the Database, reset after each use
// by the caller's Statement::Reset scope, and live as long as the connection.
// Every failure comes back as a Status with ErrorCode::kStorageError carrying
// SQLite's message; kConflict is used for SQLITE_BUSY after the busy timeout.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"

namespace hb::storage::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based like SQLite's.
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  // Text binds never bind NULL: an empty view (even one with no data pointer) is ''.
  void Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data() ? v.data() : "", static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
  }
  // Binds without copying; `v` must outlive the statement's next Reset.
  void BindStatic(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data() ? v.data() : "", static_cast<int>(v.size()),
                      SQLITE_STATIC);
  }
  void BindBlobStatic(int i, std::string_view v) {
    sqlite3_bind_blob(stmt_, i, v.data() ? v.data() : "", static_cast<int>(v.size()),
                      SQLITE_STATIC);
  }
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }

  // Steps once: true with a row, false when done; error in *status.
  bool Step(Status* status);
  // Runs to completion (for writes).
  Status Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view Text(int col) const;
  std::string_view Blob(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// Resets a cached statement when leaving scope, so it never holds a read lock.
class StatementScope {
 public:
  explicit StatementScope(Statement& s) : s_(s) {}
  ~StatementScope() { s_.Reset(); }
  Statement* operator->() { return &s_; }
  Statement& get() { return s_; }

 private:
  Statement& s_;
};

struct OpenOptions {
  bool read_only = false;
  bool synchronous_full = true;  // fsync the WAL at each commit (durability)
  int busy_timeout_ms = 10000;
  int cache_size_kib = 64 * 1024;
  int64_t mmap_size = 256ll << 20;
};

class Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const std::string& path, const OpenOptions& opts);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Status Exec(std::string_view sql);
  // A statement prepared once per connection and reused; `sql` must be a string
  // literal or otherwise outlive the connection (it keys the cache by address).
  Result<Statement*> Cached(const char* sql);
  // A one-off statement for dynamic SQL.
  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql);
  // Dynamic SQL that recurs (search shapes: the same text for every query of one shape,
  // the values being bound): prepared once per connection and kept, keyed by its text (at
  // most kMaxTextCached; the cache starts over when full). Use with StatementScope and
  // bind every parameter on each use.
  Result<Statement*> CachedText(const std::string& sql);
  static constexpr size_t kMaxTextCached = 512;
  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  Status Error(std::string_view what) const;
  sqlite3* raw() { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> text_cache_;
};

}  // namespace hb::storage::sqlite
