// Fuzzes the search URL: http::ParseQuery (percent-decoding, form pairs), then
// search::ParseSearch, strict and lenient. Input: "ResourceType?query string".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/query.h"
#include "search/query_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t q = text.find('?');
  std::string_view type =
      q == std::string_view::npos ? std::string_view("Patient") : text.substr(0, q);
  std::string_view query = q == std::string_view::npos ? text : text.substr(q + 1);
  auto params = hb::http::ParseQuery(query);
  for (bool strict : {false, true}) {
    hb::search::ParseOptions options;
    options.strict = strict;
    (void)hb::search::ParseSearch(type, params, options);
  }
  return 0;
}
