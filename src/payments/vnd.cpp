#include "payments/vnd.h"

namespace hb::payments {

namespace {

// Splits "[-]int[.frac]" into its parts; false on anything else.
bool Split(std::string_view t, bool* neg, std::string_view* whole, std::string_view* frac) {
  *neg = !t.empty() && t.front() == '-';
  if (*neg) t.remove_prefix(1);
  size_t dot = t.find('.');
  *whole = t.substr(0, dot);
  *frac = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
  if (whole->empty() || (dot != std::string_view::npos && frac->empty())) return false;
  for (char c : *whole) {
    if (c < '0' || c > '9') return false;
  }
  for (char c : *frac) {
    if (c < '0' || c > '9') return false;
  }
  return whole->size() <= 13;
}

int64_t Digits(std::string_view s) {
  int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<int64_t> ParseVnd(std::string_view decimal) {
  bool neg = false;
  std::string_view whole, frac;
  if (!Split(decimal, &neg, &whole, &frac)) return std::nullopt;
  int64_t v = Digits(whole);
  if (!frac.empty() && frac.front() >= '5') ++v;  // half away from zero, on the magnitude
  return neg ? -v : v;
}

std::optional<int64_t> ParseMilli(std::string_view decimal) {
  bool neg = false;
  std::string_view whole, frac;
  if (!Split(decimal, &neg, &whole, &frac) || frac.size() > 3 || whole.size() > 12) {
    return std::nullopt;
  }
  std::string f(frac);
  f.resize(3, '0');
  int64_t v = Digits(whole) * 1000 + Digits(f);
  return neg ? -v : v;
}

int64_t MulDivRound(int64_t a, int64_t num, int64_t den) {
  __int128 p = static_cast<__int128>(a) * num;
  bool neg = p < 0;
  if (neg) p = -p;
  __int128 q = (p + den / 2) / den;  // half up on the magnitude = half away from zero
  return static_cast<int64_t>(neg ? -q : q);
}

std::string FormatVnd(int64_t amount) {
  std::string digits = std::to_string(amount < 0 ? -amount : amount);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back('.');
    out.push_back(digits[i]);
  }
  return amount < 0 ? "-" + out : out;
}

}  // namespace hb::payments
