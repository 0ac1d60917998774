// KeyStore: the server's token-signing keys, kept in one folder of the data
// directory, with rotation.
//
// Layout: `<dir>/` (mode 0700) holds one unencrypted PKCS#8 PEM file per key,
// named `<created-unix-seconds>-<kid>.pem` (mode 0600); kid is the key's RFC 7638
// thumbprint. Every key is EC P-256 and signs ES256. The newest key is current
// and signs; a key that a newer one superseded at time T still verifies until
// T + retire_after, then Verify and Jwks ignore it and Prune deletes its file.
// Access tokens must therefore live shorter than retire_after.
//
// Contract: thread-safe. Sign, Verify, Jwks and Keys may run from many threads
// at once; they copy a shared pointer to an immutable key set under a shared
// lock and work without it. Rotate, Prune and RotateIfDue are serialized among
// themselves, do their file work outside that lock and then swap the set. One
// process owns a folder at a time. Private keys never leave the folder except as
// in-memory OpenSSL keys, and nothing here logs. Failures: Open returns
// StorageError when the folder or a key file cannot be read or written, and
// InvalidArgument when a key file is unsafe (readable by group or others, a
// link), not an EC P-256 private key, or its name does not match its
// thumbprint; Verify returns InvalidToken (see jwt.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jws_key.h"
#include "auth/jwt.h"
#include "auth/time_source.h"
#include "common/result.h"

namespace hb::auth {

struct KeyStoreOptions {
  // How long a superseded key keeps verifying tokens.
  std::chrono::seconds retire_after{std::chrono::hours(24 * 7)};
  // RotateIfDue makes a new key once the current one is this old.
  std::chrono::seconds rotate_every{std::chrono::hours(24 * 30)};
};

struct KeyInfo {
  std::string kid;
  int64_t created = 0;     // Unix seconds
  int64_t retires_at = 0;  // Unix seconds; 0 for the current key
  bool current = false;
};

class KeyStore {
 public:
  // Opens `dir`, creating it and a first key when needed.
  static Result<std::unique_ptr<KeyStore>> Open(const std::filesystem::path& dir,
                                                KeyStoreOptions options = {},
                                                TimeSource now = SystemUnixSeconds);

  KeyStore(const KeyStore&) = delete;
  KeyStore& operator=(const KeyStore&) = delete;

  // A compact JWS (ES256, header kid = the current kid) over `claims`.
  Result<std::string> Sign(const JwtClaims& claims, std::string_view typ = "JWT") const;
  // Verifies with any key that is not retired. `options.algorithms` is forced to
  // ES256; `options.now` defaults to this store's clock.
  Result<Jwt> Verify(std::string_view token, VerifyOptions options = {}) const;
  // The JWK Set of the keys that still verify, current first, public parts only.
  std::string Jwks() const;
  std::string CurrentKid() const;
  std::vector<KeyInfo> Keys() const;  // oldest first, retired ones included until pruned

  // Makes a new current key; the previous ones keep verifying until retired.
  Status Rotate();
  // Deletes the files of retired keys; returns how many.
  Result<size_t> Prune();
  // Rotate() when the current key is older than rotate_every, then Prune().
  // Returns whether it rotated. Meant for a daily job.
  Result<bool> RotateIfDue();

 private:
  struct Entry {
    JwsKey key;
    std::string kid;
    int64_t created;
  };
  using KeySet = std::vector<Entry>;  // oldest first; back() is current

  KeyStore(std::filesystem::path dir, KeyStoreOptions options, TimeSource now);
  std::shared_ptr<const KeySet> Snapshot() const;
  void Publish(std::shared_ptr<const KeySet> keys);
  int64_t RetiresAt(const KeySet& keys, size_t i) const;  // 0 for the current key
  Status RotateLocked();
  Result<size_t> PruneLocked();

  const std::filesystem::path dir_;
  const KeyStoreOptions options_;
  const TimeSource now_;
  std::mutex write_mu_;  // serializes Rotate/Prune
  mutable std::shared_mutex mu_;
  std::shared_ptr<const KeySet> keys_;  // guarded by mu_
};

}  // namespace hb::auth
