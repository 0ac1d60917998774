#include "auth/password.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "auth/test_mutator.h"

namespace hb::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Cheap parameters for tests that only need a round trip.
PasswordHashParams Fast() {
  PasswordHashParams p;
  p.memory_kib = 256;
  p.iterations = 1;
  return p;
}

TEST(PasswordTest, HashesWithOwaspDefaultsAndVerifies) {
  Result<std::string> phc = HashPassword("correct horse battery staple");
  ASSERT_TRUE(phc.ok()) << phc.status().ToString();
  EXPECT_THAT(*phc, StartsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *phc));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", *phc));
  EXPECT_FALSE(VerifyPassword("", *phc));
  EXPECT_FALSE(NeedsRehash(*phc));
}

TEST(PasswordTest, SaltIsRandomPerHash) {
  Result<std::string> a = HashPassword("same password", Fast());
  Result<std::string> b = HashPassword("same password", Fast());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword("same password", *a));
  EXPECT_TRUE(VerifyPassword("same password", *b));
}

// Test vectors of the Argon2 reference implementation (phc-winner-argon2), also
// what Debian's `argon2` CLI prints: echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -e
TEST(PasswordTest, VerifiesReferenceImplementationVectors) {
  constexpr const char* kM64MiB =
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
  constexpr const char* kP2 =
      "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc";
  EXPECT_TRUE(VerifyPassword("password", kM64MiB));
  EXPECT_FALSE(VerifyPassword("passwore", kM64MiB));
  EXPECT_TRUE(VerifyPassword("password", kP2));
  EXPECT_FALSE(VerifyPassword("Password", kP2));
  EXPECT_TRUE(NeedsRehash(kP2));  // weaker than the defaults
}

TEST(PasswordTest, RejectsMalformedOrOutOfBoundsPhc) {
  const char* bad[] = {
      "",
      "$argon2id$",
      "argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
      "$argon2d$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
      "$argon2id$v=18$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
      "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
      "$argon2id$v=19$m=256,t=0,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
      "$argon2id$v=19$m=256,p=2,t=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
      "$argon2id$v=19$m=0256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
      "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ=$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
      "$argon2id$v=19$m=256,t=2,p=2$c29t$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
      "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc$",
  };
  for (const char* phc : bad) EXPECT_FALSE(VerifyPassword("password", phc)) << phc;
  EXPECT_TRUE(NeedsRehash("not a hash"));
}

// Seeded mutations of a PHC string (a stand-in for a fuzzer). New bytes carry no
// digits, so no mutant asks for more work than the original.
TEST(PasswordTest, MutatedPhcStringsNeverVerify) {
  const std::string phc =
      "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc";
  TestMutator mutator(9106, "$=,vmtpaAZ+/i");
  for (int i = 0; i < 1000; ++i) {
    std::string m = mutator.Mutate(phc);
    if (m != phc) {
      EXPECT_FALSE(VerifyPassword("password", m)) << m;
    }
  }
}

TEST(PasswordTest, RefusesOverlongPasswords) {
  std::string huge(kMaxPasswordBytes + 1, 'a');
  Result<std::string> phc = HashPassword(huge, Fast());
  ASSERT_FALSE(phc.ok());
  EXPECT_EQ(phc.status().code(), ErrorCode::kInvalidArgument);
  Result<std::string> ok = HashPassword(huge.substr(1), Fast());
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(VerifyPassword(huge, *ok));
}

TEST(PasswordTest, OtherParametersStillVerifyAndAskForRehash) {
  Result<std::string> phc = HashPassword("legacy password 1", Fast());
  ASSERT_TRUE(phc.ok());
  EXPECT_THAT(*phc, StartsWith("$argon2id$v=19$m=256,t=1,p=1$"));
  EXPECT_TRUE(VerifyPassword("legacy password 1", *phc));
  EXPECT_TRUE(NeedsRehash(*phc));
  EXPECT_FALSE(NeedsRehash(*phc, Fast()));
}

TEST(PasswordTest, DummyHashIsValidAndMatchesNothingUseful) {
  const std::string& dummy = DummyPasswordHash();
  EXPECT_THAT(dummy, StartsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
  EXPECT_FALSE(VerifyPassword("password", dummy));
  EXPECT_EQ(&dummy, &DummyPasswordHash());
}

TEST(PasswordTest, RandomPasswordsAreReadableAndPassThePolicy) {
  const std::string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string p = RandomPassword(16);
    ASSERT_EQ(p.size(), 16u);
    EXPECT_EQ(p.find_first_not_of(alphabet), std::string::npos) << p;
    EXPECT_TRUE(CheckPasswordPolicy(p).ok()) << p;
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(RandomPassword(0), "");
  EXPECT_EQ(RandomPassword(2).size(), 2u);
}

TEST(PasswordTest, PolicyTable) {
  struct Case {
    const char* password;
    const char* error;  // nullptr: accepted
  } cases[] = {
      {"Short1pass", "at least 12 characters"},
      {"alllowercaseletters", "mix at least 2 kinds"},
      {"ALLUPPERCASELETTERS", "mix at least 2 kinds"},
      {"123456789012345", "mix at least 2 kinds"},
      {"!!!!!!!!!!!!!!!!", "mix at least 2 kinds"},
      {"correct horse battery", nullptr},  // lower-case and spaces
      {"Mật khẩu đủ dài rồi", nullptr},    // Vietnamese: letters and non-ASCII
      {"ậậậậậậậậậậ1", "at least 12"},      // 11 code points, though 31 bytes
      {"ậậậậậậậậậậậ1", nullptr},           // 12 code points
      {"Tr0ub4dor&3xyz", nullptr},
      {"bad\xff utf8 text", "not valid UTF-8"},
  };
  for (const Case& c : cases) {
    Status s = CheckPasswordPolicy(c.password);
    if (c.error == nullptr) {
      EXPECT_TRUE(s.ok()) << c.password << ": " << s.ToString();
    } else {
      EXPECT_EQ(s.code(), ErrorCode::kWeakPassword) << c.password;
      EXPECT_THAT(s.message(), HasSubstr(c.error)) << c.password;
    }
  }
  EXPECT_THAT(CheckPasswordPolicy(std::string(257, 'a') + "1").message(), HasSubstr("at most 256"));
  PasswordPolicy strict;
  strict.min_classes = 3;
  EXPECT_FALSE(CheckPasswordPolicy("correct horse battery", strict).ok());
  EXPECT_TRUE(CheckPasswordPolicy("Correct horse battery", strict).ok());
}

}  // namespace
}  // namespace hb::auth
