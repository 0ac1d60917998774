// RateLimiter: a token bucket per client address, shared by every io thread.
//
// Contract (internal): Acquire() takes one token from the bucket of `key`; a bucket holds at most
// `burst` tokens and refills at `per_second`. A new address starts with a full bucket. When the
// bucket is empty, Acquire() answers how many whole seconds (at least 1) until a token is back.
// Thread-safe: the buckets are split over 64 shards, each behind its own mutex, so threads rarely
// meet. Memory is bounded: a shard drops the buckets that have refilled completely (they are the
// same as a new one) when it grows, and forgets everything past kMaxBucketsPerShard.
// IPv6 clients are keyed by their /64 prefix (one host usually owns a whole /64); IPv4-mapped
// IPv6 addresses count as the IPv4 address.
#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace hb::http::internal {

struct AddressKey {
  uint64_t high = 0;  // IPv6: the /64 prefix; IPv4: 0
  uint64_t low = 0;   // IPv4: the address; IPv6: 2^63 (so that no IPv4 key equals an IPv6 key)
  bool operator==(const AddressKey&) const = default;
};

AddressKey KeyOf(const boost::asio::ip::address& address);

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kShards = 64;
  static constexpr size_t kMaxBucketsPerShard = 16384;  // about a million addresses in all

  // per_second > 0; burst < 1 means burst = max(1, per_second).
  RateLimiter(double per_second, double burst);

  // 0: the request may proceed. Otherwise: the seconds to wait (Retry-After), at least 1.
  int Acquire(const AddressKey& key, Clock::time_point now);
  size_t TrackedForTest();  // the number of buckets held

  double per_second() const { return per_second_; }
  double burst() const { return burst_; }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  struct KeyHash {
    size_t operator()(const AddressKey& k) const {
      return static_cast<size_t>((k.high * 0x9E3779B97F4A7C15ull) ^
                                 (k.low * 0xC2B2AE3D27D4EB4Full));
    }
  };
  struct alignas(64) Shard {
    std::mutex mu;
    std::unordered_map<AddressKey, Bucket, KeyHash> buckets;  // guarded by mu
    size_t sweep_at = 1024;                                   // guarded by mu
  };

  void Sweep(Shard& shard, Clock::time_point now);  // shard.mu held

  const double per_second_;
  const double burst_;
  std::array<Shard, kShards> shards_;
};

}  // namespace hb::http::internal
