// JSON Web Tokens in JWS compact serialization (RFC 7519, RFC 7515, RFC 7518):
// signing and verification with the algorithms of jws_key.h.
//
// Contract: pure functions, thread-safe (the KeyLookup given to VerifyJwt must be
// too when shared). A token is verified before any claim in it is trusted:
// VerifyJwt checks, in order, the size, the three base64url parts, the header
// (alg must be one of the accepted ones, "none" and HMAC never are; a "crit"
// header is refused; keys carried in the header, jwk/jku/x5u/x5c, are ignored),
// the key chosen by "kid", that "alg" fits that key's type, the signature, and
// only then the claims: exp and nbf with a clock skew, iat not in the future,
// aud and iss when expected. Every failure is a Status with code InvalidToken and
// a precise reason ("expired at 2026-01-02T03:04:05.000Z", "bad signature",
// "unknown kid 'abc'"), safe to log: it never contains the token or a key.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jws_key.h"
#include "common/result.h"

namespace hb::auth {

struct JwtClaims {
  std::string iss;
  std::string sub;
  std::vector<std::string> aud;  // written as a string when it has one member
  std::optional<int64_t> exp;    // NumericDate, Unix seconds
  std::optional<int64_t> nbf;
  std::optional<int64_t> iat;
  std::string jti;
  std::string scope;  // space-separated (RFC 8693 §4.2), see scopes.h
  // Other string claims: fhirUser, facility, role, patient, client_id, ...
  // Reading a token keeps every other string-valued claim here and drops
  // claims of other JSON kinds; writing refuses names of the members above.
  std::map<std::string, std::string, std::less<>> extra;

  // The extra claim `name`, or "" when absent.
  std::string_view Extra(std::string_view name) const;
  bool HasAudience(std::string_view audience) const;
};

struct JwsHeader {
  JwsAlg alg = JwsAlg::kES256;
  std::string kid;
  std::string typ;
};

struct Jwt {
  JwsHeader header;
  JwtClaims claims;
};

// The JSON text of `claims` (registered claims first, then extras by name);
// InvalidArgument when an extra claim uses a registered name.
Result<std::string> ClaimsToJson(const JwtClaims& claims);
// InvalidToken when `json` is not an object of well-typed claims.
Result<JwtClaims> ClaimsFromJson(std::string_view json);

// header.payload.signature, signed by `key` (which must hold its private part
// and support `alg`). `kid` may be empty (then the header has none).
Result<std::string> SignJwt(const JwtClaims& claims, const JwsKey& key, JwsAlg alg,
                            std::string_view kid, std::string_view typ = "JWT");

// Finds the verification key for a kid ("" when the header has none); nullopt:
// unknown kid.
using KeyLookup = std::function<std::optional<JwsKey>(std::string_view kid)>;

struct VerifyOptions {
  std::optional<int64_t> now;          // Unix seconds; unset: the system clock
  int64_t clock_skew_seconds = 60;     // tolerance on exp, nbf and iat
  std::vector<JwsAlg> algorithms;      // accepted algs; empty: all of JwsAlg
  std::string audience;                // when set, aud must contain it
  std::string issuer;                  // when set, iss must equal it
  bool require_exp = true;             // a token without exp is refused
  size_t max_token_bytes = 16 * 1024;  // longer tokens are refused unread
};

Result<Jwt> VerifyJwt(std::string_view token, const KeyLookup& keys, const VerifyOptions& options);

// Decodes header and claims WITHOUT verifying anything: the result is untrusted
// and only good for choosing which keys to verify with (a client assertion's iss).
Result<Jwt> DecodeJwtUnverified(std::string_view token, size_t max_token_bytes = 16 * 1024);

}  // namespace hb::auth
