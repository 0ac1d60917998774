#include "auth/key_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "auth/jwk.h"
#include "common/temp_dir_test_util.h"

namespace hb::auth {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr int64_t kDay = 24 * 3600;

class KeyStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<KeyStore> OpenStore() {
    Result<std::unique_ptr<KeyStore>> store =
        KeyStore::Open(dir_, {}, [this] { return now_.load(); });
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::vector<fs::path> PemFiles() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path());
    return out;
  }

  JwtClaims Claims() const {
    JwtClaims c;
    c.sub = "Practitioner/1";
    c.iat = now_.load();
    c.exp = now_.load() + 3600;
    return c;
  }

  static mode_t Mode(const fs::path& p) {
    struct stat st;
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
  }

  hb::testing::TempDir tmp_{"hb-keystore"};
  fs::path root_ = tmp_.path(), dir_ = root_ / "keys";
  std::atomic<int64_t> now_{1800000000};
};

TEST_F(KeyStoreTest, FirstOpenCreatesAPrivateFolderAndKey) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_EQ(Mode(dir_), 0700u);
  std::vector<fs::path> files = PemFiles();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(Mode(files[0]), 0600u);
  EXPECT_EQ(files[0].filename().string(), "1800000000-" + store->CurrentKid() + ".pem");
  std::ifstream in(files[0]);
  std::string pem((std::istreambuf_iterator<char>(in)), {});
  JwsKey key = JwsKey::FromPem(pem).value();
  EXPECT_EQ(key.type(), KeyType::kEcP256);
  EXPECT_EQ(Thumbprint(key), store->CurrentKid());  // kid = RFC 7638 thumbprint
  EXPECT_EQ(store->CurrentKid().size(), 43u);

  auto again = OpenStore();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->CurrentKid(), store->CurrentKid());
  EXPECT_EQ(PemFiles().size(), 1u);
}

TEST_F(KeyStoreTest, TightensAnOpenFolder) {
  fs::create_directories(dir_);
  ::chmod(dir_.c_str(), 0755);
  ASSERT_TRUE(OpenStore());
  EXPECT_EQ(Mode(dir_), 0700u);
}

TEST_F(KeyStoreTest, SignsAndVerifiesEs256) {
  auto store = OpenStore();
  std::string token = store->Sign(Claims()).value();
  Result<Jwt> jwt = store->Verify(token);
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->header.alg, JwsAlg::kES256);
  EXPECT_EQ(jwt->header.kid, store->CurrentKid());
  EXPECT_EQ(jwt->claims.sub, "Practitioner/1");
  now_ += 3600 + 61;
  EXPECT_THAT(store->Verify(token).status().message(), HasSubstr("expired at"));
}

TEST_F(KeyStoreTest, TokenFromAnotherStoreIsRefused) {
  auto store = OpenStore();
  Result<std::unique_ptr<KeyStore>> other =
      KeyStore::Open(root_ / "other", {}, [this] { return now_.load(); });
  ASSERT_TRUE(other.ok());
  std::string foreign = (*other)->Sign(Claims()).value();
  EXPECT_THAT(store->Verify(foreign).status().message(), HasSubstr("unknown kid"));
}

TEST_F(KeyStoreTest, RotationKeepsOldTokensValidUntilRetired) {
  auto store = OpenStore();
  const std::string old_kid = store->CurrentKid();
  std::string old_token = store->Sign(Claims()).value();
  now_ += 10;
  ASSERT_TRUE(store->Rotate().ok());
  const std::string new_kid = store->CurrentKid();
  EXPECT_NE(new_kid, old_kid);
  EXPECT_EQ(PemFiles().size(), 2u);
  std::string new_token = store->Sign(Claims()).value();
  EXPECT_TRUE(store->Verify(old_token).ok());
  EXPECT_TRUE(store->Verify(new_token).ok());

  std::vector<KeyInfo> keys = store->Keys();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].kid, old_kid);
  EXPECT_EQ(keys[0].retires_at, 1800000010 + 7 * kDay);
  EXPECT_FALSE(keys[0].current);
  EXPECT_TRUE(keys[1].current);
  EXPECT_EQ(ParseJwks(store->Jwks()).value().size(), 2u);

  // A reopened store sees the same current key.
  EXPECT_EQ(OpenStore()->CurrentKid(), new_kid);

  // Retired: refused and unpublished even before Prune.
  now_ = 1800000010 + 7 * kDay;
  VerifyOptions lax;
  lax.require_exp = false;
  EXPECT_THAT(store->Verify(old_token, lax).status().message(), HasSubstr("unknown kid"));
  std::vector<Jwk> published = ParseJwks(store->Jwks()).value();
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].kid, new_kid);

  EXPECT_EQ(store->Prune().value(), 1u);
  EXPECT_EQ(PemFiles().size(), 1u);
  EXPECT_EQ(store->Keys().size(), 1u);
  EXPECT_EQ(store->Prune().value(), 0u);
  EXPECT_EQ(OpenStore()->Keys().size(), 1u);
}

TEST_F(KeyStoreTest, RotationsInTheSameSecondStayOrdered) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Rotate().ok());
  ASSERT_TRUE(store->Rotate().ok());
  std::string current = store->CurrentKid();
  std::vector<KeyInfo> keys = store->Keys();
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_LT(keys[0].created, keys[1].created);
  EXPECT_LT(keys[1].created, keys[2].created);
  EXPECT_EQ(OpenStore()->CurrentKid(), current);
}

TEST_F(KeyStoreTest, RotateIfDueFollowsTheSchedule) {
  auto store = OpenStore();
  std::string first = store->CurrentKid();
  EXPECT_FALSE(store->RotateIfDue().value());
  now_ += 30 * kDay;
  EXPECT_TRUE(store->RotateIfDue().value());
  EXPECT_NE(store->CurrentKid(), first);
  now_ += 8 * kDay;
  EXPECT_FALSE(store->RotateIfDue().value());  // prunes the retired first key
  EXPECT_EQ(store->Keys().size(), 1u);
}

TEST_F(KeyStoreTest, JwksHasPublicPartsOnly) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Rotate().ok());
  std::string jwks = store->Jwks();
  EXPECT_EQ(jwks.find("\"d\""), std::string::npos) << jwks;
  EXPECT_EQ(jwks.find("PRIVATE"), std::string::npos);
  std::vector<Jwk> keys = ParseJwks(jwks).value();  // ParseJwks also refuses private members
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].kid, store->CurrentKid());  // current first
  for (const Jwk& k : keys) {
    EXPECT_EQ(k.alg, JwsAlg::kES256);
    EXPECT_EQ(k.use, "sig");
    EXPECT_EQ(k.key.type(), KeyType::kEcP256);
  }
  EXPECT_THAT(jwks, HasSubstr(R"("kty":"EC","crv":"P-256")"));
}

TEST_F(KeyStoreTest, RefusesUnsafeOrForeignKeyFiles) {
  ASSERT_TRUE(OpenStore());
  fs::path file = PemFiles()[0];
  ::chmod(file.c_str(), 0644);
  Result<std::unique_ptr<KeyStore>> open = KeyStore::Open(dir_, {}, [this] { return now_.load(); });
  ASSERT_FALSE(open.ok());
  EXPECT_THAT(open.status().message(), HasSubstr("readable by group or others (mode 0644)"));
  EXPECT_THAT(open.status().message(), HasSubstr("chmod 600"));
  ::chmod(file.c_str(), 0600);

  fs::path renamed = dir_ / "1800000000-notthethumbprint.pem";
  fs::rename(file, renamed);
  open = KeyStore::Open(dir_, {}, [this] { return now_.load(); });
  ASSERT_FALSE(open.ok());
  EXPECT_THAT(open.status().message(), HasSubstr("does not match its thumbprint"));
  fs::rename(renamed, file);

  fs::create_symlink(file, dir_ / "1800000001-link.pem");
  open = KeyStore::Open(dir_, {}, [this] { return now_.load(); });
  ASSERT_FALSE(open.ok());
  EXPECT_THAT(open.status().message(), HasSubstr("symbolic link"));
  fs::remove(dir_ / "1800000001-link.pem");

  std::ofstream(dir_ / "README.txt") << "not a key";
  EXPECT_TRUE(OpenStore());  // files that are not <created>-<kid>.pem are left alone
}

TEST_F(KeyStoreTest, VerifiesWhileRotating) {
  auto store = OpenStore();
  std::string token = store->Sign(Claims()).value();
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      while (!stop) {
        if (!store->Verify(token).ok()) ++failures;
        if (!store->Verify(store->Sign(Claims()).value()).ok()) ++failures;
      }
    });
  }
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store->Rotate().ok());
  stop = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store->Keys().size(), 6u);
}

}  // namespace
}  // namespace hb::auth
