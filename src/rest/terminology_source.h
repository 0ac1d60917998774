// The store's side of search terminology (search/terminology.h): CodeSystem and ValueSet
// resources found by canonical URL in the store, then the built-in code systems; and the
// step that expands a query's :in / :not-in / :above / :below criteria before the store
// runs it (every dialect then matches plain code lists).
//
// Thread-compatible: one call per request, on the caller's read transaction.
// Failure modes: the store's errors; kInvalidSearchParameter from the expansion.
#pragma once

#include "search/search_query.h"
#include "search/terminology.h"
#include "storage/resource_store.h"

namespace hb::rest {

// Finds `CodeSystem?url=U` / `ValueSet?url=U` in `txn` (the most recently updated when
// several versions of a canonical are stored), else a built-in code system.
search::CanonicalSource StoreCanonicalSource(storage::ReadTxn& txn);

// `q` as the store must run it: the same query when it has no terminology modifier,
// otherwise a copy with those criteria expanded into codes (held in `scratch`).
Result<const search::SearchQuery*> WithTerminology(storage::ReadTxn& txn,
                                                   const search::SearchQuery& q,
                                                   search::SearchQuery& scratch);

}  // namespace hb::rest
