#include "storage/resource_cache.h"

#include <functional>

namespace hb::storage {

ResourceCache::ResourceCache(size_t capacity_bytes) : shard_capacity_(capacity_bytes / kShards) {}

std::string ResourceCache::Key(std::string_view type, std::string_view id) {
  std::string k;
  k.reserve(type.size() + id.size() + 1);
  k.append(type);
  k += '/';
  k.append(id);
  return k;
}

ResourceCache::Shard& ResourceCache::ShardFor(const std::string& key) {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

std::optional<ResourceVersion> ResourceCache::Get(std::string_view type, std::string_view id) {
  if (shard_capacity_ == 0) return std::nullopt;
  std::string key = Key(type, id);
  Shard& s = ShardFor(key);
  std::shared_ptr<const ResourceVersion> found;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    auto it = s.map.find(key);
    if (it != s.map.end()) {
      s.lru.splice(s.lru.begin(), s.lru, it->second.pos);
      found = it->second.value;
    }
  }
  if (!found) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  return *found;
}

void ResourceCache::Offer(const ResourceVersion& v, uint64_t generation) {
  if (shard_capacity_ == 0) return;
  size_t cost = v.json.size() + v.type.size() + v.id.size() + 128;
  if (cost > shard_capacity_) return;
  std::string key = Key(v.type, v.id);
  Shard& s = ShardFor(key);
  auto value = std::make_shared<const ResourceVersion>(v);
  std::lock_guard<std::mutex> lock(s.mu);
  if (generation_.load() != generation) return;  // a commit finished since the read began
  auto it = s.map.find(key);
  if (it != s.map.end()) {
    s.bytes -= it->second.value->json.size() + key.size() + 128;
    s.lru.erase(it->second.pos);
    s.map.erase(it);
  }
  s.lru.push_front(key);
  s.map.emplace(key, Shard::Entry{std::move(value), s.lru.begin()});
  s.bytes += v.json.size() + key.size() + 128;
  EvictLocked(s);
}

void ResourceCache::Invalidate(std::string_view type, std::string_view id) {
  if (shard_capacity_ == 0) return;
  std::string key = Key(type, id);
  Shard& s = ShardFor(key);
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.map.find(key);
  if (it == s.map.end()) return;
  s.bytes -= it->second.value->json.size() + key.size() + 128;
  s.lru.erase(it->second.pos);
  s.map.erase(it);
}

void ResourceCache::EvictLocked(Shard& s) {
  while (s.bytes > shard_capacity_ && !s.lru.empty()) {
    auto it = s.map.find(s.lru.back());
    s.bytes -= it->second.value->json.size() + it->first.size() + 128;
    s.map.erase(it);
    s.lru.pop_back();
  }
}

ResourceCache::Stats ResourceCache::GetStats() {
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

}  // namespace hb::storage
