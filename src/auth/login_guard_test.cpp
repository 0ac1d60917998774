#include "auth/login_guard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hb::auth {
namespace {

using ::testing::HasSubstr;

class LoginGuardTest : public ::testing::Test {
 protected:
  LoginGuard Guard(LoginGuardOptions options = {}) {
    return LoginGuard(options, [this] { return now_; });
  }
  int64_t now_ = 1000000;
};

TEST_F(LoginGuardTest, FiveFailuresLockTheAccountForFifteenMinutes) {
  LoginGuard guard = Guard();
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(guard.Check("alice", "10.0.0.1").ok());
    guard.RecordFailure("alice", "10.0.0.1");
    now_ += 10;
  }
  EXPECT_TRUE(guard.Check("alice", "10.0.0.1").ok());
  guard.RecordFailure("alice", "10.0.0.1");  // the fifth
  Status s = guard.Check("alice", "10.0.0.2");
  EXPECT_EQ(s.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(s.category(), ErrorCategory::kRateLimited);
  EXPECT_EQ(s.message(), "too many failed logins for this account; retry in 900 s");
  EXPECT_EQ(guard.RetryAfterSeconds("alice", "10.0.0.2"), 900);
  EXPECT_TRUE(guard.Check("bob", "10.0.0.1").ok());  // the address is not locked
  // Failures while locked do not extend the lock.
  guard.RecordFailure("alice", "10.0.0.1");
  now_ += 899;
  EXPECT_FALSE(guard.Check("alice", "10.0.0.1").ok());
  EXPECT_EQ(guard.RetryAfterSeconds("alice", "10.0.0.1"), 1);
  now_ += 1;
  EXPECT_TRUE(guard.Check("alice", "10.0.0.1").ok());
  EXPECT_EQ(guard.RetryAfterSeconds("alice", "10.0.0.1"), 0);
  // After the lock, a fresh allowance of five.
  for (int i = 0; i < 4; ++i) guard.RecordFailure("alice", "10.0.0.1");
  EXPECT_TRUE(guard.Check("alice", "10.0.0.1").ok());
}

TEST_F(LoginGuardTest, UserNamesAreCaseInsensitive) {
  LoginGuard guard = Guard();
  for (const char* name : {"Alice", "ALICE", "alice", "aLiCe", "alicE"}) {
    guard.RecordFailure(name, "10.0.0.1");
  }
  EXPECT_FALSE(guard.Check("alice", "10.0.0.9").ok());
}

TEST_F(LoginGuardTest, WindowSlides) {
  LoginGuard guard = Guard();
  for (int i = 0; i < 4; ++i) guard.RecordFailure("carol", "10.0.0.1");
  now_ += 15 * 60;  // the four fall out of the window
  guard.RecordFailure("carol", "10.0.0.1");
  EXPECT_TRUE(guard.Check("carol", "10.0.0.1").ok());
  for (int i = 0; i < 3; ++i) guard.RecordFailure("carol", "10.0.0.1");
  EXPECT_TRUE(guard.Check("carol", "10.0.0.1").ok());
  guard.RecordFailure("carol", "10.0.0.1");
  EXPECT_FALSE(guard.Check("carol", "10.0.0.1").ok());
}

TEST_F(LoginGuardTest, SuccessClearsTheAccountsFailures) {
  LoginGuard guard = Guard();
  for (int i = 0; i < 4; ++i) guard.RecordFailure("dave", "10.0.0.1");
  guard.RecordSuccess("dave", "10.0.0.1");
  for (int i = 0; i < 4; ++i) guard.RecordFailure("dave", "10.0.0.1");
  EXPECT_TRUE(guard.Check("dave", "10.0.0.1").ok());
}

TEST_F(LoginGuardTest, OneAddressGuessingManyAccountsIsLocked) {
  LoginGuardOptions options;
  options.max_failures_per_ip = 10;
  LoginGuard guard = Guard(options);
  for (int i = 0; i < 10; ++i) guard.RecordFailure("user" + std::to_string(i), "203.0.113.7");
  Status s = guard.Check("someone-new", "203.0.113.7");
  EXPECT_EQ(s.code(), ErrorCode::kRateLimited);
  EXPECT_THAT(s.message(), HasSubstr("from this address"));
  EXPECT_TRUE(guard.Check("someone-new", "203.0.113.8").ok());
  EXPECT_TRUE(guard.Check("user1", "203.0.113.8").ok());  // one failure each: not locked
}

TEST_F(LoginGuardTest, UnknownAccountsLockToo) {
  LoginGuard guard = Guard();
  for (int i = 0; i < 5; ++i) guard.RecordFailure("no-such-user", "10.0.0.1");
  EXPECT_FALSE(guard.Check("no-such-user", "10.0.0.1").ok());
}

TEST_F(LoginGuardTest, AdministratorUnlock) {
  LoginGuard guard = Guard();
  for (int i = 0; i < 5; ++i) guard.RecordFailure("erin", "10.0.0.1");
  EXPECT_FALSE(guard.Check("erin", "10.0.0.2").ok());
  guard.Unlock("ERIN");
  EXPECT_TRUE(guard.Check("erin", "10.0.0.2").ok());
}

TEST_F(LoginGuardTest, MemoryIsBounded) {
  LoginGuardOptions options;
  options.max_tracked = 8;
  options.max_failures_per_ip = 1000;
  LoginGuard guard = Guard(options);
  for (int i = 0; i < 4; ++i) guard.RecordFailure("victim", "10.0.0.1");
  now_ += 1;
  // Many other names push the oldest entry out; its count starts over.
  for (int i = 0; i < 20; ++i) guard.RecordFailure("spray" + std::to_string(i), "10.0.0.1");
  guard.RecordFailure("victim", "10.0.0.1");
  EXPECT_TRUE(guard.Check("victim", "10.0.0.1").ok());
}

}  // namespace
}  // namespace hb::auth
