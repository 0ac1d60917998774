#include "identity/nfc.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "identity/code_points.h"

namespace hb::identity {

namespace {

// Canonical combining classes of U+0300..U+036F (Unicode Character Database,
// DerivedCombiningClass.txt).
constexpr uint8_t kMarkClasses[112] = {
    230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230,  // U+0300
    230, 230, 230, 230, 230, 232, 220, 220, 220, 220, 232, 216, 220, 220, 220, 220,  // U+0310
    220, 202, 202, 220, 220, 220, 220, 202, 202, 220, 220, 220, 220, 220, 220, 220,  // U+0320
    220, 220, 220, 220, 1,   1,   1,   1,   1,   220, 220, 220, 220, 230, 230, 230,  // U+0330
    230, 230, 230, 230, 230, 240, 230, 220, 220, 220, 230, 230, 230, 220, 220, 0,    // U+0340
    230, 230, 230, 220, 220, 220, 220, 230, 232, 220, 220, 230, 233, 234, 234, 233,  // U+0350
    234, 234, 233, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230,  // U+0360
};

struct Tables {
  std::unordered_map<char32_t, internal::LatinComposition> decompose;  // by composite
  std::unordered_map<uint64_t, char32_t> compose;                      // by (base, mark)
};

uint64_t PairKey(char32_t base, char32_t mark) { return (uint64_t{base} << 32) | mark; }

const Tables& GetTables() {
  static const Tables kTables = [] {
    Tables t;
    for (size_t i = 0; i < internal::kLatinCompositionCount; ++i) {
      const internal::LatinComposition& c = internal::kLatinCompositions[i];
      t.decompose.emplace(c.composite, c);
      t.compose.emplace(PairKey(c.base, c.mark), c.composite);
    }
    return t;
  }();
  return kTables;
}

// Appends the full canonical decomposition of cp.
void AppendDecomposed(const Tables& t, char32_t cp, std::u32string& out) {
  // Singleton and two-mark decompositions inside U+0340..U+0344: these marks are
  // never produced by composition, only replaced.
  switch (cp) {
    case 0x340:
      out.push_back(0x300);
      return;
    case 0x341:
      out.push_back(0x301);
      return;
    case 0x343:
      out.push_back(0x313);
      return;
    case 0x344:
      out.push_back(0x308);
      out.push_back(0x301);
      return;
    default:
      break;
  }
  auto it = t.decompose.find(cp);
  if (it == t.decompose.end()) {
    out.push_back(cp);
    return;
  }
  AppendDecomposed(t, it->second.base, out);
  out.push_back(it->second.mark);
}

}  // namespace

int CombiningClass(char32_t cp) {
  return cp >= 0x300 && cp <= 0x36F ? kMarkClasses[cp - 0x300] : 0;
}

std::u32string ComposeNfc(std::u32string_view text) {
  const Tables& t = GetTables();
  std::u32string d;
  d.reserve(text.size() + 8);
  for (char32_t cp : text) AppendDecomposed(t, cp, d);

  // Canonical ordering: each run of non-starters sorted by combining class, stably
  // (marks of equal class keep their order: they are not interchangeable).
  for (size_t i = 0; i < d.size();) {
    if (CombiningClass(d[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < d.size() && CombiningClass(d[j]) != 0) ++j;
    std::stable_sort(d.begin() + static_cast<std::ptrdiff_t>(i),
                     d.begin() + static_cast<std::ptrdiff_t>(j),
                     [](char32_t a, char32_t b) { return CombiningClass(a) < CombiningClass(b); });
    i = j;
  }

  // Canonical composition: a character joins the last starter unless a character
  // between them is a starter or has a combining class >= its own (it is blocked).
  std::u32string out;
  out.reserve(d.size());
  size_t starter = std::u32string::npos;
  int last_class = 0;
  for (char32_t cp : d) {
    int cls = CombiningClass(cp);
    if (starter != std::u32string::npos) {
      bool adjacent = starter + 1 == out.size();
      bool blocked = !adjacent && (last_class == 0 || last_class >= cls);
      if (!blocked) {
        auto it = t.compose.find(PairKey(out[starter], cp));
        if (it != t.compose.end()) {
          out[starter] = it->second;
          continue;
        }
      }
    }
    if (cls == 0) starter = out.size();
    out.push_back(cp);
    last_class = cls;
  }
  return out;
}

std::string ComposeNfc(std::string_view text) {
  // Fast path: pure ASCII is already NFC.
  bool ascii = std::all_of(text.begin(), text.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return std::string(text);
  return EncodeUtf8(ComposeNfc(DecodeUtf8(text)));
}

}  // namespace hb::identity
