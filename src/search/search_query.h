// A parsed FHIR search: what to match, how many, in what order.
//
// This is the contract between the search front end (parsing URL queries, here)
// and the stores that execute it (storage/). The full engine (issue: FHIRPath
// and the complete search) grows these structures; stores must reject what
// they cannot execute with kInvalidSearchParameter rather than ignore it.
// Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hb::search {

// One token value: `system|code`, `|code` (no system), `code` (any system),
// `system|` (any code in the system).
struct TokenValue {
  std::optional<std::string> system;  // nullopt: any system; "" : no system
  std::optional<std::string> code;    // nullopt: any code
};

// param=v1,v2 (OR); several params are ANDed.
struct TokenCriterion {
  std::string param;  // search parameter code, e.g. "identifier"
  std::vector<TokenValue> any_of;
};

struct SearchQuery {
  std::string type;                         // resource type
  std::vector<std::string> ids;             // _id=a,b (OR); empty: not constrained
  std::vector<TokenCriterion> tokens;       // ANDed
  int count = 50;                           // page size (_count)
  int64_t offset = 0;                       // paging position (_offset)
  bool total = true;                        // compute Bundle.total
  bool summary_count = false;               // _summary=count: total only
  std::vector<std::pair<std::string, std::string>> canonical;  // what was applied, for the self link
};

}  // namespace hb::search
