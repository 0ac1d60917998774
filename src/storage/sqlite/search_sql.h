// Executing searches on SQLite: the SQL comes from the shared builder
// (storage/sql/search_builder.h, SQLite dialect: one SELECT over the resource table with a
// subquery per criterion on the typed index tables; docs/implementation/search.md shows
// the shapes and their query plans); this runs it on the caller's connection, inside its
// read snapshot, with the statements cached per connection. Internal to storage/sqlite.
#pragma once

#include <optional>
#include <string>
#include <string_view>
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

// storage/identifier_lookup.h: the search `type?identifier=system|value` (no escapes in
// `system` and `value`: the raw column values) with one cached statement; nullopt when
// `type` has no indexed `identifier` parameter.
Result<std::optional<std::vector<ResourceVersion>>> RunIdentifierLookup(
    Database& db, const ParamIds& params, std::string_view type, std::string_view system,
    std::string_view value, int limit);

}  // namespace hb::storage::sqlite
