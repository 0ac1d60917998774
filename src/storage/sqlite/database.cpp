#include "storage/sqlite/database.h"

#include <string>

#include <spdlog/spdlog.h>

#include "storage/sqlite/read_ahead.h"

namespace hb::storage::sqlite {

namespace {
// Statement journals up to this size stay in memory (Database::Open).
constexpr int kStatementJournalBytes = 16 << 20;

Status FromCode(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  ErrorCode code = (rc & 0xff) == SQLITE_BUSY ? ErrorCode::kUnavailable : ErrorCode::kStorageError;
  return Status(code, std::move(msg));
}
}  // namespace

Statement::~Statement() { sqlite3_finalize(stmt_); }

bool Statement::Step(Status* status) {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) *status = FromCode(db_, rc, "sqlite step");
  return false;
}

Status Statement::Run() {
  Status st;
  while (Step(&st)) {
  }
  return st;
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
}

std::string_view Statement::Blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, const OpenOptions& o) {
  // Statement journals (the pages a savepoint may have to put back) are kept in memory in
  // one block of up to kStatementJournalBytes and only larger ones go to a temporary file.
  // With `temp_store=MEMORY` SQLite keeps them in 1 KB pieces instead, one allocation and one
  // free per KB: a grouped HL7 message journals ~130 pages in its savepoint, ~520 of each
  // (bench/RESULTS.md, session 10). Process-wide, so set before SQLite starts; if something
  // else started it first the call fails, and the writer keeps `temp_store=MEMORY` (with the
  // default spill of 64 KiB every grouped message's journal would go to a file).
  static const bool configured = [] {
    bool ok = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, kStatementJournalBytes) == SQLITE_OK;
    if (!ok) {
      spdlog::warn("sqlite: the statement journal size could not be set (SQLite had started); "
                   "statement journals stay in memory in small pieces");
    }
    return ok;
  }();
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (o.read_only ? SQLITE_OPEN_READONLY
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  // Read connections open through the read-ahead VFS, which scans switch on (read_ahead.h).
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, o.read_only ? ReadAheadVfs() : nullptr);
  if (rc != SQLITE_OK) {
    Status st = FromCode(db, rc, "cannot open " + path);
    sqlite3_close(db);
    return st;
  }
  std::unique_ptr<Database> out(new Database(db));
  sqlite3_busy_timeout(db, o.busy_timeout_ms);
  // temp_store FILE (Debian's build default too): with MEMORY, statement journals ignore the
  // spill size above. What FILE also means for the writer: journals over 16 MiB (a large
  // bundle's), sorts over cache_size and temporary tables over ~2 MB go to unlinked files in
  // SQLITE_TMPDIR, TMPDIR, /var/tmp or /tmp (as read connections' always did); smaller ones
  // stay in memory. A savepoint's one block is one malloc and one free, cheap with glibc's
  // dynamic mmap threshold (served from the heap after the first).
  std::string pragmas = std::string("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=OFF; ") +
                        (configured ? "PRAGMA temp_store=FILE;" : "PRAGMA temp_store=MEMORY;");
  pragmas += o.synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  pragmas += "PRAGMA cache_size=-" + std::to_string(o.cache_size_kib) + ";";
  pragmas += "PRAGMA mmap_size=" + std::to_string(o.mmap_size) + ";";
  if (o.read_only) pragmas = "PRAGMA query_only=1; PRAGMA mmap_size=" + std::to_string(o.mmap_size) + ";";
  HB_RETURN_IF_ERROR(out->Exec(pragmas));
  return out;
}

Database::~Database() {
  cache_.clear();
  sqlite3_close_v2(db_);
}

Status Database::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Status((rc & 0xff) == SQLITE_BUSY ? ErrorCode::kUnavailable : ErrorCode::kStorageError,
                  "sqlite: " + msg);
  }
  return Status::Ok();
}

Result<Statement*> Database::Cached(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second.get();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return FromCode(db_, rc, "prepare");
  auto owned = std::make_unique<Statement>(db_, stmt);
  Statement* raw = owned.get();
  cache_.emplace(sql, std::move(owned));
  return raw;
}

Result<Statement*> Database::CachedText(const std::string& sql) {
  auto it = text_cache_.find(sql);
  if (it != text_cache_.end()) return it->second.get();
  if (text_cache_.size() >= kMaxTextCached) text_cache_.clear();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return FromCode(db_, rc, "prepare");
  auto owned = std::make_unique<Statement>(db_, stmt);
  Statement* raw = owned.get();
  text_cache_.emplace(sql, std::move(owned));
  return raw;
}

Result<std::unique_ptr<Statement>> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return FromCode(db_, rc, "prepare");
  return std::make_unique<Statement>(db_, stmt);
}

Status Database::Error(std::string_view what) const {
  return FromCode(db_, sqlite3_errcode(db_), what);
}

}  // namespace hb::storage::sqlite
