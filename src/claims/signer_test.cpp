#include "claims/signer.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "claims/claim_builder.h"
#include "claims/envelope.h"
#include "claims/test_episode.h"
#include "common/temp_dir_test_util.h"

namespace hb::claims {
namespace {

namespace fs = std::filesystem;

class SignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = (dir_ / "key.pem").string();
    cert_ = (dir_ / "cert.pem").string();
    ASSERT_TRUE(
        CreateSelfSignedKey(key_, cert_, "Trạm Y tế phường Him Lam", "Sở Y tế Điện Biên").ok());
    ClaimErrors problems;
    auto r = BuildClaim(testing::MakeEpisode(), testing::TestCatalogs(), SchemaVersion::k4750,
                        &problems);
    xml_ = EnvelopeXml({&*r}, "11011", "20250314");
  }

  // A PKCS#12 file with the test key and certificate.
  std::string MakeP12(const char* password) {
    FILE* kf = std::fopen(key_.c_str(), "rb");
    EVP_PKEY* key = PEM_read_PrivateKey(kf, nullptr, nullptr, nullptr);
    std::fclose(kf);
    FILE* cf = std::fopen(cert_.c_str(), "rb");
    X509* cert = PEM_read_X509(cf, nullptr, nullptr, nullptr);
    std::fclose(cf);
    PKCS12* p12 = PKCS12_create(password, "facility", key, cert, nullptr, 0, 0, 0, 0, 0);
    const std::string path = (dir_ / "facility.p12").string();
    FILE* out = std::fopen(path.c_str(), "wb");
    i2d_PKCS12_fp(out, p12);
    std::fclose(out);
    PKCS12_free(p12);
    X509_free(cert);
    EVP_PKEY_free(key);
    return path;
  }

  hb::testing::TempDir tmp_{"hb-claims-signer"};
  fs::path dir_ = tmp_.path();
  std::string key_, cert_, xml_;
};

TEST_F(SignerTest, SignsAndVerifies) {
  auto signer = Signer::Open({key_, cert_});
  ASSERT_TRUE(signer.ok()) << signer.status().message();
  EXPECT_NE((*signer)->subject().find("Trạm Y tế phường Him Lam"), std::string::npos);
  auto signed_xml = (*signer)->Sign(xml_);
  ASSERT_TRUE(signed_xml.ok()) << signed_xml.status().message();
  EXPECT_NE(
      signed_xml->find("<CHUKYDONVI><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">"),
      std::string::npos);
  EXPECT_NE(signed_xml->find("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
            std::string::npos);
  EXPECT_NE(signed_xml->find("<X509Certificate>"), std::string::npos);
  auto check = VerifySignature(*signed_xml);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->valid) << check->problem;
  EXPECT_NE(check->subject.find("Him Lam"), std::string::npos);
  EXPECT_EQ(check->sha256_fingerprint.size(), 95u);
  // Signed twice: the old signature is replaced, not nested.
  auto twice = (*signer)->Sign(*signed_xml);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->find("<Signature ", twice->find("<Signature ") + 1), std::string::npos);
  EXPECT_TRUE(VerifySignature(*twice)->valid);
}

TEST_F(SignerTest, DetectsChanges) {
  auto signer = Signer::Open({key_, cert_});
  ASSERT_TRUE(signer.ok());
  std::string s = *(*signer)->Sign(xml_);
  std::string tampered = s;
  tampered.replace(tampered.find("<NGAYLAP>20250314"), 17, "<NGAYLAP>20250315");
  auto check = VerifySignature(tampered);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->valid);
  EXPECT_NE(check->problem.find("changed"), std::string::npos);
  EXPECT_EQ(VerifySignature(xml_).status().code(), ErrorCode::kInvalidArgument);  // unsigned
}

TEST_F(SignerTest, TrustedCertificate) {
  auto signer = Signer::Open({key_, cert_});
  std::string s = *(*signer)->Sign(xml_);
  EXPECT_TRUE(VerifySignature(s, cert_)->valid);
  const std::string other_key = (dir_ / "other-key.pem").string(),
                    other = (dir_ / "other.pem").string();
  ASSERT_TRUE(CreateSelfSignedKey(other_key, other, "Someone else", "Elsewhere").ok());
  EXPECT_FALSE(VerifySignature(s, other)->valid);
}

TEST_F(SignerTest, Pkcs12) {
  const std::string p12 = MakeP12("mật-khẩu");
  SignerOptions o;
  o.key_file = p12;
  o.password = "mật-khẩu";
  auto signer = Signer::Open(o);
  ASSERT_TRUE(signer.ok()) << signer.status().message();
  EXPECT_TRUE(VerifySignature(*(*signer)->Sign(xml_))->valid);
  o.password = "wrong";
  EXPECT_FALSE(Signer::Open(o).ok());
}

TEST_F(SignerTest, RefusesKeysWithoutCertificate) {
  EXPECT_EQ(Signer::Open({key_, ""}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Signer::Open({(dir_ / "none.pem").string(), cert_}).status().code(),
            ErrorCode::kInvalidArgument);
  auto signer = Signer::Open({key_, cert_});
  EXPECT_EQ((*signer)->Sign("<GIAMDINHHS/>").status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace hb::claims
