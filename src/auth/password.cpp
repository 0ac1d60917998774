#include "auth/password.h"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstdlib>
#include <optional>
#include <vector>

#include "auth/base64.h"
#include "common/utf8.h"

namespace hb::auth {
namespace {

constexpr uint32_t kMaxMemoryKib = 1u << 20;  // 1 GiB
constexpr uint32_t kMaxIterations = 64;
constexpr uint32_t kMaxParallelism = 64;

struct Phc {
  argon2_type type = Argon2_id;
  uint32_t version = ARGON2_VERSION_13;
  uint32_t m = 0, t = 0, p = 0;
  std::string salt, hash;
};

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool ParseU32(std::string_view text, std::string_view key, uint32_t* out) {
  if (text.size() <= key.size() + 1 || text.substr(0, key.size()) != key ||
      text[key.size()] != '=') {
    return false;
  }
  text.remove_prefix(key.size() + 1);
  if (text.size() > 1 && text[0] == '0') return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// "$argon2id$v=19$m=65536,t=2,p=1$salt$hash"; the v= part may be absent (v1.0).
std::optional<Phc> ParsePhc(std::string_view s) {
  std::vector<std::string_view> f = Split(s, '$');
  if (f.size() != 6 && f.size() != 5) return std::nullopt;
  if (!f[0].empty()) return std::nullopt;
  Phc phc;
  if (f[1] == "argon2id") {
    phc.type = Argon2_id;
  } else if (f[1] == "argon2i") {
    phc.type = Argon2_i;
  } else {
    return std::nullopt;
  }
  size_t i = 2;
  if (f.size() == 6) {
    if (!ParseU32(f[2], "v", &phc.version)) return std::nullopt;
    if (phc.version != ARGON2_VERSION_13 && phc.version != ARGON2_VERSION_10) return std::nullopt;
    i = 3;
  } else {
    phc.version = ARGON2_VERSION_10;
  }
  std::vector<std::string_view> params = Split(f[i], ',');
  if (params.size() != 3 || !ParseU32(params[0], "m", &phc.m) ||
      !ParseU32(params[1], "t", &phc.t) || !ParseU32(params[2], "p", &phc.p)) {
    return std::nullopt;
  }
  auto salt = Base64DecodeNoPad(f[i + 1]);
  auto hash = Base64DecodeNoPad(f[i + 2]);
  if (!salt || !hash) return std::nullopt;
  phc.salt = std::move(*salt);
  phc.hash = std::move(*hash);
  if (phc.m > kMaxMemoryKib || phc.t == 0 || phc.t > kMaxIterations || phc.p == 0 ||
      phc.p > kMaxParallelism || phc.m < 8 * phc.p || phc.salt.size() < ARGON2_MIN_SALT_LENGTH ||
      phc.salt.size() > 64 || phc.hash.size() < 4 || phc.hash.size() > 128) {
    return std::nullopt;
  }
  return phc;
}

bool RawHash(const Phc& params, std::string_view password, std::string* out) {
  out->assign(params.hash.size(), '\0');
  int rc = argon2_hash(params.t, params.m, params.p, password.data(), password.size(),
                       params.salt.data(), params.salt.size(), out->data(), out->size(), nullptr, 0,
                       params.type, params.version);
  return rc == ARGON2_OK;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params) {
  if (password.size() > kMaxPasswordBytes) {
    return Status(ErrorCode::kInvalidArgument, "password is longer than 1024 bytes");
  }
  Phc phc;
  phc.m = params.memory_kib;
  phc.t = params.iterations;
  phc.p = params.parallelism;
  phc.salt.assign(params.salt_bytes, '\0');
  phc.hash.assign(params.hash_bytes, '\0');
  if (params.salt_bytes < ARGON2_MIN_SALT_LENGTH || params.hash_bytes < 16) {
    return Status(ErrorCode::kInvalidArgument, "argon2id salt or hash length too short");
  }
  if (RAND_bytes(reinterpret_cast<unsigned char*>(phc.salt.data()), int(phc.salt.size())) != 1) {
    return Status(ErrorCode::kInternal, "RAND_bytes failed");
  }
  std::string tag;
  if (!RawHash(phc, password, &tag)) {
    return Status(ErrorCode::kInternal, "argon2id hashing failed (check the parameters)");
  }
  std::string out = "$argon2id$v=19$m=" + std::to_string(phc.m) + ",t=" + std::to_string(phc.t) +
                    ",p=" + std::to_string(phc.p) + "$" + Base64EncodeNoPad(phc.salt) + "$" +
                    Base64EncodeNoPad(tag);
  OPENSSL_cleanse(tag.data(), tag.size());
  return out;
}

bool VerifyPassword(std::string_view password, std::string_view phc_text) {
  if (password.size() > kMaxPasswordBytes) return false;
  std::optional<Phc> phc = ParsePhc(phc_text);
  if (!phc) return false;
  std::string tag;
  if (!RawHash(*phc, password, &tag)) return false;
  bool same = CRYPTO_memcmp(tag.data(), phc->hash.data(), tag.size()) == 0;
  OPENSSL_cleanse(tag.data(), tag.size());
  return same;
}

bool NeedsRehash(std::string_view phc_text, const PasswordHashParams& params) {
  std::optional<Phc> phc = ParsePhc(phc_text);
  if (!phc) return true;
  return phc->type != Argon2_id || phc->version != ARGON2_VERSION_13 ||
         phc->m < params.memory_kib || phc->t < params.iterations || phc->p != params.parallelism ||
         phc->salt.size() < params.salt_bytes || phc->hash.size() < params.hash_bytes;
}

const std::string& DummyPasswordHash() {
  static const std::string hash = [] {
    Result<std::string> h = HashPassword(RandomPassword(24));
    if (!h.ok()) std::abort();  // the RNG or libargon2 is broken: nothing can be safe
    return std::move(h).value();
  }();
  return hash;
}

std::string RandomPassword(size_t n) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  constexpr unsigned kLimit = 256 - 256 % kAlphabet.size();  // rejection sampling: no bias
  for (;;) {
    std::string out;
    out.reserve(n);
    unsigned char buf[64];
    while (out.size() < n) {
      if (RAND_bytes(buf, sizeof(buf)) != 1) std::abort();
      for (unsigned char b : buf) {
        if (b < kLimit && out.size() < n) out += kAlphabet[b % kAlphabet.size()];
      }
    }
    OPENSSL_cleanse(buf, sizeof(buf));
    if (n < 3) return out;
    bool upper = false, lower = false, digit = false;
    for (char c : out) {
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    if (upper && lower && digit) return out;
  }
}

Status CheckPasswordPolicy(std::string_view password, const PasswordPolicy& policy) {
  if (!IsValidUtf8(password)) {
    return Status(ErrorCode::kWeakPassword, "password is not valid UTF-8 text");
  }
  size_t length = 0;
  bool lower = false, upper = false, digit = false, other = false;
  for (char c : password) {
    auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) != 0x80) ++length;  // count code points, not continuation bytes
    if (b >= 'a' && b <= 'z') {
      lower = true;
    } else if (b >= 'A' && b <= 'Z') {
      upper = true;
    } else if (b >= '0' && b <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  if (length < policy.min_length) {
    return Status(
        ErrorCode::kWeakPassword,
        "password must be at least " + std::to_string(policy.min_length) + " characters long");
  }
  if (length > policy.max_length || password.size() > kMaxPasswordBytes) {
    return Status(
        ErrorCode::kWeakPassword,
        "password must be at most " + std::to_string(policy.max_length) + " characters long");
  }
  size_t classes = size_t(lower) + size_t(upper) + size_t(digit) + size_t(other);
  if (classes < policy.min_classes) {
    return Status(ErrorCode::kWeakPassword,
                  "password must mix at least " + std::to_string(policy.min_classes) +
                      " kinds of characters (lower-case letters, upper-case letters, digits, "
                      "symbols or spaces)");
  }
  return Status::Ok();
}

}  // namespace hb::auth
