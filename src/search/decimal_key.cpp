#include "search/decimal_key.h"

#include <algorithm>
#include <cstdio>

namespace hb::search {

namespace {

// Parses number text into sign, significant digits (no leading/trailing zeros) and the
// exponent e such that value = 0.DIGITS x 10^e. Also the exponent of the last written digit.
struct Parsed {
  bool negative = false;
  std::string digits;  // empty for zero
  int exponent = 0;
  int last_place = 0;  // 10^last_place is the unit of the last written digit
};

std::optional<Parsed> ParseText(std::string_view s) {
  Parsed p;
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) p.negative = s[i++] == '-';
  std::string all;  // every mantissa digit as written
  int point = -1;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      all += c;
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(all.size());
    } else {
      break;
    }
  }
  if (all.empty()) return std::nullopt;
  int exp10 = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i == s.size()) return std::nullopt;
    int e = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      e = std::min(e * 10 + (s[i] - '0'), 100000);
    }
    exp10 = neg ? -e : e;
  }
  if (i != s.size()) return std::nullopt;
  int int_digits = point < 0 ? static_cast<int>(all.size()) : point;
  int frac_digits = static_cast<int>(all.size()) - int_digits;
  p.last_place = exp10 - frac_digits;
  size_t first = all.find_first_not_of('0');
  if (first == std::string::npos) {
    p.negative = false;
    return p;
  }
  p.exponent = int_digits - static_cast<int>(first) + exp10;
  size_t last = all.find_last_not_of('0');
  p.digits = all.substr(first, last - first + 1);
  return p;
}

std::string KeyOf(const Parsed& p) {
  if (p.digits.empty()) return "1";
  int e = std::clamp(p.exponent, -4999, 4999) + 5000;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%04d", p.negative ? '0' : '2', p.negative ? 9999 - e : e);
  std::string key(buf, 5);
  key.reserve(6 + p.digits.size());
  if (!p.negative) {
    key.append(p.digits);
  } else {
    for (char c : p.digits) key.push_back(static_cast<char>('9' - (c - '0')));
    key.push_back('~');
  }
  return key;
}

}  // namespace

std::optional<std::string> DecimalKey(std::string_view text) {
  auto p = ParseText(text);
  if (!p) return std::nullopt;
  return KeyOf(*p);
}

std::string DecimalKey(const fhirpath::Decimal& d) {
  auto p = ParseText(d.ToString());
  return p ? KeyOf(*p) : std::string("1");
}

std::optional<DecimalBounds> DecimalRange(std::string_view text) {
  auto p = ParseText(text);
  if (!p) return std::nullopt;
  // Normalise the text for Decimal::Parse (it takes exponents when asked).
  auto value = fhirpath::Decimal::Parse(text, true);
  if (!value) return std::nullopt;
  // half = 5 x 10^(last_place - 1)
  int place = std::clamp(p->last_place - 1, -30, 30);
  std::string half_text;
  if (place >= 0) {
    half_text.assign(1, '5');
    half_text.append(static_cast<size_t>(place), '0');
  } else {
    half_text.assign("0.");
    half_text.append(static_cast<size_t>(-place - 1), '0');
    half_text.push_back('5');
  }
  auto half = fhirpath::Decimal::Parse(half_text);
  if (!half) return std::nullopt;
  auto low = fhirpath::Decimal::Sub(*value, *half);
  auto high = fhirpath::Decimal::Add(*value, *half);
  if (!low || !high) return std::nullopt;
  return DecimalBounds{*value, *low, *high};
}

}  // namespace hb::search
