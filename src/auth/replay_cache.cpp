#include "auth/replay_cache.h"

namespace hb::auth {

void ReplayCache::DropExpired(int64_t now) {
  while (!queue_.empty() && queue_.top().first <= now) {
    auto it = expiry_.find(queue_.top().second);
    if (it != expiry_.end() && it->second <= now) expiry_.erase(it);
    queue_.pop();
  }
}

ReplayCache::Outcome ReplayCache::Remember(std::string_view key, int64_t expires_at, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  DropExpired(now);
  std::string k(key);
  auto it = expiry_.find(k);
  if (it != expiry_.end()) return Outcome::kReplayed;  // unexpired: DropExpired ran
  if (expiry_.size() >= capacity_) return Outcome::kFull;
  expiry_.emplace(k, expires_at);
  queue_.emplace(expires_at, std::move(k));
  return Outcome::kFresh;
}

size_t ReplayCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return expiry_.size();
}

}  // namespace hb::auth
