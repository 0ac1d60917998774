// The search interaction's work after parsing, shared by GET/POST searches and by the
// GET entries of batches and transactions: run the query, drop the matches the caller
// may not read (ReadAccess: the record, and the token's scopes on its type where that is
// not the searched one: _contained containers and contained resources), follow _include /
// _revinclude from what is left (one round, then further rounds for :iterate, at most
// kMaxIncludeRounds) and drop the included resources the caller may not read the same
// way; shape resources for _elements and _summary=text|data (marked SUBSETTED).
//
// Thread-compatible: one call per request, on the caller's read transaction.
#pragma once

#include <string>
#include <vector>

#include "access/principal.h"
#include "rest/read_access.h"
#include "search/search_query.h"
#include "storage/resource_store.h"

namespace hb::rest {

struct SearchOutcome {
  std::vector<storage::ResourceVersion> matches;   // what the caller may read, in order
  std::vector<storage::ResourceVersion> included;  // search.mode = include
  int64_t total = -1;                              // Bundle.total; -1 when not computed
  size_t fetched = 0;     // matches on this page before the access filter (paging)
  bool withheld = false;  // a match was withheld: the total must not be shown
};

inline constexpr int kMaxIncludeRounds = 4;
inline constexpr int kMaxIncluded = 1000;

// Need-to-know on criteria: a _has criterion selects what the caller may see by the
// content of other resources, which the caller may not be allowed to read (a
// receptionist's `Patient?_has:Observation:patient:code=...`). Over patient data it is
// for operators (role system) only: kForbidden otherwise. Chains select by the
// referenced resource, which belongs to the same patient record as the match.
Status CheckCriteriaAccess(const access::Principal& principal, const search::SearchQuery& q);

// `filter` false: no access filtering of matches (the caller has checked the query as a
// whole, as for _summary=count). `lead`: resources, already checked, that go before the
// matches (counted in the total) and whose references _include follows too
// ($everything's patient).
Result<SearchOutcome> ExecuteSearch(storage::ReadTxn& txn, const search::SearchQuery& q,
                                    ReadAccess& access, bool filter = true,
                                    std::vector<storage::ResourceVersion> lead = {});

// The resource JSON as the query asks to see it (_elements, _summary=text|data): the same
// bytes when nothing is to be left out.
std::string ShapeResource(const std::string& json, const search::SearchQuery& q);

}  // namespace hb::rest
