#include <mutex>

#include "common/clock.h"
#include "storage/account_store.h"
#include "storage/sqlite/database.h"

namespace hb::storage {

namespace {

using sqlite::Database;
using sqlite::Statement;
using sqlite::StatementScope;

constexpr const char* kColumns =
    "name, kind, role, facility, display, practitioner, patient, password_hash, jwks, scopes, "
    "disabled, created, updated";

Account FromRow(Statement& s) {
  Account a;
  a.name = std::string(s.Text(0));
  a.kind = std::string(s.Text(1));
  a.role = std::string(s.Text(2));
  a.facility = std::string(s.Text(3));
  a.display = std::string(s.Text(4));
  a.practitioner = std::string(s.Text(5));
  a.patient = std::string(s.Text(6));
  a.password_hash = std::string(s.Text(7));
  a.jwks = std::string(s.Text(8));
  a.scopes = std::string(s.Text(9));
  a.disabled = s.Int(10) != 0;
  a.created = s.Int(11);
  a.updated = s.Int(12);
  return a;
}

void BindAll(Statement& s, const Account& a, int64_t now) {
  s.Bind(1, a.name);
  s.Bind(2, a.kind);
  s.Bind(3, a.role);
  s.Bind(4, a.facility);
  s.Bind(5, a.display);
  s.Bind(6, a.practitioner);
  s.Bind(7, a.patient);
  s.Bind(8, a.password_hash);
  s.Bind(9, a.jwks);
  s.Bind(10, a.scopes);
  s.Bind(11, a.disabled ? 1 : 0);
  s.Bind(12, a.created ? a.created : now);
  s.Bind(13, now);
}

// One connection under a mutex: account traffic is light (logins, admin).
class SqliteAccounts : public AccountStore {
 public:
  explicit SqliteAccounts(std::unique_ptr<Database> db) : db_(std::move(db)) {}

  Result<Account> Get(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mu_);
    HB_ASSIGN_OR_RETURN(
        Statement * raw,
        db_->Cached("SELECT name, kind, role, facility, display, practitioner, patient, "
                    "password_hash, jwks, scopes, disabled, created, updated FROM account "
                    "WHERE name = ?1"));
    StatementScope s(*raw);
    s->Bind(1, name);
    Status st;
    if (!s->Step(&st)) {
      if (!st.ok()) return st;
      return Status(ErrorCode::kNotFound, "no account named '" + name + "'");
    }
    return FromRow(s.get());
  }

  Result<std::vector<Account>> List() override {
    std::lock_guard<std::mutex> lock(mu_);
    HB_ASSIGN_OR_RETURN(auto s, db_->Prepare(std::string("SELECT ") + kColumns +
                                             " FROM account ORDER BY kind, name"));
    std::vector<Account> out;
    Status st;
    while (s->Step(&st)) out.push_back(FromRow(*s));
    if (!st.ok()) return st;
    return out;
  }

  Status Add(const Account& a) override {
    std::lock_guard<std::mutex> lock(mu_);
    HB_ASSIGN_OR_RETURN(Statement * raw,
                        db_->Cached("INSERT INTO account (name, kind, role, facility, display, "
                                    "practitioner, patient, password_hash, jwks, scopes, disabled, "
                                    "created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                                    "?9, ?10, ?11, ?12, ?13)"));
    StatementScope s(*raw);
    BindAll(s.get(), a, NowMicros());
    Status st = s->Run();
    if (!st.ok() && st.message().find("UNIQUE") != std::string::npos) {
      return Status(ErrorCode::kConflict, "an account named '" + a.name + "' exists already");
    }
    return st;
  }

  Status RevokeToken(const std::string& jti, int64_t exp) override {
    std::lock_guard<std::mutex> lock(mu_);
    HB_ASSIGN_OR_RETURN(Statement * raw,
                        db_->Cached("INSERT OR REPLACE INTO revoked_token (jti, exp) VALUES (?1, ?2)"));
    StatementScope s(*raw);
    s->Bind(1, jti);
    s->Bind(2, exp);
    HB_RETURN_IF_ERROR(s->Run());
    // Forget revocations whose tokens have expired anyway.
    HB_ASSIGN_OR_RETURN(Statement * gc, db_->Cached("DELETE FROM revoked_token WHERE exp < ?1"));
    StatementScope g(*gc);
    g->Bind(1, NowMicros() / 1000000);
    return g->Run();
  }

  Result<bool> IsRevoked(const std::string& jti) override {
    std::lock_guard<std::mutex> lock(mu_);
    HB_ASSIGN_OR_RETURN(Statement * raw, db_->Cached("SELECT 1 FROM revoked_token WHERE jti = ?1"));
    StatementScope s(*raw);
    s->Bind(1, jti);
    Status st;
    bool revoked = s->Step(&st);
    if (!st.ok()) return st;
    return revoked;
  }

  Status Update(const Account& a) override {
    std::lock_guard<std::mutex> lock(mu_);
    HB_ASSIGN_OR_RETURN(Statement * raw,
                        db_->Cached("UPDATE account SET kind = ?2, role = ?3, facility = ?4, "
                                    "display = ?5, practitioner = ?6, patient = ?7, "
                                    "password_hash = ?8, jwks = ?9, scopes = ?10, disabled = ?11, "
                                    "created = ?12, updated = ?13 WHERE name = ?1"));
    StatementScope s(*raw);
    BindAll(s.get(), a, NowMicros());
    HB_RETURN_IF_ERROR(s->Run());
    if (db_->Changes() == 0) {
      return Status(ErrorCode::kNotFound, "no account named '" + a.name + "'");
    }
    return Status::Ok();
  }

 private:
  std::mutex mu_;
  std::unique_ptr<Database> db_;
};

}  // namespace

Result<std::unique_ptr<AccountStore>> OpenSqliteAccounts(const std::string& path) {
  sqlite::OpenOptions o;
  o.cache_size_kib = 1024;
  HB_ASSIGN_OR_RETURN(auto db, Database::Open(path, o));
  return std::unique_ptr<AccountStore>(new SqliteAccounts(std::move(db)));
}

}  // namespace hb::storage
