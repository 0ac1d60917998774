// Rng: the demo generator's own deterministic pseudo-random numbers.
//
// xoshiro256** (Blackman & Vigna, https://prng.di.unimi.it/) seeded through
// splitmix64. Every draw is integer arithmetic defined here, so the same seed
// gives the same sequence on every compiler, library and platform; that is why
// the demo never uses std::*_distribution, whose results vary by library.
//
// Contract: a value type, not thread-safe (one Rng per stream). Streams are
// derived with StreamSeed(seed, label, index) so that, e.g., patient i's data
// depends only on (seed, i) and not on how many patients come before or after.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

namespace hb::demo {

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A seed for one named stream: FNV-1a of the label, mixed with seed and index.
inline uint64_t StreamSeed(uint64_t seed, std::string_view label, uint64_t index = 0) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : label) h = (h ^ c) * 0x100000001B3ull;
  uint64_t s = seed ^ h;
  uint64_t a = SplitMix64(s);
  s ^= index * 0xD1B54A32D192ED03ull;
  return a ^ SplitMix64(s);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : s_) word = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), n > 0 (Lemire's multiply-and-reject, exact).
  uint64_t Below(uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }
  // Uniform in [lo, hi], lo <= hi.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // True with probability percent/100.
  bool Percent(int percent) { return static_cast<int>(Below(100)) < percent; }
  // An index drawn with the given non-negative integer weights (at least one > 0).
  size_t Weighted(std::span<const uint32_t> weights) {
    uint64_t total = 0;
    for (uint32_t w : weights) total += w;
    uint64_t r = Below(total);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;  // unreachable
  }
  size_t Weighted(std::initializer_list<uint32_t> weights) {
    return Weighted(std::span<const uint32_t>(weights.begin(), weights.size()));
  }
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace hb::demo
