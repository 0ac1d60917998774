#include "storage/resource_cache.h"

#include <gtest/gtest.h>

namespace hb::storage {
namespace {

ResourceVersion V(std::string id, int64_t version, std::string json) {
  ResourceVersion v;
  v.type = "Patient";
  v.id = std::move(id);
  v.version = version;
  v.json = std::move(json);
  return v;
}

TEST(ResourceCache, ServesWhatWasOffered) {
  ResourceCache cache(1 << 20);
  EXPECT_FALSE(cache.Get("Patient", "a"));
  cache.Offer("Patient", "a", V("a", 1, "{}"), cache.Generation());
  auto hit = cache.Get("Patient", "a");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->version, 1);
}

TEST(ResourceCache, RefusesAReadThatACommitOvertook) {
  ResourceCache cache(1 << 20);
  uint64_t g = cache.Generation();  // a reader starts reading version 1 ...
  cache.BeginInvalidation();        // ... a writer commits version 2 ...
  cache.Invalidate("Patient", "a");
  cache.Offer("Patient", "a", V("a", 1, "{}"), g);  // ... the stale read must not be cached
  EXPECT_FALSE(cache.Get("Patient", "a"));
}

TEST(ResourceCache, InvalidateDropsTheEntry) {
  ResourceCache cache(1 << 20);
  cache.Offer("Patient", "a", V("a", 1, "{}"), cache.Generation());
  cache.BeginInvalidation();
  cache.Invalidate("Patient", "a");
  EXPECT_FALSE(cache.Get("Patient", "a"));
}

TEST(ResourceCache, EvictsLeastRecentlyUsedWithinCapacity) {
  ResourceCache cache(64 * 1024);  // 1 KiB per shard
  for (int i = 0; i < 2000; ++i) {
    std::string id = "p" + std::to_string(i);
    cache.Offer("Patient", id, V(id, 1, std::string(200, 'x')), cache.Generation());
  }
  auto st = cache.GetStats();
  EXPECT_LE(st.bytes, 64u * 1024);
  EXPECT_LT(st.entries, 2000u);
  EXPECT_TRUE(cache.Get("Patient", "p1999"));  // the newest survives
}

TEST(ResourceCache, ZeroCapacityDisables) {
  ResourceCache cache(0);
  cache.Offer("Patient", "a", V("a", 1, "{}"), cache.Generation());
  EXPECT_FALSE(cache.Get("Patient", "a"));
}

}  // namespace
}  // namespace hb::storage
