#include "auth/client_assertion.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hb::auth {
namespace {

using ::testing::HasSubstr;

constexpr const char* kTokenUrl = "https://hb.example/auth/token";
constexpr const char* kClient = "bulk-exporter";

const JwsKey& RsaKey() {
  static const JwsKey key = JwsKey::Generate(KeyType::kRsa).value();
  return key;
}
const JwsKey& EcKey() {
  static const JwsKey key = JwsKey::Generate(KeyType::kEcP384).value();
  return key;
}

class ClientAssertionTest : public ::testing::Test {
 protected:
  ClientAssertionTest() : validator_(Options(), Lookup(), [this] { return now_; }) {}

  static ClientAssertionOptions Options() {
    ClientAssertionOptions o;
    o.token_endpoint = kTokenUrl;
    return o;
  }

  // The registered JWKS of kClient, as a client would have uploaded it.
  static ClientKeysLookup Lookup() {
    std::string jwks = R"({"keys":[)" + JwkJson(RsaKey(), "rsa-1", JwsAlg::kRS384) + "," +
                       JwkJson(EcKey(), "ec-1", JwsAlg::kES384) + "]}";
    return [jwks](std::string_view client) -> Result<std::vector<Jwk>> {
      if (client != kClient) return Status(ErrorCode::kNotFound, "no such client");
      return ParseJwks(jwks);
    };
  }

  JwtClaims Claims(std::string jti = "jti-1") const {
    JwtClaims c;
    c.iss = kClient;
    c.sub = kClient;
    c.aud = {kTokenUrl};
    c.exp = now_ + 240;
    c.jti = std::move(jti);
    return c;
  }

  std::string Sign(const JwtClaims& c, const JwsKey& key = RsaKey(), JwsAlg alg = JwsAlg::kRS384,
                   std::string kid = "rsa-1") {
    return SignJwt(c, key, alg, kid).value();
  }

  std::string Error(std::string_view assertion, std::string_view client_id = {}) {
    Result<ValidatedAssertion> r = validator_.Validate(assertion, client_id);
    return r.ok() ? "accepted" : r.status().message();
  }

  int64_t now_ = 1800000000;
  ClientAssertionValidator validator_;
};

TEST_F(ClientAssertionTest, AcceptsRs384AndEs384) {
  Result<ValidatedAssertion> rs = validator_.Validate(Sign(Claims("a")));
  ASSERT_TRUE(rs.ok()) << rs.status().ToString();
  EXPECT_EQ(rs->client_id, kClient);
  EXPECT_EQ(rs->kid, "rsa-1");
  EXPECT_EQ(rs->alg, JwsAlg::kRS384);
  EXPECT_EQ(rs->jti, "a");
  Result<ValidatedAssertion> ec =
      validator_.Validate(Sign(Claims("b"), EcKey(), JwsAlg::kES384, "ec-1"), kClient);
  ASSERT_TRUE(ec.ok()) << ec.status().ToString();
  EXPECT_EQ(ec->alg, JwsAlg::kES384);
}

TEST_F(ClientAssertionTest, RefusesAReusedJti) {
  std::string assertion = Sign(Claims("once"));
  EXPECT_EQ(Error(assertion), "accepted");
  EXPECT_EQ(Error(assertion), "client assertion: jti 'once' was already used");
  EXPECT_THAT(Error(Sign(Claims("once"))), HasSubstr("already used"));  // a fresh token, same jti
  now_ += 200;                                                          // still within exp + skew
  EXPECT_THAT(Error(Sign(Claims("once"))), HasSubstr("already used"));
}

TEST_F(ClientAssertionTest, ForgedAssertionsDoNotBurnAJti) {
  JwsKey stranger = JwsKey::Generate(KeyType::kEcP384).value();
  EXPECT_THAT(Error(Sign(Claims("j"), stranger, JwsAlg::kES384, "ec-1")),
              HasSubstr("bad signature"));
  EXPECT_EQ(Error(Sign(Claims("j"))), "accepted");
}

TEST_F(ClientAssertionTest, RefusesWrongAudience) {
  JwtClaims c = Claims();
  c.aud = {"https://hb.example/fhir"};
  EXPECT_THAT(Error(Sign(c)), HasSubstr("aud does not name 'https://hb.example/auth/token'"));
}

TEST_F(ClientAssertionTest, RefusesALongOrPastExp) {
  JwtClaims c = Claims();
  c.exp = now_ + 600;
  EXPECT_THAT(Error(Sign(c)), HasSubstr("more than 300 seconds in the future"));
  c.exp = now_ - 120;
  EXPECT_THAT(Error(Sign(c)), HasSubstr("expired at"));
  c.exp.reset();
  EXPECT_THAT(Error(Sign(c)), HasSubstr("no exp"));
}

TEST_F(ClientAssertionTest, RefusesTheWrongKey) {
  // Signed by the client's EC key but naming its RSA kid: alg/key mismatch.
  EXPECT_THAT(Error(Sign(Claims(), EcKey(), JwsAlg::kES384, "rsa-1")), HasSubstr("does not match"));
  // A key the client never registered.
  JwsKey stranger = JwsKey::Generate(KeyType::kEcP384).value();
  EXPECT_THAT(Error(Sign(Claims(), stranger, JwsAlg::kES384, "ec-1")), HasSubstr("bad signature"));
  EXPECT_THAT(Error(Sign(Claims(), stranger, JwsAlg::kES384, "ec-2")), HasSubstr("unknown kid"));
  EXPECT_THAT(Error(Sign(Claims(), EcKey(), JwsAlg::kES384, "")), HasSubstr("no kid"));
  // The registered RSA key is pinned to RS384 by its JWK.
  EXPECT_THAT(Error(Sign(Claims(), RsaKey(), JwsAlg::kRS256)), HasSubstr("does not match"));
}

TEST_F(ClientAssertionTest, RefusesWrongIdentities) {
  JwtClaims c = Claims();
  c.sub = "someone-else";
  EXPECT_THAT(Error(Sign(c)), HasSubstr("sub 'someone-else' differs from iss"));
  c = Claims();
  c.iss = c.sub = "unknown-client";
  EXPECT_THAT(Error(Sign(c)), HasSubstr("'unknown-client' has no usable registered keys"));
  EXPECT_THAT(Error(Sign(Claims()), "other-client"), HasSubstr("is not the client_id"));
  c = Claims();
  c.iss.clear();
  EXPECT_THAT(Error(Sign(c)), HasSubstr("no iss"));
  c = Claims("");
  EXPECT_THAT(Error(Sign(c)), HasSubstr("no jti"));
  EXPECT_THAT(Error("garbage"), HasSubstr("three dot-separated parts"));
}

TEST_F(ClientAssertionTest, AlgorithmsCanBeNarrowed) {
  ClientAssertionOptions o = Options();
  o.algorithms = {JwsAlg::kES384};
  ClientAssertionValidator strict(o, Lookup(), [this] { return now_; });
  Result<ValidatedAssertion> r = strict.Validate(Sign(Claims()));
  EXPECT_THAT(r.status().message(), HasSubstr("alg RS384 is not accepted here"));
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidToken);
}

TEST(ClientReplayCacheTest, ExpiresAndBoundsEntries) {
  ReplayCache cache(2);
  EXPECT_EQ(cache.Remember("a", 110, 100), ReplayCache::Outcome::kFresh);
  EXPECT_EQ(cache.Remember("a", 110, 105), ReplayCache::Outcome::kReplayed);
  EXPECT_EQ(cache.Remember("b", 200, 105), ReplayCache::Outcome::kFresh);
  EXPECT_EQ(cache.Remember("c", 200, 105), ReplayCache::Outcome::kFull);   // fails closed
  EXPECT_EQ(cache.Remember("a", 120, 110), ReplayCache::Outcome::kFresh);  // "a" expired at 110
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Remember("c", 300, 200), ReplayCache::Outcome::kFresh);  // a and b expired
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace hb::auth
