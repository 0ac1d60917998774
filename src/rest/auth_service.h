// AuthService: sign-in for people and machines, and the authentication of every
// request (SMART on FHIR style; docs/implementation/auth.md).
//
//  - Bearer access tokens: JWTs signed by the server's KeyStore (ES256), with the
//    SMART v2 scopes, role, facility and, for citizens, patient claims.
//  - POST /auth/token: OAuth 2.0 client_credentials with private_key_jwt (SMART
//    Backend Services) for registered integration clients.
//  - POST /auth/login, /auth/logout: user name and password (Argon2id, lockout)
//    giving an httpOnly, SameSite=Strict session cookie; unsafe requests with the
//    cookie must echo its CSRF token in X-CSRF-Token.
//  - GET /.well-known/smart-configuration and /.well-known/jwks.json.
// Every token issued and every sign-in (and failed attempt) is audited.
// Thread-safety: all methods are thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "access/audit_sink.h"
#include "access/principal.h"
#include "auth/client_assertion.h"
#include "auth/key_store.h"
#include "auth/login_guard.h"
#include "http/message.h"
#include "storage/account_store.h"
#include "storage/resource_store.h"

namespace hb::rest {

struct AuthOptions {
  std::string issuer = "healthbook";  // iss of our tokens; also their audience
  std::string base_url;               // public base (http://host:port), empty: from Host
  int64_t access_token_ttl_s = 900;
  int64_t session_ttl_s = 8 * 3600;
  bool secure_cookies = false;        // true behind TLS
  // The token endpoint URLs clients may name as a client assertion's audience
  // (the public one, and the listen address); any other is refused.
  std::vector<std::string> token_urls;
};

// What a token carries; used by the token endpoint, the login and `token issue`.
struct TokenRequest {
  std::string subject;  // user:<name>, client:<id>, operator
  std::string role;
  std::string facility;
  std::string patient;
  std::string practitioner;
  std::string scope;
  int64_t ttl_s = 900;
};
Result<std::string> IssueAccessToken(const auth::KeyStore& keys, const std::string& issuer,
                                     const TokenRequest& request);
// The scopes a signed-in user of `role` works with.
std::string DefaultScopesForRole(access::Role role);

class AuthService {
 public:
  AuthService(AuthOptions options, auth::KeyStore& keys, storage::AccountStore& accounts,
              storage::ResourceStore& store, access::AuditSink* sink);

  // Authenticates a request: 401 (kUnauthenticated/kInvalidToken) when there is no
  // valid credential, 403 on a CSRF failure.
  Result<access::Principal> Authenticate(const http::Request& req);

  void SmartConfiguration(http::Request&& req, http::Responder respond);
  void Jwks(http::Request&& req, http::Responder respond);
  void Token(http::Request&& req, http::Responder respond);
  void Login(http::Request&& req, http::Responder respond);
  void Logout(http::Request&& req, http::Responder respond);

 private:
  std::string BaseUrl(const http::Request& req) const;
  // One validator per token endpoint URL (each keeps its own replay cache).
  // Null when the URL is not one of options_.token_urls.
  auth::ClientAssertionValidator* ValidatorFor(const std::string& token_url);
  // The Organization id of a facility code, looked up once and remembered.
  std::string FacilityOrg(const std::string& code);
  // Whether the account behind a subject is still enabled (cached for 30 s).
  bool AccountEnabled(const std::string& subject);
  void Audit(const access::Principal& who, std::string_view interaction, int outcome,
             std::string_view what, std::string_view reason = {});

  AuthOptions options_;
  auth::KeyStore& keys_;
  storage::AccountStore& accounts_;
  storage::ResourceStore& store_;
  access::AuditSink* sink_;
  auth::LoginGuard guard_;
  std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<auth::ClientAssertionValidator>> validators_;
  std::unordered_map<std::string, std::string> facility_orgs_;
  std::unordered_map<std::string, std::pair<bool, int64_t>> enabled_;  // subject -> (enabled, checked)

  // Verified tokens, so that a signature (an ECDSA verify, ~0.1 ms) is checked
  // once per token, not once per request. Sharded; entries expire with the token.
  struct VerifiedToken {
    access::Principal principal;
    bool session = false;
    std::string csrf;
    int64_t exp = 0;  // Unix seconds
  };
  // Looked up by the request's token as it stands in the header (no copy per request),
  // hashed by its signature (the part after the last '.': unique per token, and a fifth of
  // its length); equality still compares the whole token.
  struct TokenHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      const size_t dot = s.rfind('.');
      return std::hash<std::string_view>{}(dot == std::string_view::npos ? s : s.substr(dot + 1));
    }
  };
  struct TokenShard {
    std::mutex mu;
    std::unordered_map<std::string, VerifiedToken, TokenHash, std::equal_to<>> map;
  };
  static constexpr size_t kTokenShards = 16;
  static constexpr size_t kTokensPerShard = 4096;
  TokenShard token_shards_[kTokenShards];
  Result<VerifiedToken> VerifyToken(std::string_view token);
};

}  // namespace hb::rest
