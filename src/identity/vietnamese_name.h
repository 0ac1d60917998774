// Vietnamese names (and other free text read from ID cards): one canonical form
// for storage and display, a folded form for matching.
//
//   NormalizeText("  Lo\u0300  Va\u0306n A\r\n") -> "Lò Văn A"   (NFC, spaces collapsed)
//   FoldName("LÒ VĂN A")                         -> "lo van a"   (lower case, no marks, đ -> d)
//   DisplayName("LÒ VĂN A")                      -> "Lò Văn A"   (title case)
//
// NormalizeText drops control and invisible characters (IsJunk in
// code_points.h), turns every run of white space into one ASCII space, trims
// both ends and composes to NFC (nfc.h). Word order is never changed: family
// name first, as Vietnamese writes it. FoldName reuses search::FoldText, the same
// folding the string search index applies, so a folded name here matches what
// `Patient?name=` finds. DisplayName upper-cases the first letter of each word
// (after a space, a hyphen or an apostrophe, as in "H'Mông") and lower-cases the
// rest. Malformed UTF-8 bytes are dropped.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hb::identity {

std::string NormalizeText(std::string_view text);
inline std::string NormalizeName(std::string_view name) { return NormalizeText(name); }
std::string FoldName(std::string_view name);
std::string DisplayName(std::string_view name);

}  // namespace hb::identity
