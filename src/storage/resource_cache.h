// ResourceCache: current versions of recently read resources, in memory, so
// that a hot read by id costs a hash lookup instead of a database round trip.
//
// Consistency protocol (no stale entry can survive a commit):
//  - a reader calls Generation() before it reads the database, and offers
//    what it read with Offer(..., generation): the entry is kept only if no
//    commit finished in between;
//  - the writer, after a COMMIT and before acknowledging it, calls
//    BeginInvalidation() (bumps the generation) and then Invalidate(key) for
//    every resource it wrote.
// Whoever reads after a write was acknowledged sees the new version.
//
// Thread-safety: all methods are thread-safe; 64 shards, each under its own
// mutex, with LRU eviction by bytes. Capacity 0 disables the cache.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/resource_store.h"

namespace hb::storage {

class ResourceCache {
 public:
  explicit ResourceCache(size_t capacity_bytes);

  std::optional<ResourceVersion> Get(std::string_view type, std::string_view id);
  uint64_t Generation() const { return generation_.load(); }
  void Offer(const ResourceVersion& v, uint64_t generation);
  void BeginInvalidation() { generation_.fetch_add(1); }
  void Invalidate(std::string_view type, std::string_view id);

  struct Stats {
    uint64_t hits = 0, misses = 0;
    size_t bytes = 0, entries = 0;
  };
  Stats GetStats();

 private:
  static constexpr size_t kShards = 64;
  struct Shard {
    std::mutex mu;
    std::list<std::string> lru;  // keys, most recent first
    struct Entry {
      std::shared_ptr<const ResourceVersion> value;
      std::list<std::string>::iterator pos;
    };
    std::unordered_map<std::string, Entry> map;
    size_t bytes = 0;
  };
  static std::string Key(std::string_view type, std::string_view id);
  Shard& ShardFor(const std::string& key);
  void EvictLocked(Shard& s);

  const size_t shard_capacity_;
  Shard shards_[kShards];
  std::atomic<uint64_t> generation_{0};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace hb::storage
