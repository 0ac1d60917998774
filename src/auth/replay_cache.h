// ReplayCache: remembers one-time identifiers (JWT "jti" values) until they
// expire, to refuse a second use.
//
// Contract: thread-safe (one mutex; each call is O(log n) amortized, expired
// entries are dropped as time passes). Memory is bounded by `capacity`: when
// that many unexpired identifiers are held, Remember returns kFull and remembers
// nothing, so the caller fails closed instead of forgetting a live identifier.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hb::auth {

class ReplayCache {
 public:
  enum class Outcome { kFresh, kReplayed, kFull };

  explicit ReplayCache(size_t capacity = 100000) : capacity_(capacity) {}

  // kFresh: `key` was unknown and is now remembered until `expires_at` (Unix
  // seconds); kReplayed: it is already remembered and not expired at `now`.
  Outcome Remember(std::string_view key, int64_t expires_at, int64_t now);
  size_t size() const;

 private:
  void DropExpired(int64_t now);  // mu_ held

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int64_t> expiry_;
  // (expires_at, key), soonest first; an entry may be stale when the key was re-added.
  std::priority_queue<std::pair<int64_t, std::string>, std::vector<std::pair<int64_t, std::string>>,
                      std::greater<>>
      queue_;
};

}  // namespace hb::auth
