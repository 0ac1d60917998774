// Known bugs the fuzzers found that are reported but not fixed yet. Each filter lets the
// fuzzers go on past one bug; delete it when the bug is fixed (and add the regression test).
#pragma once

#include <string_view>

namespace hb::fuzz {

// fhir::ParseJson accepts a lone low-surrogate escape ("\ude0d") and decodes it to the bytes
// ED B8 8D, a surrogate code point that is not valid UTF-8; ValidateResource accepts it, the
// store keeps it, and ParseJson refuses those bytes when it reads them back.
// Found by fhir_json_fuzzer; smallest input: "\ude0d" with its quotes (8 bytes).
inline bool HasEncodedSurrogate(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i + 1]);
    if (static_cast<unsigned char>(s[i]) == 0xED && b >= 0xA0 && b <= 0xBF) return true;
  }
  return false;
}

}  // namespace hb::fuzz
