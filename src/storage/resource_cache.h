// GenerationCache: recently read values keyed by (type, id) — the current
// version of a resource (ResourceCache) or its access facts (FactsCache) — so
// that a hot read by id costs a hash lookup instead of a database round trip.
//
// Consistency protocol (no stale entry can survive a commit):
//  - a reader calls Generation() before it reads the database, and offers
//    what it read with Offer(..., generation): the entry is kept only if no
//    commit finished in between;
//  - the writer, after a COMMIT and before acknowledging it, calls
//    BeginInvalidation() (bumps the generation) and then Invalidate(key) for
//    every resource it wrote.
// Whoever reads after a write was acknowledged sees the new value.
//
// Thread-safety: all methods are thread-safe; 64 shards, each under its own
// mutex, with LRU eviction by bytes. Capacity 0 disables the cache.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/resource_store.h"

namespace hb::storage {

// Approximate bytes a cached value holds.
inline size_t CacheCost(const ResourceVersion& v) { return v.json.size() + 96; }
inline size_t CacheCost(const RecordFacts& f) {
  size_t n = f.owner.size() + 64;
  for (const auto& p : f.patients) n += p.size() + 32;
  return n;
}

template <typename V>
class GenerationCache {
 public:
  explicit GenerationCache(size_t capacity_bytes) : shard_capacity_(capacity_bytes / kShards) {}

  std::optional<V> Get(std::string_view type, std::string_view id) {
    if (shard_capacity_ == 0) return std::nullopt;
    std::string key = Key(type, id);
    Shard& s = ShardFor(key);
    std::shared_ptr<const V> found;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      auto it = s.map.find(key);
      if (it != s.map.end()) {
        s.lru.splice(s.lru.begin(), s.lru, it->second.pos);
        found = it->second.value;
      }
    }
    (found ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
    if (!found) return std::nullopt;
    return *found;
  }

  uint64_t Generation() const { return generation_.load(); }

  void Offer(std::string_view type, std::string_view id, const V& v, uint64_t generation) {
    if (shard_capacity_ == 0) return;
    std::string key = Key(type, id);
    size_t cost = CacheCost(v) + 2 * key.size();
    if (cost > shard_capacity_) return;
    Shard& s = ShardFor(key);
    auto value = std::make_shared<const V>(v);
    std::lock_guard<std::mutex> lock(s.mu);
    if (generation_.load() != generation) return;  // a commit finished since the read began
    EraseLocked(s, key);
    s.lru.push_front(key);
    s.map.emplace(key, Entry{std::move(value), s.lru.begin(), cost});
    s.bytes += cost;
    while (s.bytes > shard_capacity_ && !s.lru.empty()) EraseLocked(s, s.lru.back());
  }

  void BeginInvalidation() { generation_.fetch_add(1); }

  void Invalidate(std::string_view type, std::string_view id) {
    if (shard_capacity_ == 0) return;
    std::string key = Key(type, id);
    Shard& s = ShardFor(key);
    std::lock_guard<std::mutex> lock(s.mu);
    EraseLocked(s, key);
  }

  struct Stats {
    uint64_t hits = 0, misses = 0;
    size_t bytes = 0, entries = 0;
  };
  Stats GetStats() {
    Stats st;
    st.hits = hits_.load();
    st.misses = misses_.load();
    for (Shard& s : shards_) {
      std::lock_guard<std::mutex> lock(s.mu);
      st.bytes += s.bytes;
      st.entries += s.map.size();
    }
    return st;
  }

 private:
  static constexpr size_t kShards = 64;
  struct Entry {
    std::shared_ptr<const V> value;
    std::list<std::string>::iterator pos;
    size_t cost;
  };
  struct Shard {
    std::mutex mu;
    std::list<std::string> lru;  // keys, most recent first
    std::unordered_map<std::string, Entry> map;
    size_t bytes = 0;
  };
  static std::string Key(std::string_view type, std::string_view id) {
    std::string k;
    k.reserve(type.size() + id.size() + 1);
    k.append(type);
    k += '/';
    k.append(id);
    return k;
  }
  Shard& ShardFor(const std::string& key) {
    return shards_[std::hash<std::string>{}(key) % kShards];
  }
  void EraseLocked(Shard& s, const std::string& key) {
    auto it = s.map.find(key);
    if (it == s.map.end()) return;
    s.bytes -= it->second.cost;
    s.lru.erase(it->second.pos);
    s.map.erase(it);
  }

  const size_t shard_capacity_;
  Shard shards_[kShards];
  std::atomic<uint64_t> generation_{0};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

using ResourceCache = GenerationCache<ResourceVersion>;
using FactsCache = GenerationCache<RecordFacts>;

}  // namespace hb::storage
