// Password hashing (Argon2id, PHC string format), verification, policy, and
// random passwords for demo users.
//
// Contract: all functions are thread-safe and keep no state. HashPassword costs
// about `memory_kib` KiB of memory and tens of milliseconds of one core per call
// (OWASP's Argon2id minimum by default: m=19456 KiB, t=2, p=1); callers bound how
// many run at once (the login rate limit does). Passwords are never logged or
// kept. Failures: HashPassword returns InvalidArgument for an over-long password
// and Internal when the RNG or libargon2 fails; VerifyPassword returns false for
// a wrong password and for a malformed or out-of-bounds PHC string, never throws.
// CheckPasswordPolicy returns WeakPassword with a message meant for the user.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::auth {

struct PasswordHashParams {
  uint32_t memory_kib = 19456;  // m: 19 MiB (OWASP Password Storage Cheat Sheet)
  uint32_t iterations = 2;      // t
  uint32_t parallelism = 1;     // p
  uint32_t salt_bytes = 16;     // from RAND_bytes
  uint32_t hash_bytes = 32;
};

// Longest password accepted, in bytes; longer ones are refused before hashing.
inline constexpr size_t kMaxPasswordBytes = 1024;

// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (unpadded standard base64).
Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params = {});

// True when `password` matches `phc`. Accepts $argon2id$ and $argon2i$ strings
// with any parameters within sane bounds (m <= 1 GiB, t <= 64, p <= 64), so old
// hashes keep working after the defaults change. The tag comparison is
// constant-time (CRYPTO_memcmp).
bool VerifyPassword(std::string_view password, std::string_view phc);

// True when `phc` was made with weaker or other parameters than `params` (or is
// not argon2id): rehash the password after a successful login.
bool NeedsRehash(std::string_view phc, const PasswordHashParams& params = {});

// A hash of a random secret with the default parameters, made once per process.
// Verify against it when the user does not exist, so that "no such user" and
// "wrong password" take the same time.
const std::string& DummyPasswordHash();

// `n` characters from RAND_bytes over a readable alphabet (no 0/O, 1/l/I), with
// at least one upper, one lower letter and one digit when n >= 3. For demo users
// and one-time passwords. Aborts only when the system RNG fails.
std::string RandomPassword(size_t n = 16);

struct PasswordPolicy {
  size_t min_length = 12;   // in Unicode code points
  size_t max_length = 256;  // in code points (and never more than kMaxPasswordBytes bytes)
  size_t min_classes = 2;  // of: lower-case, upper-case, digits, other (symbols, spaces, non-ASCII)
};

// OK, or WeakPassword: "password must be at least 12 characters long", ...
Status CheckPasswordPolicy(std::string_view password, const PasswordPolicy& policy = {});

}  // namespace hb::auth
