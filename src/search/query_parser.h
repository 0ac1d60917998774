// Parses a FHIR search query string for one resource type into a SearchQuery
// (R4 search, https://hl7.org/fhir/R4/search.html).
//
// Criteria: every indexed parameter of the type (ParamRegistry), _id, _lastUpdated,
// with the prefixes and modifiers of their parameter types; chains
// (`subject:Patient.name=...`, up to 4 levels) and reverse chains (`_has:`, nested).
// Result parameters: _count, _offset (paging state), _total, _summary (count, text,
// data, false), _elements, _sort, _include and _revinclude (with :iterate and *),
// _contained / _containedType (search/contained.h), _query (a named query, expanded into
// its criteria: search/named_query.h), and _format/_pretty, which are accepted and skipped.
//
// Unknown or unsupported parameters are an error (kInvalidSearchParameter, naming the
// parameter) under `Prefer: handling=strict` and are ignored, and left out of the self
// link, under lenient handling. Malformed values and modifiers a parameter type does
// not have are errors under both. Thread-safe, pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "search/search_query.h"

namespace hb::search {

struct ParseOptions {
  bool strict = false;
  int default_count = 50;
  int max_count = 1000;
  int64_t now_micros = 0;  // for the `ap` prefix on dates; 0: the clock
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

Result<SearchQuery> ParseSearch(std::string_view type, const QueryParams& params,
                                const ParseOptions& options);

// The resource types of a `_type` value ("Patient,Observation"): comma-separated, empty
// items dropped, in the order given (checking them is the caller's).
std::vector<std::string> SplitTypes(std::string_view value);

// The search parameters this front end understands for `type` (code, type, definition).
std::vector<const RegisteredParam*> SupportedParameters(std::string_view type);

}  // namespace hb::search
