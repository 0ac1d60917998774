#include "http/internal/rate_limiter.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace hb::http::internal {

namespace {
uint64_t BigEndian64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}
}  // namespace

AddressKey KeyOf(const boost::asio::ip::address& address) {
  if (address.is_v4()) return AddressKey{0, address.to_v4().to_uint()};
  auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return AddressKey{0, make_address_v4(boost::asio::ip::v4_mapped, v6).to_uint()};
  }
  auto bytes = v6.to_bytes();
  return AddressKey{BigEndian64(bytes.data()), uint64_t{1} << 63};
}

RateLimiter::RateLimiter(double per_second, double burst)
    : per_second_(per_second), burst_(burst >= 1 ? burst : std::max(1.0, per_second)) {}

int RateLimiter::Acquire(const AddressKey& key, Clock::time_point now) {
  Shard& shard = shards_[KeyHash{}(key) % kShards];
  std::lock_guard lock(shard.mu);
  auto [it, inserted] = shard.buckets.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!inserted && now > b.last) {
    double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
    b.last = now;
  }
  int wait = 0;
  if (b.tokens >= 1) {
    b.tokens -= 1;
  } else {
    wait = std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / per_second_)));
  }
  if (inserted && shard.buckets.size() >= shard.sweep_at) Sweep(shard, now);
  return wait;
}

void RateLimiter::Sweep(Shard& shard, Clock::time_point now) {
  // A bucket that has refilled to the brim is the same as no bucket: forget it.
  std::erase_if(shard.buckets, [&](const auto& entry) {
    const Bucket& b = entry.second;
    double elapsed = std::chrono::duration<double>(now - b.last).count();
    return b.tokens + elapsed * per_second_ >= burst_;
  });
  if (shard.buckets.size() > kMaxBucketsPerShard) {
    spdlog::warn("http: rate limiter tracks over {} addresses in one shard; forgetting them",
                 kMaxBucketsPerShard);
    shard.buckets.clear();
  }
  shard.sweep_at = std::max<size_t>(1024, 2 * shard.buckets.size());
}

size_t RateLimiter::TrackedForTest() {
  size_t n = 0;
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.buckets.size();
  }
  return n;
}

}  // namespace hb::http::internal
