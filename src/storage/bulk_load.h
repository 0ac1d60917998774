// BulkLoadAware: an optional capability of a ResourceStore, told when a bulk load
// (`healthbook import`, `$import`) has written many resources, so that it can refresh what
// its query planner knows. PostgreSQL plans from table statistics that autovacuum renews
// only some time after a load; until then a freshly loaded database is planned as if it
// were as small as before (measured: `$everything` 213 ms and a two-level chain 24 ms at
// the median right after importing 1,000 people, against 28.6 and 3.8 ms on a database
// whose statistics had caught up; docs/implementation/storage.md, "Query plans").
// SQLite stores do not implement it.
#pragma once

#include "common/result.h"
#include "storage/resource_store.h"

namespace hb::storage {

class BulkLoadAware {
 public:
  virtual ~BulkLoadAware() = default;
  virtual Status AfterBulkLoad() = 0;
};

// Tells `store` that a bulk load wrote to it, when it wants to know; Ok otherwise.
inline Status AfterBulkLoad(ResourceStore& store) {
  auto* aware = dynamic_cast<BulkLoadAware*>(&store);
  return aware == nullptr ? Status::Ok() : aware->AfterBulkLoad();
}

}  // namespace hb::storage
