#include "auth/jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include "auth/base64.h"
#include "auth/jwk.h"
#include "auth/test_mutator.h"

namespace hb::auth {
namespace {

using ::testing::HasSubstr;

// RFC 7515 Appendix A.2 (RS256) and A.3 (ES256): the public keys, and the
// examples' shared payload {"iss":"joe",\r\n "exp":1300819380,\r\n
// "http://example.com/is_root":true}.
constexpr const char* kA2Jwk =
    R"({"kty":"RSA","e":"AQAB","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"})";
constexpr const char* kA2Token =
    "eyJhbGciOiJSUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_"
    "O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_"
    "nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"
    "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igc"
    "N_IoypGlUPQGe77Rw";
constexpr const char* kA3Jwk =
    R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
constexpr const char* kA3Token =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
constexpr int64_t kRfcNow = 1300819000;  // before the examples' exp

const JwsKey& TestKey(KeyType type) {
  static const JwsKey p256 = JwsKey::Generate(KeyType::kEcP256).value();
  static const JwsKey p384 = JwsKey::Generate(KeyType::kEcP384).value();
  static const JwsKey rsa = JwsKey::Generate(KeyType::kRsa).value();
  return type == KeyType::kEcP256 ? p256 : type == KeyType::kEcP384 ? p384 : rsa;
}

KeyLookup Only(const JwsKey& key, std::string kid = "k1") {
  return [key, kid](std::string_view asked) -> std::optional<JwsKey> {
    if (asked == kid) return key.PublicOnly();
    return std::nullopt;
  };
}

VerifyOptions At(int64_t now) {
  VerifyOptions o;
  o.now = now;
  return o;
}

// A token with the given header and payload JSON, signed by `key`.
std::string SignRaw(std::string_view header, std::string_view payload, const JwsKey& key,
                    JwsAlg alg) {
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  return input + "." + Base64UrlEncode(key.Sign(alg, input).value());
}

JwtClaims Claims(int64_t now) {
  JwtClaims c;
  c.iss = "https://hb.example/fhir";
  c.sub = "Practitioner/123";
  c.aud = {"https://hb.example/fhir"};
  c.iat = now;
  c.exp = now + 300;
  c.jti = "j-1";
  c.scope = "user/*.rs openid";
  c.extra = {{"fhirUser", "Practitioner/123"}, {"facility", "79001"}, {"role", "doctor"}};
  return c;
}

TEST(JwtBase64Test, RoundTripsAndIsStrict) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00\x01"}) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)), s);
    EXPECT_EQ(Base64DecodeNoPad(Base64EncodeNoPad(s)), s);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64EncodeNoPad("\xfb\xff"), "+/8");
  EXPECT_FALSE(Base64UrlDecode("QQ=="));   // padding
  EXPECT_FALSE(Base64UrlDecode("Q"));      // impossible length
  EXPECT_FALSE(Base64UrlDecode("QR"));     // non-zero trailing bits
  EXPECT_FALSE(Base64UrlDecode("+/8"));    // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("QQ QQ"));  // whitespace
  EXPECT_TRUE(Base64UrlDecode("QQ"));
}

TEST(JwtTest, VerifiesRfc7515ExampleA2Rs256) {
  Jwk jwk = ParseJwk(kA2Jwk).value();
  Result<Jwt> jwt = VerifyJwt(kA2Token, Only(jwk.key, ""), At(kRfcNow));
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->header.alg, JwsAlg::kRS256);
  EXPECT_EQ(jwt->claims.iss, "joe");
  EXPECT_EQ(jwt->claims.exp, 1300819380);
  EXPECT_TRUE(jwt->claims.extra.empty());  // the boolean claim is not a string: dropped

  Result<Jwt> late = VerifyJwt(kA2Token, Only(jwk.key, ""), At(1300819380 + 61));
  EXPECT_EQ(late.status().code(), ErrorCode::kInvalidToken);
  EXPECT_EQ(late.status().message(), "expired at 2011-03-22T18:43:00.000Z");
}

TEST(JwtTest, VerifiesRfc7515ExampleA3Es256) {
  Jwk jwk = ParseJwk(kA3Jwk).value();
  Result<Jwt> jwt = VerifyJwt(kA3Token, Only(jwk.key, ""), At(kRfcNow));
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->header.alg, JwsAlg::kES256);
  // The RS256 example's signature checked with the EC key: alg confusion, refused.
  Result<Jwt> confused = VerifyJwt(kA2Token, Only(jwk.key, ""), At(kRfcNow));
  EXPECT_THAT(confused.status().message(), HasSubstr("does not match the EC P-256 key"));
}

TEST(JwtTest, TamperedPayloadFails) {
  Jwk jwk = ParseJwk(kA2Jwk).value();
  std::string token = kA2Token;
  size_t dot = token.find('.');
  std::string payload = Base64UrlEncode(R"({"iss":"admin","exp":1300819380})");
  std::string tampered = token.substr(0, dot + 1) + payload + token.substr(token.rfind('.'));
  Result<Jwt> jwt = VerifyJwt(tampered, Only(jwk.key, ""), At(kRfcNow));
  EXPECT_EQ(jwt.status().code(), ErrorCode::kInvalidToken);
  EXPECT_EQ(jwt.status().message(), "bad signature");
  // One flipped signature byte.
  std::string flipped = kA2Token;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyJwt(flipped, Only(jwk.key, ""), At(kRfcNow)).status().message(), "bad signature");
}

TEST(JwtTest, RoundTripsEveryAlgorithm) {
  struct Case {
    KeyType type;
    JwsAlg alg;
  } cases[] = {{KeyType::kEcP256, JwsAlg::kES256},
               {KeyType::kEcP384, JwsAlg::kES384},
               {KeyType::kRsa, JwsAlg::kRS256},
               {KeyType::kRsa, JwsAlg::kRS384}};
  const int64_t now = 1800000000;
  for (const Case& c : cases) {
    Result<std::string> token = SignJwt(Claims(now), TestKey(c.type), c.alg, "k1");
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    Result<Jwt> jwt = VerifyJwt(*token, Only(TestKey(c.type)), At(now));
    ASSERT_TRUE(jwt.ok()) << AlgName(c.alg) << ": " << jwt.status().ToString();
    EXPECT_EQ(jwt->header.alg, c.alg);
    EXPECT_EQ(jwt->header.kid, "k1");
    EXPECT_EQ(jwt->header.typ, "JWT");
    EXPECT_EQ(jwt->claims.sub, "Practitioner/123");
    EXPECT_EQ(jwt->claims.scope, "user/*.rs openid");
    EXPECT_EQ(jwt->claims.Extra("facility"), "79001");
    EXPECT_EQ(jwt->claims.Extra("fhirUser"), "Practitioner/123");
    EXPECT_EQ(jwt->claims.Extra("absent"), "");
    EXPECT_EQ(jwt->claims.exp, now + 300);
  }
}

TEST(JwtTest, TokenFromOneKeyFailsWithAnother) {
  const int64_t now = 1800000000;
  std::string token = SignJwt(Claims(now), TestKey(KeyType::kEcP256), JwsAlg::kES256, "k1").value();
  JwsKey other = JwsKey::Generate(KeyType::kEcP256).value();
  EXPECT_EQ(VerifyJwt(token, Only(other), At(now)).status().message(), "bad signature");
  EXPECT_EQ(VerifyJwt(token, Only(TestKey(KeyType::kEcP256), "k2"), At(now)).status().message(),
            "unknown kid 'k1'");
}

TEST(JwtTest, RejectsAlgNoneAndHmacConfusion) {
  const int64_t now = 1800000000;
  std::string payload = ClaimsToJson(Claims(now)).value();
  const JwsKey& rsa = TestKey(KeyType::kRsa);
  // alg none, without and with a signature part.
  std::string none =
      Base64UrlEncode(R"({"alg":"none","kid":"k1"})") + "." + Base64UrlEncode(payload);
  EXPECT_EQ(VerifyJwt(none + ".", Only(rsa), At(now)).status().message(), "unsigned token");
  EXPECT_EQ(VerifyJwt(none + ".AAAA", Only(rsa), At(now)).status().message(),
            "alg 'none' is not accepted");
  // HS256 keyed with the server's public key PEM: the classic confusion attack.
  std::string input =
      Base64UrlEncode(R"({"alg":"HS256","kid":"k1"})") + "." + Base64UrlEncode(payload);
  std::string pem = rsa.PublicPem();
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), pem.data(), int(pem.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  std::string forged =
      input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), len));
  Result<Jwt> jwt = VerifyJwt(forged, Only(rsa), At(now));
  EXPECT_EQ(jwt.status().code(), ErrorCode::kInvalidToken);
  EXPECT_EQ(jwt.status().message(), "alg 'HS256' is not accepted");
}

TEST(JwtTest, AlgMustMatchTheKeyAndTheAllowList) {
  const int64_t now = 1800000000;
  std::string es256 = SignJwt(Claims(now), TestKey(KeyType::kEcP256), JwsAlg::kES256, "k1").value();
  EXPECT_THAT(VerifyJwt(es256, Only(TestKey(KeyType::kRsa)), At(now)).status().message(),
              HasSubstr("alg ES256 does not match the RSA key"));
  EXPECT_THAT(VerifyJwt(es256, Only(TestKey(KeyType::kEcP384)), At(now)).status().message(),
              HasSubstr("does not match the EC P-384 key"));
  // A key pinned to RS384 refuses an RS256 token made with the same RSA key.
  std::string rs256 = SignJwt(Claims(now), TestKey(KeyType::kRsa), JwsAlg::kRS256, "k1").value();
  JwsKey pinned = TestKey(KeyType::kRsa).PinnedTo(JwsAlg::kRS384).value();
  EXPECT_THAT(VerifyJwt(rs256, Only(pinned), At(now)).status().message(),
              HasSubstr("does not match"));
  VerifyOptions only_es384 = At(now);
  only_es384.algorithms = {JwsAlg::kES384};
  EXPECT_EQ(VerifyJwt(es256, Only(TestKey(KeyType::kEcP256)), only_es384).status().message(),
            "alg ES256 is not accepted here");
  EXPECT_FALSE(SignJwt(Claims(now), TestKey(KeyType::kRsa), JwsAlg::kES256, "k1").ok());
  EXPECT_FALSE(SignJwt(Claims(now), TestKey(KeyType::kRsa).PublicOnly(), JwsAlg::kRS256, "").ok());
}

TEST(JwtTest, ChecksExpNbfIatWithSkew) {
  const int64_t now = 1800000000;
  const JwsKey& key = TestKey(KeyType::kEcP256);
  auto verify = [&](JwtClaims c, VerifyOptions o) {
    return VerifyJwt(SignJwt(c, key, JwsAlg::kES256, "k1").value(), Only(key), o).status();
  };
  JwtClaims c = Claims(now);
  c.exp = now - 30;  // within the 60 s skew
  EXPECT_TRUE(verify(c, At(now)).ok());
  c.exp = now - 60;
  EXPECT_THAT(verify(c, At(now)).message(), HasSubstr("expired at "));
  c = Claims(now);
  c.nbf = now + 120;
  EXPECT_THAT(verify(c, At(now)).message(), HasSubstr("not valid before "));
  c.nbf = now + 50;
  EXPECT_TRUE(verify(c, At(now)).ok());
  c = Claims(now);
  c.iat = now + 3600;
  EXPECT_THAT(verify(c, At(now)).message(), HasSubstr("issued in the future"));
  c = Claims(now);
  c.exp.reset();
  EXPECT_EQ(verify(c, At(now)).message(), "token has no exp");
  VerifyOptions lax = At(now);
  lax.require_exp = false;
  EXPECT_TRUE(verify(c, lax).ok());
  VerifyOptions strict = At(now + 400);
  strict.clock_skew_seconds = 0;
  EXPECT_FALSE(verify(Claims(now), strict).ok());
}

TEST(JwtTest, ChecksAudienceAndIssuer) {
  const int64_t now = 1800000000;
  const JwsKey& key = TestKey(KeyType::kEcP256);
  JwtClaims c = Claims(now);
  c.aud = {"https://a.example", "https://b.example"};
  std::string token = SignJwt(c, key, JwsAlg::kES256, "k1").value();
  VerifyOptions o = At(now);
  o.audience = "https://b.example";
  Result<Jwt> jwt = VerifyJwt(token, Only(key), o);
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->claims.aud.size(), 2u);
  o.audience = "https://c.example";
  EXPECT_THAT(VerifyJwt(token, Only(key), o).status().message(), HasSubstr("aud does not name"));
  o = At(now);
  o.issuer = "https://other.example";
  EXPECT_THAT(VerifyJwt(token, Only(key), o).status().message(), HasSubstr("iss"));
  c.aud.clear();
  o = At(now);
  o.audience = "https://a.example";
  EXPECT_EQ(
      VerifyJwt(SignJwt(c, key, JwsAlg::kES256, "k1").value(), Only(key), o).status().message(),
      "token has no aud");
}

TEST(JwtTest, RejectsMalformedTokens) {
  const int64_t now = 1800000000;
  const JwsKey& key = TestKey(KeyType::kEcP256);
  std::string payload = ClaimsToJson(Claims(now)).value();
  auto message = [&](std::string_view token) {
    return VerifyJwt(token, Only(key), At(now)).status().message();
  };
  EXPECT_EQ(message(""), "empty token");
  EXPECT_THAT(message("a.b"), HasSubstr("three dot-separated parts"));
  EXPECT_THAT(message("a.b.c.d"), HasSubstr("three dot-separated parts"));
  EXPECT_EQ(message("e30=.e30.AAAA"), "a token part is not base64url");
  EXPECT_EQ(message(SignRaw(R"({"alg":"ES256","kid":"k1","crit":["exp"]})", payload, key,
                            JwsAlg::kES256)),
            "critical header extensions are not supported");
  EXPECT_THAT(message(SignRaw(R"({"alg":"ES256","kid":"k1"})",
                              R"({"sub":"a","sub":"b","exp":1900000000})", key, JwsAlg::kES256)),
              HasSubstr("repeats the member 'sub'"));
  EXPECT_THAT(
      message(SignRaw(R"({"alg":"ES256","kid":"k1"})", R"({"exp":"soon"})", key, JwsAlg::kES256)),
      HasSubstr("not a NumericDate"));
  EXPECT_THAT(message(SignRaw(R"({"alg":"ES256","kid":"k1"})", "[1,2]", key, JwsAlg::kES256)),
              HasSubstr("payload is not a JSON object"));
  EXPECT_EQ(message(SignRaw(R"({"kid":"k1"})", payload, key, JwsAlg::kES256)), "header has no alg");
  VerifyOptions small = At(now);
  small.max_token_bytes = 64;
  EXPECT_THAT(VerifyJwt(SignJwt(Claims(now), key, JwsAlg::kES256, "k1").value(), Only(key), small)
                  .status()
                  .message(),
              HasSubstr("longer than 64 bytes"));
}

TEST(JwtTest, ExtraClaimsCannotShadowRegisteredOnes) {
  JwtClaims c = Claims(1800000000);
  c.extra["exp"] = "never";
  EXPECT_EQ(ClaimsToJson(c).status().code(), ErrorCode::kInvalidArgument);
  JwtClaims bad = Claims(1800000000);
  bad.extra["x"] = "\xff";
  EXPECT_FALSE(ClaimsToJson(bad).ok());
}

// Seeded mutations of a valid token (a stand-in for a fuzzer): nothing crashes
// and no token but the original verifies.
TEST(JwtTest, MutatedTokensNeverVerify) {
  const int64_t now = 1800000000;
  const JwsKey& key = TestKey(KeyType::kEcP256);
  const std::string token = SignJwt(Claims(now), key, JwsAlg::kES256, "k1").value();
  TestMutator mutator(7515, "");
  for (int i = 0; i < 3000; ++i) {
    std::string m = mutator.Mutate(token);
    if (m == token) continue;
    Result<Jwt> jwt = VerifyJwt(m, Only(key), At(now));
    ASSERT_FALSE(jwt.ok()) << m;
    EXPECT_EQ(jwt.status().code(), ErrorCode::kInvalidToken) << jwt.status().ToString();
    (void)DecodeJwtUnverified(m);
  }
}

TEST(JwtTest, DecodesUnverifiedForKeySelectionOnly) {
  Result<Jwt> jwt = DecodeJwtUnverified(kA2Token);
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->claims.iss, "joe");
  EXPECT_FALSE(DecodeJwtUnverified("nope").ok());
}

}  // namespace
}  // namespace hb::auth
