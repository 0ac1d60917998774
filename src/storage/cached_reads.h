// CachedReads: a read transaction whose current-version reads and record facts go through
// the store's caches first (storage/resource_cache.h's consistency rule: offer what was read
// with the generation seen before reading). Shared by the SQL stores' pooled read
// transactions; the caches must outlive it. Thread-compatible like the transaction.
#pragma once

#include <string_view>
#include <utility>

#include "storage/resource_cache.h"
#include "storage/resource_store.h"

namespace hb::storage {

template <typename Txn>
class CachedReads : public Txn {
 public:
  template <typename... Args>
  CachedReads(ResourceCache& cache, FactsCache& facts, Args&&... args)
      : Txn(std::forward<Args>(args)...), cache_(cache), facts_(facts) {}

  Result<ResourceVersion> Read(std::string_view type, std::string_view id) override {
    if (auto hit = cache_.Get(type, id)) return std::move(*hit);
    uint64_t generation = cache_.Generation();
    auto v = Txn::Read(type, id);
    if (v.ok()) cache_.Offer(type, id, *v, generation);
    return v;
  }
  Result<RecordFacts> Facts(std::string_view type, std::string_view id) override {
    if (auto hit = facts_.Get(type, id)) return std::move(*hit);
    uint64_t generation = facts_.Generation();
    auto f = Txn::Facts(type, id);
    if (f.ok()) facts_.Offer(type, id, *f, generation);
    return f;
  }

 private:
  ResourceCache& cache_;
  FactsCache& facts_;
};

}  // namespace hb::storage
