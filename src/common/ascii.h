// ASCII-only case mapping, for protocol tokens, keywords and identifiers whose letters are
// ASCII by definition (FHIR type names, search keywords, header names). Bytes >= 0x80 pass
// through unchanged, so UTF-8 text is never damaged (folding human text is
// search/text_fold.h's job). Pure, thread-safe, locale-independent.
#pragma once

#include <string>
#include <string_view>

namespace hb {

constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// "Observation" -> "observation"; "Lò" -> "lò".
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

}  // namespace hb
