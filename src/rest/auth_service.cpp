#include "rest/auth_service.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "auth/jwk.h"
#include "auth/password.h"
#include "auth/scopes.h"
#include "common/clock.h"
#include "common/ids.h"
#include "fhir/vn_systems.h"
#include "http/json_response.h"
#include "http/query.h"
#include "rest/outcome.h"
#include "search/query_parser.h"

namespace hb::rest {

namespace {

constexpr std::string_view kSessionCookie = "hb_session";
constexpr std::string_view kSessionTyp = "hb-session+jwt";

http::Response JsonBody(int status, std::string body) {
  return http::JsonResponse(status, std::move(body), /*no_store=*/true);
}

// RFC 6749 §5.2 error response.
http::Response OAuthError(int status, std::string_view error, std::string_view description) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("error");
  w.String(error.data(), static_cast<rapidjson::SizeType>(error.size()));
  w.Key("error_description");
  w.String(description.data(), static_cast<rapidjson::SizeType>(description.size()));
  w.EndObject();
  return JsonBody(status, std::string(buf.GetString(), buf.GetSize()));
}

std::string_view Cookie(const http::Request& req, std::string_view name) {
  std::string_view all = req.HeaderValue("cookie");
  while (!all.empty()) {
    size_t semi = all.find(';');
    std::string_view item = all.substr(0, semi);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.size() > name.size() && item.substr(0, name.size()) == name && item[name.size()] == '=') {
      return item.substr(name.size() + 1);
    }
    if (semi == std::string_view::npos) break;
    all.remove_prefix(semi + 1);
  }
  return {};
}

std::string Param(const std::vector<std::pair<std::string, std::string>>& form,
                  std::string_view name) {
  for (const auto& [k, v] : form) {
    if (k == name) return v;
  }
  return {};
}

Status Unauthenticated(std::string why) {
  return Status(ErrorCode::kUnauthenticated, std::move(why));
}

}  // namespace

std::string DefaultScopesForRole(access::Role role) {
  switch (role) {
    case access::Role::kCitizen: return "patient/*.rs patient/Consent.cruds";
    case access::Role::kDohOfficial: return "user/*.s";
    case access::Role::kSystemAdmin: return "user/*.rs";
    default: return "user/*.cruds";
  }
}

namespace {
auth::JwtClaims ClaimsFor(const std::string& issuer, const TokenRequest& t) {
  auth::JwtClaims c;
  int64_t now = NowMicros() / 1000000;
  c.iss = issuer;
  c.sub = t.subject;
  c.aud = {issuer};
  c.iat = now;
  c.exp = now + t.ttl_s;
  c.jti = NewResourceId();
  c.scope = t.scope;
  c.extra["role"] = t.role;
  if (!t.facility.empty()) c.extra["facility"] = t.facility;
  if (!t.patient.empty()) c.extra["patient"] = t.patient;
  if (!t.practitioner.empty()) c.extra["practitioner"] = t.practitioner;
  return c;
}
}  // namespace

Result<std::string> IssueAccessToken(const auth::KeyStore& keys, const std::string& issuer,
                                     const TokenRequest& t) {
  HB_ASSIGN_OR_RETURN(auth::ScopeSet scopes, auth::ParseScopes(t.scope));
  (void)scopes;  // parsed to refuse a malformed scope before signing it
  if (!access::RoleFromName(t.role)) {
    return Status(ErrorCode::kInvalidArgument, "unknown role '" + t.role + "'");
  }
  return keys.Sign(ClaimsFor(issuer, t));
}

AuthService::AuthService(AuthOptions options, auth::KeyStore& keys,
                         storage::AccountStore& accounts, storage::ResourceStore& store,
                         access::AuditSink* sink)
    : options_(std::move(options)), keys_(keys), accounts_(accounts), store_(store), sink_(sink) {
}

auth::ClientAssertionValidator* AuthService::ValidatorFor(const std::string& token_url) {
  bool known = false;
  for (const auto& u : options_.token_urls) known |= u == token_url;
  if (!known) return nullptr;  // a forged Host must not open another audience
  std::lock_guard<std::mutex> lock(mu_);
  auto& v = validators_[token_url];
  if (!v) {
    auth::ClientAssertionOptions ao;
    ao.token_endpoint = token_url;
    v = std::make_unique<auth::ClientAssertionValidator>(
        ao, [this](std::string_view client_id) -> Result<std::vector<auth::Jwk>> {
          auto a = accounts_.Get(std::string(client_id));
          if (!a.ok() || a->kind != "client" || a->disabled) {
            return Status(ErrorCode::kUnauthenticated, "unknown or disabled client");
          }
          return auth::ParseJwks(a->jwks);
        });
  }
  return v.get();
}

std::string AuthService::BaseUrl(const http::Request& req) const {
  if (!options_.base_url.empty()) return options_.base_url;
  std::string_view host = req.HeaderValue("host");
  return "http://" + std::string(host.empty() ? "localhost" : host);
}

std::string AuthService::FacilityOrg(const std::string& code) {
  if (code.empty()) return {};
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = facility_orgs_.find(code);
    if (it != facility_orgs_.end()) return it->second;
  }
  std::string org;
  auto q = search::ParseSearch(
      "Organization", {{"identifier", fhir::vn::Systems().facility + "|" + code}}, {});
  if (q.ok()) {
    q->count = 1;
    q->total = false;
    auto txn = store_.BeginRead();
    auto r = txn->Search(*q);
    if (r.ok() && !r->matches.empty()) org = r->matches.front().id;
  }
  if (!org.empty()) {  // remember only what exists: the facility may be registered later
    std::lock_guard<std::mutex> lock(mu_);
    facility_orgs_[code] = org;
  }
  return org;
}

bool AuthService::AccountEnabled(const std::string& subject) {
  std::string name;
  if (subject.starts_with("user:")) {
    name = subject.substr(5);
  } else if (subject.starts_with("client:")) {
    name = subject.substr(7);
  } else {
    return true;  // operator tokens are minted from the data folder itself
  }
  int64_t now = NowMicros();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = enabled_.find(subject);
    if (it != enabled_.end() && now - it->second.second < 30'000'000) return it->second.first;
  }
  auto a = accounts_.Get(name);
  bool enabled = a.ok() && !a->disabled;
  std::lock_guard<std::mutex> lock(mu_);
  enabled_[subject] = {enabled, now};
  return enabled;
}

Result<AuthService::VerifiedToken> AuthService::VerifyToken(std::string_view token) {
  const size_t hash = TokenHash{}(token);
  TokenShard& shard = token_shards_[(hash >> 32 ^ hash) % kTokenShards];
  int64_t now = NowMicros() / 1000000;
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.map.find(token);
    if (it != shard.map.end()) {
      if (it->second.exp > now) return it->second;
      shard.map.erase(it);
    }
  }
  auth::VerifyOptions vo;
  vo.audience = options_.issuer;
  vo.issuer = options_.issuer;
  vo.clock_skew_seconds = 0;  // our own tokens, checked on the clock that signed them
  auto jwt = keys_.Verify(token, vo);
  if (!jwt.ok()) return Unauthenticated("the token is not valid: " + jwt.status().message());
  VerifiedToken v;
  v.session = jwt->header.typ == kSessionTyp;
  v.csrf = std::string(jwt->claims.Extra("csrf"));
  v.exp = jwt->claims.exp.value_or(now);
  access::Principal& p = v.principal;
  p.subject = jwt->claims.sub;
  auto role = access::RoleFromName(jwt->claims.Extra("role"));
  if (!role) return Unauthenticated("the token names no known role");
  p.role = *role;
  p.facility = std::string(jwt->claims.Extra("facility"));
  p.patient = std::string(jwt->claims.Extra("patient"));
  p.practitioner = std::string(jwt->claims.Extra("practitioner"));
  p.token_id = jwt->claims.jti;
  auto scopes = auth::ParseScopes(jwt->claims.scope);
  if (!scopes.ok()) return Unauthenticated("the token's scope is malformed");
  p.scopes = std::move(scopes).value();
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.map.size() >= kTokensPerShard) shard.map.clear();  // crude but bounded
  shard.map.emplace(std::string(token), v);
  return v;
}

Result<access::Principal> AuthService::Authenticate(const http::Request& req) {
  std::string_view authz = req.HeaderValue("authorization");
  std::string_view token;
  bool session = false;
  if (!authz.empty()) {
    if (authz.size() < 7 || !http::EqualsIgnoreCase(authz.substr(0, 7), "bearer ")) {
      return Unauthenticated("the Authorization header must be 'Bearer <token>'");
    }
    token = authz.substr(7);
  } else {
    token = Cookie(req, kSessionCookie);
    session = !token.empty();
  }
  if (token.empty()) {
    return Unauthenticated("authentication is required: send a bearer token or sign in");
  }
  HB_ASSIGN_OR_RETURN(VerifiedToken v, VerifyToken(token));
  if (session != v.session) {
    return Unauthenticated("a session token goes in the cookie, an access token in the header");
  }
  if (session) {  // sessions end at logout: ask the revocation list
    auto revoked = accounts_.IsRevoked(v.principal.token_id);
    if (!revoked.ok() || *revoked) return Unauthenticated("the session has ended; sign in again");
  }
  if (session && req.method != "GET" && req.method != "HEAD") {
    std::string_view csrf = req.HeaderValue("x-csrf-token");
    if (csrf.empty() || csrf != v.csrf) {
      return Status(ErrorCode::kForbidden, "X-CSRF-Token is missing or does not match the session");
    }
  }
  if (!AccountEnabled(v.principal.subject)) return Unauthenticated("the account is disabled");
  v.principal.facility_org = FacilityOrg(v.principal.facility);
  return std::move(v.principal);
}

void AuthService::Audit(const access::Principal& who, std::string_view interaction, int outcome,
                        std::string_view what, std::string_view reason) {
  if (sink_) sink_->Add(access::MakeAudit(who, "E", interaction, outcome, "", what, reason));
}

void AuthService::SmartConfiguration(http::Request&& req, http::Responder respond) {
  std::string base = BaseUrl(req);
  std::string body = R"({"issuer":")" + options_.issuer + R"(","jwks_uri":")" + base +
                     R"(/.well-known/jwks.json","token_endpoint":")" + base +
                     R"(/auth/token","token_endpoint_auth_methods_supported":["private_key_jwt"],)"
                     R"("token_endpoint_auth_signing_alg_values_supported":["RS384","ES384","RS256","ES256"],)"
                     R"("grant_types_supported":["client_credentials"],)"
                     R"("scopes_supported":["system/*.cruds","system/*.rs","user/*.cruds","user/*.rs","patient/*.rs"],)"
                     R"("capabilities":["client-confidential-asymmetric","permission-v2","permission-v1"],)"
                     R"("code_challenge_methods_supported":[]})";
  respond(JsonBody(200, std::move(body)));
}

void AuthService::Jwks(http::Request&&, http::Responder respond) {
  http::Response r = JsonBody(200, keys_.Jwks());
  r.content_type = "application/jwk-set+json";
  respond(std::move(r));
}

void AuthService::Token(http::Request&& req, http::Responder respond) {
  auto form = http::ParseQuery(req.body);
  access::Principal anon;
  anon.subject = "client:?";
  anon.remote = req.remote.substr(0, req.remote.rfind(':'));
  if (Param(form, "grant_type") != "client_credentials") {
    return respond(OAuthError(400, "unsupported_grant_type",
                              "only client_credentials (SMART Backend Services) is offered"));
  }
  if (Param(form, "client_assertion_type") !=
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
    return respond(OAuthError(400, "invalid_client", "use private_key_jwt client authentication"));
  }
  // The assertion's audience is the token endpoint as the client called it,
  // provided that is one of this server's own addresses.
  auth::ClientAssertionValidator* validator = ValidatorFor(BaseUrl(req) + "/auth/token");
  if (!validator) {
    return respond(OAuthError(400, "invalid_request", "the token endpoint was called at an "
                                                      "address this server does not answer to"));
  }
  auto validated = validator->Validate(Param(form, "client_assertion"), Param(form, "client_id"));
  if (!validated.ok()) {
    Audit(anon, "token", 4, "client_credentials", validated.status().message());
    return respond(OAuthError(401, "invalid_client", validated.status().message()));
  }
  auto account = accounts_.Get(validated->client_id);
  if (!account.ok()) return respond(OAuthError(401, "invalid_client", "unknown client"));
  auto requested = auth::ParseScopes(Param(form, "scope"));
  auto allowed = auth::ParseScopes(account->scopes);
  if (!requested.ok() || !allowed.ok()) {
    return respond(OAuthError(400, "invalid_scope", requested.ok() ? "the client's scopes are "
                                                                     "malformed"
                                                                   : requested.status().message()));
  }
  auth::ScopeSet granted = auth::Intersect(*requested, *allowed);
  if (granted.grants.empty()) {
    return respond(OAuthError(400, "invalid_scope", "none of the requested scopes is allowed"));
  }
  TokenRequest t;
  t.subject = "client:" + account->name;
  t.role = account->role;
  t.facility = account->facility;
  t.scope = granted.ToString();
  t.ttl_s = options_.access_token_ttl_s;
  auto token = IssueAccessToken(keys_, options_.issuer, t);
  if (!token.ok()) return respond(OAuthError(500, "server_error", token.status().message()));
  anon.subject = t.subject;
  anon.role = access::RoleFromName(t.role).value_or(access::Role::kIntegration);
  anon.facility = t.facility;
  Audit(anon, "token", 0, "client_credentials", t.scope);
  respond(JsonBody(200, R"({"access_token":")" + *token +
                            R"(","token_type":"bearer","expires_in":)" +
                            std::to_string(t.ttl_s) + R"(,"scope":")" + t.scope + R"("})"));
}

void AuthService::Login(http::Request&& req, http::Responder respond) {
  std::vector<std::pair<std::string, std::string>> form;
  std::string_view ct = req.HeaderValue("content-type");
  if (ct.find("json") != std::string_view::npos) {
    rapidjson::Document d;
    d.Parse(req.body.c_str(), req.body.size());
    if (d.HasParseError() || !d.IsObject()) {
      return respond(ErrorResponse(Status(ErrorCode::kInvalidArgument, "send {username, password}")));
    }
    for (const char* k : {"username", "password"}) {
      if (d.HasMember(k) && d[k].IsString()) form.emplace_back(k, d[k].GetString());
    }
  } else {
    form = http::ParseQuery(req.body);
  }
  std::string user = Param(form, "username");
  std::string password = Param(form, "password");
  std::string ip = req.remote.substr(0, req.remote.rfind(':'));
  access::Principal who;
  who.subject = "user:" + user;
  who.remote = ip;
  if (Status st = guard_.Check(user, ip); !st.ok()) {
    Audit(who, "login", 4, "password", st.message());
    http::Response r = ErrorResponse(st);
    r.status = 429;
    r.headers.push_back({"Retry-After", std::to_string(guard_.RetryAfterSeconds(user, ip))});
    return respond(std::move(r));
  }
  auto account = accounts_.Get(user);
  // Hash even for an unknown user, so that timing does not tell which names exist.
  bool valid = auth::VerifyPassword(password, account.ok() ? account->password_hash
                                                           : auth::DummyPasswordHash());
  bool ok = valid && account.ok() && account->kind == "user" && !account->disabled;
  if (!ok) {
    guard_.RecordFailure(user, ip);
    Audit(who, "login", 4, "password", "wrong user name or password");
    return respond(ErrorResponse(Unauthenticated("wrong user name or password")));
  }
  guard_.RecordSuccess(user, ip);
  auto role = access::RoleFromName(account->role).value_or(access::Role::kCitizen);
  TokenRequest t{who.subject, account->role, account->facility, account->patient,
                 account->practitioner, DefaultScopesForRole(role), options_.session_ttl_s};
  std::string csrf = auth::RandomPassword(24);
  auth::JwtClaims c = ClaimsFor(options_.issuer, t);
  c.extra["csrf"] = csrf;
  auto token = keys_.Sign(c, kSessionTyp);
  if (!token.ok()) return respond(ErrorResponse(token.status()));
  who.role = role;
  who.facility = t.facility;
  Audit(who, "login", 0, "password");
  http::Response r = JsonBody(
      200, R"({"user":")" + user + R"(","role":")" + t.role + R"(","facility":")" + t.facility +
               R"(","csrf_token":")" + csrf + R"(","expires_in":)" + std::to_string(t.ttl_s) + "}");
  r.headers.push_back({"Set-Cookie", std::string(kSessionCookie) + "=" + *token +
                                         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                         std::to_string(t.ttl_s) +
                                         (options_.secure_cookies ? "; Secure" : "")});
  respond(std::move(r));
}

void AuthService::Logout(http::Request&& req, http::Responder respond) {
  // End the session on the server too: its token is refused from now on.
  std::string_view token = Cookie(req, kSessionCookie);
  if (!token.empty()) {
    auto v = VerifyToken(token);
    if (v.ok() && v->session) {
      (void)accounts_.RevokeToken(v->principal.token_id, v->exp);
      Audit(v->principal, "logout", 0, "session");
    }
  }
  http::Response r = JsonBody(200, R"({"signed_out":true})");
  r.headers.push_back({"Set-Cookie", std::string(kSessionCookie) +
                                         "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
  respond(std::move(r));
}

}  // namespace hb::rest
