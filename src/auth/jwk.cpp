#include "auth/jwk.h"

#include <openssl/core_names.h>
#include <openssl/sha.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

#include "auth/base64.h"
#include "auth/internal/openssl.h"
#include "auth/internal/quote.h"

namespace hb::auth {
namespace {

using internal::BnPtr;
using internal::ParamBldPtr;
using internal::ParamPtr;
using internal::PkeyCtxPtr;

constexpr std::string_view kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, "JWK: " + std::move(message));
}

std::string_view View(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// The public members of `key`, base64url-encoded.
struct PublicFields {
  std::string kty, crv, x, y, n, e;
};

std::string BnBytes(EVP_PKEY* pkey, const char* param, int pad) {
  BIGNUM* raw = nullptr;
  if (!EVP_PKEY_get_bn_param(pkey, param, &raw)) std::abort();  // our own validated key
  BnPtr bn(raw);
  std::string out(pad > 0 ? size_t(pad) : size_t(BN_num_bytes(bn.get())), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (pad > 0 ? BN_bn2binpad(bn.get(), p, pad) < 0 : BN_bn2bin(bn.get(), p) < 0) std::abort();
  return out;
}

PublicFields Fields(const JwsKey& key) {
  PublicFields f;
  if (key.type() == KeyType::kRsa) {
    f.kty = "RSA";
    f.n = Base64UrlEncode(BnBytes(key.evp(), OSSL_PKEY_PARAM_RSA_N, 0));
    f.e = Base64UrlEncode(BnBytes(key.evp(), OSSL_PKEY_PARAM_RSA_E, 0));
  } else {
    int size = key.type() == KeyType::kEcP256 ? 32 : 48;
    f.kty = "EC";
    f.crv = key.type() == KeyType::kEcP256 ? "P-256" : "P-384";
    f.x = Base64UrlEncode(BnBytes(key.evp(), OSSL_PKEY_PARAM_EC_PUB_X, size));
    f.y = Base64UrlEncode(BnBytes(key.evp(), OSSL_PKEY_PARAM_EC_PUB_Y, size));
  }
  return f;
}

Result<std::string> Member(const rapidjson::Value& obj, const char* name, bool required) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) {
    if (required) return Invalid(std::string("member '") + name + "' is missing");
    return std::string();
  }
  if (!it->value.IsString()) return Invalid(std::string("member '") + name + "' is not a string");
  return std::string(View(it->value));
}

Result<std::string> Bytes(const rapidjson::Value& obj, const char* name) {
  HB_ASSIGN_OR_RETURN(std::string text, Member(obj, name, true));
  auto bytes = Base64UrlDecode(text);
  if (!bytes || bytes->empty())
    return Invalid(std::string("member '") + name + "' is not base64url");
  return std::move(*bytes);
}

Result<JwsKey> FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    internal::OpenSslError();
    return Invalid(std::string("not a valid ") + type + " public key");
  }
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    internal::OpenSslError();
    EVP_PKEY_free(pkey);
    return Invalid(std::string("not a valid ") + type + " public key (check failed)");
  }
  Result<JwsKey> key = JwsKey::Adopt(pkey, false);
  if (!key.ok()) return Invalid(key.status().message());
  return key;
}

// nullopt: a key this module does not use (skipped in a JWKS).
Result<std::optional<Jwk>> ParseValue(const rapidjson::Value& obj) {
  if (!obj.IsObject()) return Invalid("not an object");
  for (std::string_view m : kPrivateMembers) {
    if (obj.HasMember(m.data())) {  // the literals are NUL-terminated
      return Invalid("carries private key material ('" + std::string(m) + "')");
    }
  }
  HB_ASSIGN_OR_RETURN(std::string kty, Member(obj, "kty", true));
  HB_ASSIGN_OR_RETURN(std::string kid, Member(obj, "kid", false));
  HB_ASSIGN_OR_RETURN(std::string use, Member(obj, "use", false));
  HB_ASSIGN_OR_RETURN(std::string alg_name, Member(obj, "alg", false));
  if (!use.empty() && use != "sig") return std::optional<Jwk>();
  std::optional<JwsAlg> alg;
  if (!alg_name.empty()) {
    alg = AlgFromName(alg_name);
    if (!alg) return std::optional<Jwk>();
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) return Status(ErrorCode::kInternal, "OSSL_PARAM_BLD_new failed");
  Result<JwsKey> key = Invalid("unreachable");
  if (kty == "EC") {
    HB_ASSIGN_OR_RETURN(std::string crv, Member(obj, "crv", true));
    size_t size = crv == "P-256" ? 32 : crv == "P-384" ? 48 : 0;
    if (size == 0) return std::optional<Jwk>();
    HB_ASSIGN_OR_RETURN(std::string x, Bytes(obj, "x"));
    HB_ASSIGN_OR_RETURN(std::string y, Bytes(obj, "y"));
    if (x.size() != size || y.size() != size)
      return Invalid("x or y has the wrong length for " + crv);
    std::string point = "\x04" + x + y;  // uncompressed SEC1 point
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                    size == 32 ? "prime256v1" : "secp384r1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                     point.size());
    key = FromParams("EC", bld.get());
  } else if (kty == "RSA") {
    HB_ASSIGN_OR_RETURN(std::string n_bytes, Bytes(obj, "n"));
    HB_ASSIGN_OR_RETURN(std::string e_bytes, Bytes(obj, "e"));
    if (e_bytes.size() > 8) return Invalid("RSA exponent is too large");
    BnPtr n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n_bytes.data()), int(n_bytes.size()),
                      nullptr));
    BnPtr e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e_bytes.data()), int(e_bytes.size()),
                      nullptr));
    if (!n || !e) return Status(ErrorCode::kInternal, "BN_bin2bn failed");
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
    key = FromParams("RSA", bld.get());
  } else {
    return std::optional<Jwk>();
  }
  if (!key.ok()) return key.status();
  if (alg) key = key->PinnedTo(*alg);
  if (!key.ok()) return Invalid(key.status().message());
  return std::optional<Jwk>(Jwk{std::move(key).value(), std::move(kid), alg, std::move(use)});
}

void WriteJwk(rapidjson::Writer<rapidjson::StringBuffer>& w, const JwsKey& key,
              std::string_view kid, std::optional<JwsAlg> alg, std::string_view use) {
  PublicFields f = Fields(key);
  auto member = [&](const char* name, std::string_view value) {
    if (value.empty()) return;
    w.Key(name);
    w.String(value.data(), rapidjson::SizeType(value.size()));
  };
  w.StartObject();
  member("kty", f.kty);
  member("crv", f.crv);
  member("x", f.x);
  member("y", f.y);
  member("n", f.n);
  member("e", f.e);
  member("kid", kid);
  if (alg) member("alg", AlgName(*alg));
  member("use", use);
  w.EndObject();
}

}  // namespace

Result<Jwk> ParseJwk(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(),
                                                                                    json.size());
  if (doc.HasParseError()) return Invalid("not JSON");
  HB_ASSIGN_OR_RETURN(std::optional<Jwk> jwk, ParseValue(doc));
  if (!jwk) return Invalid("key type, curve, use or alg is not supported");
  return std::move(*jwk);
}

Result<std::vector<Jwk>> ParseJwks(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(),
                                                                                    json.size());
  if (doc.HasParseError() || !doc.IsObject()) return Invalid("JWKS is not a JSON object");
  auto keys = doc.FindMember("keys");
  if (keys == doc.MemberEnd() || !keys->value.IsArray()) return Invalid("JWKS has no 'keys' array");
  std::vector<Jwk> out;
  std::set<std::string> kids;
  for (const auto& value : keys->value.GetArray()) {
    HB_ASSIGN_OR_RETURN(std::optional<Jwk> jwk, ParseValue(value));
    if (!jwk) continue;
    if (!kids.insert(jwk->kid).second)
      return Invalid("two keys share the kid " + internal::Quote(jwk->kid));
    out.push_back(std::move(*jwk));
  }
  return out;
}

std::string JwkJson(const JwsKey& key, std::string_view kid, std::optional<JwsAlg> alg,
                    std::string_view use) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  WriteJwk(w, key, kid, alg, use);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string JwksJson(const std::vector<Jwk>& keys) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("keys");
  w.StartArray();
  for (const Jwk& k : keys) WriteJwk(w, k.key, k.kid, k.alg, k.use);
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string Thumbprint(const JwsKey& key) {
  PublicFields f = Fields(key);
  // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace.
  std::string canonical =
      f.kty == "RSA"
          ? R"({"e":")" + f.e + R"(","kty":"RSA","n":")" + f.n + R"("})"
          : R"({"crv":")" + f.crv + R"(","kty":"EC","x":")" + f.x + R"(","y":")" + f.y + R"("})";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest);
  return Base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest), sizeof(digest)));
}

}  // namespace hb::auth
