#include "identity/vietnamese_name.h"

#include "identity/code_points.h"
#include "identity/nfc.h"
#include "search/text_fold.h"

namespace hb::identity {

namespace {

std::u32string NormalizeCodePoints(std::string_view text) {
  std::u32string kept;
  kept.reserve(text.size());
  bool pending_space = false;
  for (char32_t cp : DecodeUtf8(text)) {
    // Junk goes before composition: a stray NUL between a letter and its mark
    // would otherwise block the two from composing.
    if (IsJunk(cp)) continue;
    if (IsSpace(cp)) {
      pending_space = !kept.empty();
      continue;
    }
    if (pending_space) kept.push_back(' ');
    pending_space = false;
    kept.push_back(cp);
  }
  return ComposeNfc(kept);
}

bool StartsWord(char32_t previous) {
  return previous == ' ' || previous == '-' || previous == '\'' || previous == 0x2019 ||
         previous == '(';
}

}  // namespace

std::string NormalizeText(std::string_view text) { return EncodeUtf8(NormalizeCodePoints(text)); }

std::string FoldName(std::string_view name) { return search::FoldText(NormalizeText(name)); }

std::string DisplayName(std::string_view name) {
  std::u32string cps = NormalizeCodePoints(name);
  char32_t previous = ' ';
  for (char32_t& cp : cps) {
    cp = StartsWord(previous) ? ToUpperLatin(cp) : ToLowerLatin(cp);
    previous = cp;
  }
  return EncodeUtf8(cps);
}

}  // namespace hb::identity
