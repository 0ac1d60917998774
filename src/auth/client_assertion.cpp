#include "auth/client_assertion.h"

#include "auth/internal/quote.h"

namespace hb::auth {
namespace {

Status Bad(std::string reason) {
  return Status(ErrorCode::kInvalidToken, "client assertion: " + std::move(reason));
}

using internal::Quote;

}  // namespace

ClientAssertionValidator::ClientAssertionValidator(ClientAssertionOptions options,
                                                   ClientKeysLookup keys, TimeSource now)
    : options_(std::move(options)),
      keys_(std::move(keys)),
      now_(std::move(now)),
      replay_(options_.replay_capacity) {}

Result<ValidatedAssertion> ClientAssertionValidator::Validate(std::string_view assertion,
                                                              std::string_view client_id) {
  if (options_.token_endpoint.empty()) {
    return Status(ErrorCode::kInternal, "client assertion validator has no token endpoint");
  }
  // The issuer only chooses which registered keys to try; nothing is trusted yet.
  Result<Jwt> unverified = DecodeJwtUnverified(assertion);
  if (!unverified.ok()) return Bad(unverified.status().message());
  const std::string iss = unverified->claims.iss;
  if (iss.empty()) return Bad("no iss");
  if (!client_id.empty() && iss != client_id) {
    return Bad("iss " + Quote(iss) + " is not the client_id " + Quote(client_id));
  }
  Result<std::vector<Jwk>> registered = keys_(iss);
  if (!registered.ok()) {
    return Bad("client " + Quote(iss) + " has no usable registered keys (" +
               registered.status().message() + ")");
  }
  const std::vector<Jwk>& jwks = registered.value();
  auto lookup = [&](std::string_view kid) -> std::optional<JwsKey> {
    if (kid.empty()) return std::nullopt;  // the spec requires kid
    for (const Jwk& k : jwks) {
      if (k.kid == kid) return k.key;
    }
    return std::nullopt;
  };
  const int64_t now = now_();
  const int64_t skew = options_.clock_skew.count();
  VerifyOptions verify;
  verify.now = now;
  verify.clock_skew_seconds = skew;
  verify.algorithms = options_.algorithms;
  verify.audience = options_.token_endpoint;
  verify.issuer = iss;
  verify.require_exp = true;
  Result<Jwt> jwt = VerifyJwt(assertion, lookup, verify);
  if (!jwt.ok()) {
    if (jwt.status().code() != ErrorCode::kInvalidToken) return jwt.status();
    return Bad(jwt.status().message());
  }
  const JwtClaims& c = jwt->claims;
  if (c.sub != iss) return Bad("sub " + Quote(c.sub) + " differs from iss " + Quote(iss));
  if (*c.exp - now > options_.max_lifetime.count() + skew) {
    return Bad("exp is more than " + std::to_string(options_.max_lifetime.count()) +
               " seconds in the future");
  }
  if (c.jti.empty()) return Bad("no jti");
  if (c.jti.size() > 256) return Bad("jti longer than 256 characters");
  // Length-prefixed, so that no other (iss, jti) pair can make the same key.
  std::string replay_key = std::to_string(iss.size()) + ":" + iss + c.jti;
  switch (replay_.Remember(replay_key, *c.exp + skew, now)) {
    case ReplayCache::Outcome::kFresh:
      break;
    case ReplayCache::Outcome::kReplayed:
      return Bad("jti " + Quote(c.jti) + " was already used");
    case ReplayCache::Outcome::kFull:
      return Status(ErrorCode::kUnavailable, "client assertion replay cache is full");
  }
  return ValidatedAssertion{iss, jwt->header.kid, jwt->header.alg, c.jti, *c.exp};
}

}  // namespace hb::auth
