#include "auth/login_guard.h"

#include <algorithm>

namespace hb::auth {
namespace {

std::string Normalize(std::string_view username) {
  std::string out(username);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

LoginGuard::LoginGuard(LoginGuardOptions options, TimeSource now)
    : options_(options), now_(std::move(now)) {}

int64_t LoginGuard::LockedFor(Table& table, const std::string& key, int64_t now) {
  auto it = table.find(key);
  if (it == table.end() || it->second.locked_until <= now) return 0;
  return it->second.locked_until - now;
}

void LoginGuard::Evict(Table& table, int64_t now) {
  const int64_t window = options_.window.count();
  std::erase_if(table, [&](const auto& kv) {
    return kv.second.locked_until <= now && kv.second.last_seen + window <= now;
  });
  while (table.size() >= options_.max_tracked && !table.empty()) {
    auto oldest = std::min_element(table.begin(), table.end(), [](const auto& a, const auto& b) {
      return a.second.last_seen < b.second.last_seen;
    });
    table.erase(oldest);
  }
}

void LoginGuard::Fail(Table& table, const std::string& key, int limit, int64_t now) {
  if (table.size() >= options_.max_tracked && table.find(key) == table.end()) Evict(table, now);
  Entry& e = table[key];
  e.last_seen = now;
  if (e.locked_until > now) return;  // already locked: the lock does not grow
  while (!e.failures.empty() && e.failures.front() + options_.window.count() <= now) {
    e.failures.pop_front();
  }
  e.failures.push_back(now);
  if (int(e.failures.size()) >= limit) {
    e.locked_until = now + options_.lockout.count();
    e.failures.clear();  // after the lock, a fresh allowance
  }
}

Status LoginGuard::Check(std::string_view username, std::string_view ip) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = now_();
  if (int64_t s = LockedFor(users_, Normalize(username), now); s > 0) {
    return Status(ErrorCode::kRateLimited,
                  "too many failed logins for this account; retry in " + std::to_string(s) + " s");
  }
  if (int64_t s = LockedFor(ips_, std::string(ip), now); s > 0) {
    return Status(ErrorCode::kRateLimited,
                  "too many failed logins from this address; retry in " + std::to_string(s) + " s");
  }
  return Status::Ok();
}

int64_t LoginGuard::RetryAfterSeconds(std::string_view username, std::string_view ip) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = now_();
  return std::max(LockedFor(users_, Normalize(username), now),
                  LockedFor(ips_, std::string(ip), now));
}

void LoginGuard::RecordFailure(std::string_view username, std::string_view ip) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = now_();
  Fail(users_, Normalize(username), options_.max_failures_per_user, now);
  Fail(ips_, std::string(ip), options_.max_failures_per_ip, now);
}

void LoginGuard::RecordSuccess(std::string_view username, std::string_view ip) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = users_.find(Normalize(username));
  if (it != users_.end() && it->second.locked_until <= now_()) users_.erase(it);
}

void LoginGuard::Unlock(std::string_view username) {
  std::lock_guard<std::mutex> lock(mu_);
  users_.erase(Normalize(username));
}

}  // namespace hb::auth
