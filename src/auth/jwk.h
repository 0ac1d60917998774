// JSON Web Keys (RFC 7517/7518 §6) for EC P-256/P-384 and RSA public keys:
// conversion to and from JWK JSON, JWKS documents, and RFC 7638 thumbprints.
//
// Contract: pure functions, thread-safe. Only public keys cross this boundary:
// writing emits kty, crv, x, y / n, e, kid, alg, use and nothing else (never "d"
// or another private member, whatever key is passed in), and reading refuses a
// JWK that carries private material (a client must register public keys only).
// ParseJwks skips keys it cannot use (another kty or curve, use other than
// "sig", an alg outside jws_key.h's list) and fails with InvalidArgument on a
// malformed key, on private material and on a repeated kid.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jws_key.h"
#include "common/result.h"

namespace hb::auth {

struct Jwk {
  JwsKey key;                 // public part only; pinned to `alg` when alg is set
  std::string kid;            // may be empty
  std::optional<JwsAlg> alg;  // the JWK "alg" member
  std::string use;            // "sig" or empty
};

// One JWK object; InvalidArgument when malformed or unsupported.
Result<Jwk> ParseJwk(std::string_view json);
// A JWK Set {"keys": [...]}, e.g. a SMART client's registered keys.
Result<std::vector<Jwk>> ParseJwks(std::string_view json);

// The public JWK of `key` as compact JSON:
// {"kty":"EC","crv":"P-256","x":"...","y":"...","kid":"...","alg":"ES256","use":"sig"}.
std::string JwkJson(const JwsKey& key, std::string_view kid, std::optional<JwsAlg> alg,
                    std::string_view use = "sig");
// {"keys":[...]} of the public parts, in the given order.
std::string JwksJson(const std::vector<Jwk>& keys);

// RFC 7638 JWK thumbprint: base64url(SHA-256 of the canonical public JWK).
std::string Thumbprint(const JwsKey& key);

}  // namespace hb::auth
