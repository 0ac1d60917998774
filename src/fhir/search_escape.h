// Escaping a value for a FHIR search URL parameter (R4 search, "Escaping search parameters"):
// `\`, `,` (OR), `$` (composite) and `|` (system|code) are taken literally when preceded by a
// backslash. Used wherever the server builds a search from data (reception, the LIS, named
// queries), so that a value never adds an OR or a system to the search.
#pragma once

#include <string>
#include <string_view>

namespace hb::fhir {

// `keep_pipe`: a value that is already "system|code" (its `|` stays the separator).
inline std::string EscapeSearchValue(std::string_view value, bool keep_pipe = false) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == ',' || c == '$' || (c == '|' && !keep_pipe)) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// A token search value "system|value" with both parts escaped (an identifier or tag search).
inline std::string EscapeToken(std::string_view system, std::string_view value) {
  return EscapeSearchValue(system) + "|" + EscapeSearchValue(value);
}

}  // namespace hb::fhir
