// The AccountStore over PostgreSQL: the account and revoked_token tables of migration 2,
// through a small connection pool (account traffic is light: logins and administration).
#include "common/clock.h"
#include "storage/postgres/pool.h"
#include "storage/postgres/postgres_store.h"

namespace hb::storage::postgres {

namespace {

constexpr const char* kSelect =
    "SELECT name, kind, role, facility, display, practitioner, patient, password_hash, jwks, "
    "scopes, disabled, created, updated FROM account";

Account AccountRow(const PgResult& r, int i) {
  Account a;
  a.name = std::string(r.Text(i, 0));
  a.kind = std::string(r.Text(i, 1));
  a.role = std::string(r.Text(i, 2));
  a.facility = std::string(r.Text(i, 3));
  a.display = std::string(r.Text(i, 4));
  a.practitioner = std::string(r.Text(i, 5));
  a.patient = std::string(r.Text(i, 6));
  a.password_hash = std::string(r.Text(i, 7));
  a.jwks = std::string(r.Text(i, 8));
  a.scopes = std::string(r.Text(i, 9));
  a.disabled = r.Int(i, 10) != 0;
  a.created = r.Int(i, 11);
  a.updated = r.Int(i, 12);
  return a;
}

void AddAll(Params& p, const Account& a, int64_t now) {
  p.Add(a.name)
      .Add(a.kind)
      .Add(a.role)
      .Add(a.facility)
      .Add(a.display)
      .Add(a.practitioner)
      .Add(a.patient)
      .Add(a.password_hash)
      .Add(a.jwks)
      .Add(a.scopes)
      .Add(static_cast<int64_t>(a.disabled ? 1 : 0))
      .Add(a.created ? a.created : now)
      .Add(now);
}

class PgAccounts : public AccountStore {
 public:
  explicit PgAccounts(const std::string& url) : pool_(url, 4) {}

  Result<Account> Get(const std::string& name) override {
    HB_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    Params p;
    p.Add(name);
    HB_ASSIGN_OR_RETURN(PgResult r, c->Query(std::string(kSelect) + " WHERE name = $1", p));
    if (r.Rows() == 0) return Status(ErrorCode::kNotFound, "no account named '" + name + "'");
    return AccountRow(r, 0);
  }

  Result<std::vector<Account>> List() override {
    HB_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    Params none;
    HB_ASSIGN_OR_RETURN(PgResult r, c->Query(std::string(kSelect) + " ORDER BY kind, name", none));
    std::vector<Account> out;
    for (int i = 0; i < r.Rows(); ++i) out.push_back(AccountRow(r, i));
    return out;
  }

  Status Add(const Account& a) override {
    HB_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    Params p;
    AddAll(p, a, NowMicros());
    HB_ASSIGN_OR_RETURN(PgResult r,
                        c->Query("INSERT INTO account (name, kind, role, facility, display, "
                                 "practitioner, patient, password_hash, jwks, scopes, disabled, "
                                 "created, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                                 "$10, $11, $12, $13) ON CONFLICT (name) DO NOTHING",
                                 p));
    if (r.Affected() == 0) {
      return Status(ErrorCode::kConflict, "an account named '" + a.name + "' exists already");
    }
    return Status::Ok();
  }

  Status Update(const Account& a) override {
    HB_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    Params p;
    AddAll(p, a, NowMicros());
    HB_ASSIGN_OR_RETURN(PgResult r,
                        c->Query("UPDATE account SET kind = $2, role = $3, facility = $4, "
                                 "display = $5, practitioner = $6, patient = $7, password_hash = "
                                 "$8, jwks = $9, scopes = $10, disabled = $11, created = $12, "
                                 "updated = $13 WHERE name = $1",
                                 p));
    if (r.Affected() == 0) return Status(ErrorCode::kNotFound, "no account named '" + a.name + "'");
    return Status::Ok();
  }

  Status RevokeToken(const std::string& jti, int64_t exp) override {
    HB_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    Params p;
    p.Add(jti).Add(exp).Add(NowMicros() / 1000000);
    // Forget revocations whose tokens have expired anyway, in the same statement.
    HB_ASSIGN_OR_RETURN(PgResult r,
                        c->Query("WITH gc AS (DELETE FROM revoked_token WHERE exp < $3) INSERT "
                                 "INTO revoked_token (jti, exp) VALUES ($1, $2) ON CONFLICT "
                                 "(jti) DO UPDATE SET exp = EXCLUDED.exp",
                                 p));
    (void)r;
    return Status::Ok();
  }

  Result<bool> IsRevoked(const std::string& jti) override {
    HB_ASSIGN_OR_RETURN(auto c, pool_.Acquire());
    Params p;
    p.Add(jti);
    HB_ASSIGN_OR_RETURN(PgResult r, c->Query("SELECT 1 FROM revoked_token WHERE jti = $1", p));
    return r.Rows() > 0;
  }

 private:
  ConnectionPool pool_;
};

}  // namespace

Result<std::unique_ptr<AccountStore>> OpenPostgresAccounts(const std::string& url) {
  // Connect once now, so that a wrong URL fails here rather than at the first login.
  HB_ASSIGN_OR_RETURN(auto c, Connection::Open(url));
  (void)c;
  return std::unique_ptr<AccountStore>(new PgAccounts(url));
}

}  // namespace hb::storage::postgres
