// Parses a FHIR search query string for one resource type into a SearchQuery.
//
// Supported now: _id, identifier (token), _count, _offset, _total, _summary=count,
// and the result parameters that are not criteria (_format, _pretty), which are
// accepted and skipped. Unknown parameters are an error under
// `Prefer: handling=strict` and are ignored (and left out of the self link)
// under lenient handling, as the R4 spec describes. Thread-safe, pure.
#pragma once

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
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

Result<SearchQuery> ParseSearch(std::string_view type, const QueryParams& params,
                                const ParseOptions& options);
// The search parameters this front end understands for `type`.
std::vector<std::string> SupportedParameters(std::string_view type);

}  // namespace hb::search
