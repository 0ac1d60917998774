#include "auth/jwk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <rapidjson/document.h>

#include "auth/base64.h"
#include "auth/test_mutator.h"

namespace hb::auth {
namespace {

using ::testing::HasSubstr;

// RFC 7638 §3.1: the RSA key whose thumbprint the RFC computes.
constexpr const char* kRfc7638Jwk =
    R"({"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"})";
// RFC 7515 A.3's P-256 key, private part included.
constexpr const char* kA3PrivateJwk =
    R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"})";
constexpr const char* kA3X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr const char* kA3Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

std::string Ec(std::string_view x, std::string_view y, std::string_view extra = "") {
  return R"({"kty":"EC","crv":"P-256","x":")" + std::string(x) + R"(","y":")" + std::string(y) +
         "\"" + std::string(extra) + "}";
}

TEST(JwkTest, Rfc7638ThumbprintVector) {
  Result<Jwk> jwk = ParseJwk(kRfc7638Jwk);
  ASSERT_TRUE(jwk.ok()) << jwk.status().ToString();
  EXPECT_EQ(jwk->kid, "2011-04-29");
  EXPECT_EQ(jwk->alg, JwsAlg::kRS256);
  EXPECT_EQ(jwk->key.type(), KeyType::kRsa);
  EXPECT_EQ(jwk->key.bits(), 2048);
  EXPECT_EQ(Thumbprint(jwk->key), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  // Pinned by its "alg".
  EXPECT_TRUE(jwk->key.Supports(JwsAlg::kRS256));
  EXPECT_FALSE(jwk->key.Supports(JwsAlg::kRS384));
}

TEST(JwkTest, RoundTripsGeneratedKeysWithoutPrivateParts) {
  for (KeyType type : {KeyType::kEcP256, KeyType::kEcP384, KeyType::kRsa}) {
    JwsKey key = JwsKey::Generate(type).value();
    ASSERT_TRUE(key.has_private());
    std::string json = JwkJson(key, "kid-1", std::nullopt);
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    ASSERT_TRUE(doc.IsObject()) << json;
    for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
      EXPECT_FALSE(doc.HasMember(member)) << member << " in " << json;
    }
    EXPECT_EQ(std::string(doc["kid"].GetString()), "kid-1");
    EXPECT_EQ(std::string(doc["use"].GetString()), "sig");
    Result<Jwk> back = ParseJwk(json);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_FALSE(back->key.has_private());
    EXPECT_EQ(back->key.type(), type);
    EXPECT_EQ(Thumbprint(back->key), Thumbprint(key));
    JwsAlg alg = type == KeyType::kEcP256   ? JwsAlg::kES256
                 : type == KeyType::kEcP384 ? JwsAlg::kES384
                                            : JwsAlg::kRS384;
    std::string sig = key.Sign(alg, "data").value();
    EXPECT_TRUE(back->key.Verify(alg, "data", sig).ok());
    EXPECT_FALSE(back->key.Verify(alg, "date", sig).ok());
  }
}

TEST(JwkTest, EcCoordinatesKeepLeadingZeros) {
  // Fixed-width coordinates: every exported x and y of P-256 decodes to 32 bytes.
  for (int i = 0; i < 40; ++i) {
    JwsKey key = JwsKey::Generate(KeyType::kEcP256).value();
    Result<Jwk> back = ParseJwk(JwkJson(key, "", JwsAlg::kES256));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
  }
}

TEST(JwkTest, RefusesPrivateMaterialAndMalformedKeys) {
  EXPECT_THAT(ParseJwk(kA3PrivateJwk).status().message(), HasSubstr("private key material ('d')"));
  EXPECT_TRUE(ParseJwk(Ec(kA3X, kA3Y)).ok());
  // y of another point: not on the curve.
  EXPECT_THAT(ParseJwk(Ec(kA3X, kA3X)).status().message(), HasSubstr("not a valid EC public key"));
  EXPECT_THAT(ParseJwk(Ec("AAAA", kA3Y)).status().message(), HasSubstr("wrong length"));
  EXPECT_THAT(ParseJwk(Ec("!!", kA3Y)).status().message(), HasSubstr("not base64url"));
  EXPECT_THAT(
      ParseJwk(R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"})")
          .status()
          .message(),
      HasSubstr("'y' is missing"));
  EXPECT_THAT(ParseJwk(R"({"kty":"oct","k":"c2VjcmV0"})").status().message(),
              HasSubstr("private key material"));
  EXPECT_THAT(ParseJwk(R"({"kty":"OKP","crv":"Ed25519","x":"AAAA"})").status().message(),
              HasSubstr("not supported"));
  EXPECT_THAT(ParseJwk(Ec(kA3X, kA3Y, R"(,"alg":"RS256")")).status().message(),
              HasSubstr("does not fit"));
  EXPECT_FALSE(ParseJwk("not json").ok());
  // A genuine 1024-bit RSA key is too small.
  EVP_PKEY* small = EVP_RSA_gen(1024);
  ASSERT_NE(small, nullptr);
  BIGNUM* n = nullptr;
  ASSERT_TRUE(EVP_PKEY_get_bn_param(small, OSSL_PKEY_PARAM_RSA_N, &n));
  std::string n_bytes(size_t(BN_num_bytes(n)), '\0');
  BN_bn2bin(n, reinterpret_cast<unsigned char*>(n_bytes.data()));
  BN_free(n);
  EVP_PKEY_free(small);
  EXPECT_THAT(ParseJwk(R"({"kty":"RSA","e":"AQAB","n":")" + Base64UrlEncode(n_bytes) + "\"}")
                  .status()
                  .message(),
              HasSubstr("at least 2048"));
}

TEST(JwkTest, JwksSkipsUnusableKeysAndRefusesDuplicates) {
  JwsKey p384 = JwsKey::Generate(KeyType::kEcP384).value();
  std::string good = JwkJson(p384, "k-es384", JwsAlg::kES384);
  std::string jwks = R"({"keys":[)" + good + "," + std::string(kRfc7638Jwk) + "," +
                     Ec(kA3X, kA3Y, R"(,"kid":"enc","use":"enc")") + "," +
                     Ec(kA3X, kA3Y, R"(,"kid":"ps","alg":"PS256")") + "," +
                     R"({"kty":"EC","crv":"P-521","kid":"p521","x":"AA","y":"AA"},)" +
                     R"({"kty":"OKP","crv":"Ed25519","kid":"ed","x":"AAAA"}]})";
  Result<std::vector<Jwk>> keys = ParseJwks(jwks);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].kid, "k-es384");
  EXPECT_EQ((*keys)[1].kid, "2011-04-29");

  std::string dup = R"({"keys":[)" + good + "," + good + "]}";
  EXPECT_THAT(ParseJwks(dup).status().message(), HasSubstr("two keys share the kid 'k-es384'"));
  std::string priv = R"({"keys":[)" + std::string(kA3PrivateJwk) + "]}";
  EXPECT_FALSE(ParseJwks(priv).ok());
  EXPECT_FALSE(ParseJwks(R"({"kees":[]})").ok());
  EXPECT_TRUE(ParseJwks(R"({"keys":[]})").ok());
}

// Seeded mutations of a JWKS (a stand-in for a fuzzer): parsing never crashes
// and fails only with InvalidArgument.
TEST(JwkTest, MutatedJwksFailCleanly) {
  JwsKey p256 = JwsKey::Generate(KeyType::kEcP256).value();
  const std::string jwks =
      R"({"keys":[)" + JwkJson(p256, "a", JwsAlg::kES256) + "," + std::string(kRfc7638Jwk) + "]}";
  TestMutator mutator(7517, "");
  for (int i = 0; i < 3000; ++i) {
    std::string m = mutator.Mutate(jwks);
    Result<std::vector<Jwk>> keys = ParseJwks(m);
    if (!keys.ok()) {
      EXPECT_EQ(keys.status().code(), ErrorCode::kInvalidArgument) << m;
    }
  }
}

TEST(JwkTest, JwksDocumentHoldsPublicPartsOnly) {
  JwsKey a = JwsKey::Generate(KeyType::kEcP256).value();
  JwsKey b = JwsKey::Generate(KeyType::kRsa).value();
  std::string json =
      JwksJson({Jwk{a, "a", JwsAlg::kES256, "sig"}, Jwk{b, "b", JwsAlg::kRS384, "sig"}});
  EXPECT_EQ(json.find("\"d\""), std::string::npos);
  Result<std::vector<Jwk>> back = ParseJwks(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].alg, JwsAlg::kRS384);
  EXPECT_EQ(Thumbprint((*back)[1].key), Thumbprint(b));
}

}  // namespace
}  // namespace hb::auth
