// AccountStore: users and integration clients (their role, facility, password
// hash or registered keys), kept in the same database as the resources.
//
// Thread-safety: implementations are thread-safe. Failure modes: kNotFound for
// an unknown name, kConflict when adding a name that exists, kStorageError.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace hb::storage {

struct Account {
  std::string name;       // user name, or the client_id of a client
  std::string kind;       // "user" or "client"
  std::string role;       // access/roles.h names: "doctor", "doh-official", ...
  std::string facility;   // MA_CSKCB facility code; empty for province-wide roles
  std::string display;
  std::string practitioner;  // Practitioner id (staff)
  std::string patient;       // Patient id (citizen)
  std::string password_hash; // Argon2id PHC (users)
  std::string jwks;          // registered JWKS (clients)
  std::string scopes;        // the most a client may be granted
  bool disabled = false;
  int64_t created = 0;
  int64_t updated = 0;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;
  virtual Result<Account> Get(const std::string& name) = 0;
  virtual Result<std::vector<Account>> List() = 0;
  virtual Status Add(const Account& account) = 0;     // kConflict if the name exists
  virtual Status Update(const Account& account) = 0;  // kNotFound if it does not
  // Token revocation (logout): `jti` stays refused until `exp` (Unix seconds).
  virtual Status RevokeToken(const std::string& jti, int64_t exp) = 0;
  virtual Result<bool> IsRevoked(const std::string& jti) = 0;
};

// The accounts of the SQLite store at `path` (migrated by OpenSqliteStore).
Result<std::unique_ptr<AccountStore>> OpenSqliteAccounts(const std::string& path);

}  // namespace hb::storage
