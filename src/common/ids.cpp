#include "common/ids.h"

#include <atomic>
#include <chrono>
#include <random>

namespace hb {

namespace {
constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuv";  // base32, sortable

uint64_t RandomSeed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}
}  // namespace

std::string NewResourceId() {
  static std::atomic<uint64_t> counter{RandomSeed()};
  thread_local std::mt19937_64 rng(RandomSeed());
  uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  uint64_t rnd = rng() ^ counter.fetch_add(0x9E3779B97F4A7C15ull, std::memory_order_relaxed);
  // 10 chars of time (50 bits) + 10 chars of randomness (50 bits).
  std::string id(20, '0');
  for (int i = 9; i >= 0; --i) {
    id[i] = kAlphabet[ms & 31];
    ms >>= 5;
  }
  for (int i = 19; i >= 10; --i) {
    id[i] = kAlphabet[rnd & 31];
    rnd >>= 5;
  }
  return id;
}

bool IsValidFhirId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace hb
