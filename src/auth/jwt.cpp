#include "auth/jwt.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "auth/base64.h"
#include "auth/internal/quote.h"
#include "auth/time_source.h"
#include "common/clock.h"

namespace hb::auth {
namespace {

constexpr std::string_view kRegistered[] = {"iss", "sub", "aud", "exp",
                                            "nbf", "iat", "jti", "scope"};
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
using StrictWriter =
    rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>,
                      rapidjson::CrtAllocator, rapidjson::kWriteValidateEncodingFlag>;

Status Bad(std::string reason) { return Status(ErrorCode::kInvalidToken, std::move(reason)); }

using internal::Quote;

std::string_view View(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

Status ParseObject(std::string_view json, std::string_view what, rapidjson::Document* doc) {
  doc->Parse<kParseFlags>(json.data(), json.size());
  if (doc->HasParseError() || !doc->IsObject()) {
    return Bad("the " + std::string(what) + " is not a JSON object");
  }
  std::set<std::string_view> seen;
  for (const auto& m : doc->GetObject()) {
    if (!seen.insert(View(m.name)).second) {
      return Bad("the " + std::string(what) + " repeats the member " + Quote(View(m.name)));
    }
  }
  return Status::Ok();
}

Result<int64_t> NumericDate(const rapidjson::Value& v, std::string_view name) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsNumber()) {
    double d = v.GetDouble();
    if (std::isfinite(d) && std::fabs(d) < 1e15) return int64_t(std::floor(d));
  }
  return Bad("claim '" + std::string(name) + "' is not a NumericDate");
}

struct Parts {
  size_t signing_input_size = 0;
  std::string header_json;
  std::string payload_json;
  std::string signature;
};

Result<Parts> SplitToken(std::string_view token, size_t max_bytes) {
  if (token.empty()) return Bad("empty token");
  if (token.size() > max_bytes)
    return Bad("token longer than " + std::to_string(max_bytes) + " bytes");
  size_t a = token.find('.');
  size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) {
    return Bad("not a compact JWS (expected three dot-separated parts)");
  }
  auto header = Base64UrlDecode(token.substr(0, a));
  auto payload = Base64UrlDecode(token.substr(a + 1, b - a - 1));
  auto signature = Base64UrlDecode(token.substr(b + 1));
  if (!header || !payload || !signature) return Bad("a token part is not base64url");
  if (signature->empty()) return Bad("unsigned token");
  return Parts{b, std::move(*header), std::move(*payload), std::move(*signature)};
}

Result<JwsHeader> ParseHeader(std::string_view json) {
  rapidjson::Document doc;
  HB_RETURN_IF_ERROR(ParseObject(json, "header", &doc));
  JwsHeader header;
  auto alg = doc.FindMember("alg");
  if (alg == doc.MemberEnd() || !alg->value.IsString()) return Bad("header has no alg");
  std::optional<JwsAlg> parsed = AlgFromName(View(alg->value));
  if (!parsed) return Bad("alg " + Quote(View(alg->value)) + " is not accepted");
  header.alg = *parsed;
  if (doc.HasMember("crit")) return Bad("critical header extensions are not supported");
  for (auto [name, out] : {std::pair{"kid", &header.kid}, std::pair{"typ", &header.typ}}) {
    auto it = doc.FindMember(name);
    if (it == doc.MemberEnd()) continue;
    if (!it->value.IsString()) return Bad(std::string("header ") + name + " is not a string");
    out->assign(View(it->value));
  }
  return header;
}

Result<Jwt> Decode(std::string_view token, size_t max_bytes, Parts* parts) {
  HB_ASSIGN_OR_RETURN(*parts, SplitToken(token, max_bytes));
  Jwt jwt;
  HB_ASSIGN_OR_RETURN(jwt.header, ParseHeader(parts->header_json));
  return jwt;
}

Status CheckTimes(const JwtClaims& c, const VerifyOptions& options) {
  int64_t now = options.now.value_or(SystemUnixSeconds());
  int64_t skew = options.clock_skew_seconds;
  if (!c.exp && options.require_exp) return Bad("token has no exp");
  if (c.exp && now - skew >= *c.exp) return Bad("expired at " + FormatInstant(*c.exp * 1000000));
  if (c.nbf && now + skew < *c.nbf) {
    return Bad("not valid before " + FormatInstant(*c.nbf * 1000000));
  }
  if (c.iat && now + skew < *c.iat) {
    return Bad("issued in the future (" + FormatInstant(*c.iat * 1000000) + ")");
  }
  return Status::Ok();
}

}  // namespace

std::string_view JwtClaims::Extra(std::string_view name) const {
  auto it = extra.find(name);
  return it == extra.end() ? std::string_view() : std::string_view(it->second);
}

bool JwtClaims::HasAudience(std::string_view audience) const {
  return std::find(aud.begin(), aud.end(), audience) != aud.end();
}

Result<std::string> ClaimsToJson(const JwtClaims& c) {
  rapidjson::StringBuffer buf;
  StrictWriter w(buf);
  bool ok = w.StartObject();
  auto str = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    ok = ok && w.Key(name.data(), rapidjson::SizeType(name.size())) &&
         w.String(value.data(), rapidjson::SizeType(value.size()));
  };
  auto num = [&](std::string_view name, const std::optional<int64_t>& value) {
    if (!value) return;
    ok = ok && w.Key(name.data(), rapidjson::SizeType(name.size())) && w.Int64(*value);
  };
  str("iss", c.iss);
  str("sub", c.sub);
  if (c.aud.size() == 1) {
    str("aud", c.aud.front());
  } else if (!c.aud.empty()) {
    ok = ok && w.Key("aud") && w.StartArray();
    for (const std::string& a : c.aud) ok = ok && w.String(a.data(), rapidjson::SizeType(a.size()));
    ok = ok && w.EndArray();
  }
  num("exp", c.exp);
  num("nbf", c.nbf);
  num("iat", c.iat);
  str("jti", c.jti);
  str("scope", c.scope);
  for (const auto& [name, value] : c.extra) {
    if (std::find(std::begin(kRegistered), std::end(kRegistered), name) != std::end(kRegistered)) {
      return Status(ErrorCode::kInvalidArgument,
                    "extra claim '" + name + "' is a registered claim");
    }
    ok = ok && w.Key(name.data(), rapidjson::SizeType(name.size())) &&
         w.String(value.data(), rapidjson::SizeType(value.size()));
  }
  ok = ok && w.EndObject();
  if (!ok) return Status(ErrorCode::kInvalidArgument, "a claim is not valid UTF-8");
  return std::string(buf.GetString(), buf.GetSize());
}

Result<JwtClaims> ClaimsFromJson(std::string_view json) {
  rapidjson::Document doc;
  HB_RETURN_IF_ERROR(ParseObject(json, "payload", &doc));
  JwtClaims c;
  for (const auto& m : doc.GetObject()) {
    std::string_view name = View(m.name);
    const rapidjson::Value& v = m.value;
    if (name == "exp" || name == "nbf" || name == "iat") {
      HB_ASSIGN_OR_RETURN(int64_t t, NumericDate(v, name));
      (name == "exp" ? c.exp : name == "nbf" ? c.nbf : c.iat) = t;
    } else if (name == "aud") {
      if (v.IsString()) {
        c.aud.emplace_back(View(v));
      } else if (v.IsArray()) {
        for (const auto& a : v.GetArray()) {
          if (!a.IsString()) return Bad("claim 'aud' has a member that is not a string");
          c.aud.emplace_back(View(a));
        }
      } else {
        return Bad("claim 'aud' is neither a string nor an array");
      }
    } else if (name == "iss" || name == "sub" || name == "jti" || name == "scope") {
      if (!v.IsString()) return Bad("claim '" + std::string(name) + "' is not a string");
      (name == "iss" ? c.iss : name == "sub" ? c.sub : name == "jti" ? c.jti : c.scope) = View(v);
    } else if (v.IsString()) {
      c.extra.emplace(std::string(name), std::string(View(v)));
    }
  }
  return c;
}

Result<std::string> SignJwt(const JwtClaims& claims, const JwsKey& key, JwsAlg alg,
                            std::string_view kid, std::string_view typ) {
  HB_ASSIGN_OR_RETURN(std::string payload, ClaimsToJson(claims));
  rapidjson::StringBuffer buf;
  StrictWriter w(buf);
  std::string_view name = AlgName(alg);
  w.StartObject();
  w.Key("alg");
  w.String(name.data(), rapidjson::SizeType(name.size()));
  if (!kid.empty()) {
    w.Key("kid");
    w.String(kid.data(), rapidjson::SizeType(kid.size()));
  }
  if (!typ.empty()) {
    w.Key("typ");
    w.String(typ.data(), rapidjson::SizeType(typ.size()));
  }
  w.EndObject();
  std::string input = Base64UrlEncode(std::string_view(buf.GetString(), buf.GetSize())) + "." +
                      Base64UrlEncode(payload);
  HB_ASSIGN_OR_RETURN(std::string signature, key.Sign(alg, input));
  return input + "." + Base64UrlEncode(signature);
}

Result<Jwt> VerifyJwt(std::string_view token, const KeyLookup& keys, const VerifyOptions& options) {
  Parts parts;
  HB_ASSIGN_OR_RETURN(Jwt jwt, Decode(token, options.max_token_bytes, &parts));
  const JwsAlg alg = jwt.header.alg;
  if (!options.algorithms.empty() && std::find(options.algorithms.begin(), options.algorithms.end(),
                                               alg) == options.algorithms.end()) {
    return Bad("alg " + std::string(AlgName(alg)) + " is not accepted here");
  }
  std::optional<JwsKey> key = keys ? keys(jwt.header.kid) : std::nullopt;
  if (!key) {
    return Bad(jwt.header.kid.empty() ? "token has no kid"
                                      : "unknown kid " + Quote(jwt.header.kid));
  }
  if (!key->Supports(alg)) {
    return Bad("alg " + std::string(AlgName(alg)) + " does not match the " +
               std::string(KeyTypeName(key->type())) + " key " + Quote(jwt.header.kid));
  }
  HB_RETURN_IF_ERROR(key->Verify(alg, token.substr(0, parts.signing_input_size), parts.signature));
  HB_ASSIGN_OR_RETURN(jwt.claims, ClaimsFromJson(parts.payload_json));
  HB_RETURN_IF_ERROR(CheckTimes(jwt.claims, options));
  if (!options.audience.empty() && !jwt.claims.HasAudience(options.audience)) {
    return Bad(jwt.claims.aud.empty() ? "token has no aud"
                                      : "aud does not name " + Quote(options.audience));
  }
  if (!options.issuer.empty() && jwt.claims.iss != options.issuer) {
    return Bad("iss " + Quote(jwt.claims.iss) + " is not " + Quote(options.issuer));
  }
  return jwt;
}

Result<Jwt> DecodeJwtUnverified(std::string_view token, size_t max_token_bytes) {
  Parts parts;
  HB_ASSIGN_OR_RETURN(Jwt jwt, Decode(token, max_token_bytes, &parts));
  HB_ASSIGN_OR_RETURN(jwt.claims, ClaimsFromJson(parts.payload_json));
  return jwt;
}

}  // namespace hb::auth
