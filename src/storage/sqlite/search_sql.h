// Executing searches on SQLite: a search::SearchQuery becomes one SELECT over the
// resource table with a subquery per criterion on the typed index tables
// (docs/implementation/search.md shows the shapes and their query plans); includes
// and reverse includes are one query each over idx_reference. Internal to
// storage/sqlite; runs on the caller's connection, inside its read snapshot.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "search/search_query.h"
#include "storage/resource_store.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/queries.h"

namespace hb::storage::sqlite {

Result<SearchResult> RunSearch(Database& db, const ParamIds& params, const search::SearchQuery& q);

// The current, non-deleted resources that `from` reference (or, for a reverse
// include, that reference `from`) through `spec`; at most `limit`, in rid order.
Result<std::vector<ResourceVersion>> RunInclude(Database& db, const ParamIds& params,
                                                const search::IncludeSpec& spec,
                                                const std::vector<ResourceKey>& from, int limit);

}  // namespace hb::storage::sqlite
