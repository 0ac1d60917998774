// LoginGuard: failed-login rate limiting and temporary lockout, per user name
// and per client address.
//
// Policy (defaults in LoginGuardOptions): `max_failures_per_user` failed logins
// for one user name within `window` lock that name for `lockout`; likewise
// `max_failures_per_ip` failures from one address lock the address. A locked
// name or address is refused before its password is checked, whether the
// account exists or not (no user enumeration). A successful login clears the
// name's failures (not the address's). User names are compared ASCII
// case-insensitively.
//
// Usage: Check() before verifying the password; then RecordFailure() or
// RecordSuccess().
//
// Contract: thread-safe (one mutex; each call is O(window failures)). Memory is
// bounded: at most `max_tracked` names and addresses each; past that, entries
// with nothing recent are dropped first, then the least recently failed. The
// time source is injectable for tests. Check fails with RateLimited ("too many
// failed logins for this account; retry in 840 s"), never with anything else.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/time_source.h"
#include "common/status.h"

namespace hb::auth {

struct LoginGuardOptions {
  int max_failures_per_user = 5;
  int max_failures_per_ip = 30;  // higher: a clinic's staff share one NAT address
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds lockout{15 * 60};
  size_t max_tracked = 100000;
};

class LoginGuard {
 public:
  explicit LoginGuard(LoginGuardOptions options = {}, TimeSource now = SystemUnixSeconds);

  // OK, or RateLimited when the name or the address is locked.
  Status Check(std::string_view username, std::string_view ip);
  // Seconds until both are unlocked; 0 when not locked (for Retry-After).
  int64_t RetryAfterSeconds(std::string_view username, std::string_view ip);
  void RecordFailure(std::string_view username, std::string_view ip);
  void RecordSuccess(std::string_view username, std::string_view ip);
  // An administrator's unlock of one user name.
  void Unlock(std::string_view username);

 private:
  struct Entry {
    std::deque<int64_t> failures;  // times within the window, oldest first
    int64_t locked_until = 0;
    int64_t last_seen = 0;
  };
  using Table = std::unordered_map<std::string, Entry>;

  int64_t LockedFor(Table& table, const std::string& key, int64_t now);  // mu_ held
  void Fail(Table& table, const std::string& key, int limit, int64_t now);
  void Evict(Table& table, int64_t now);

  const LoginGuardOptions options_;
  const TimeSource now_;
  std::mutex mu_;
  Table users_;
  Table ips_;
};

}  // namespace hb::auth
