// Validation of SMART Backend Services client assertions (private_key_jwt,
// RFC 7523): the JWT a client sends as `client_assertion` to the token endpoint.
// Spec: https://hl7.org/fhir/smart-app-launch/backend-services.html
//
// Rules checked: signed with a key from the client's registered JWKS, chosen by
// the header "kid" (required); alg RS384 or ES384 as the spec asks, and RS256 or
// ES256 too by default (many clients use them; narrow `algorithms` to refuse
// them); the key type matches alg; iss == sub == the client id; aud names the
// token endpoint URL exactly; exp present and no more than max_lifetime (5 min)
// ahead of now, not past (both with clock_skew); nbf/iat not in the future; jti
// present and never seen before within its lifetime.
//
// Contract: thread-safe; the replay cache is internal and shared by all calls on
// one validator, so use one validator per token endpoint. The ClientKeysLookup
// runs on the calling thread and must be thread-safe. A jti is remembered only
// after the signature and claims checked out, so forged assertions cannot fill
// the cache. Failures: InvalidToken with the reason (map it to OAuth
// "invalid_client"); Unavailable when the replay cache is full.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwk.h"
#include "auth/jwt.h"
#include "auth/replay_cache.h"
#include "auth/time_source.h"
#include "common/result.h"

namespace hb::auth {

// The client_assertion_type the token endpoint must require with an assertion.
inline constexpr std::string_view kJwtBearerAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct ClientAssertionOptions {
  std::string token_endpoint;  // absolute URL; the assertion's aud must name it
  std::chrono::seconds max_lifetime{300};
  std::chrono::seconds clock_skew{60};
  std::vector<JwsAlg> algorithms{JwsAlg::kRS384, JwsAlg::kES384, JwsAlg::kRS256, JwsAlg::kES256};
  size_t replay_capacity = 100000;  // jti values remembered at most
};

// A registered client's public keys (see ParseJwks), or a failing Status when
// the client id is unknown or has no JWKS.
using ClientKeysLookup = std::function<Result<std::vector<Jwk>>(std::string_view client_id)>;

struct ValidatedAssertion {
  std::string client_id;
  std::string kid;
  JwsAlg alg = JwsAlg::kRS384;
  std::string jti;
  int64_t exp = 0;
};

class ClientAssertionValidator {
 public:
  ClientAssertionValidator(ClientAssertionOptions options, ClientKeysLookup keys,
                           TimeSource now = SystemUnixSeconds);

  // `client_id`: the request's client_id parameter when it sent one (optional in
  // Backend Services); then iss must equal it.
  Result<ValidatedAssertion> Validate(std::string_view assertion, std::string_view client_id = {});

 private:
  const ClientAssertionOptions options_;
  const ClientKeysLookup keys_;
  const TimeSource now_;
  ReplayCache replay_;
};

}  // namespace hb::auth
