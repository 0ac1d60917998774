#include "claims/decimal.h"

#include <algorithm>

namespace hb::claims {

namespace {

constexpr int kMaxScale = 18;

__int128 Pow10(int n) {
  __int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  __int128 coef = 0;
  int scale = 0, digits = 0;
  bool point = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (point || i == 0 || i + 1 == text.size()) return std::nullopt;
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (++digits > 30) return std::nullopt;  // far beyond any amount the tables hold
    coef = coef * 10 + (c - '0');
    if (point && ++scale > kMaxScale) return std::nullopt;
  }
  return Decimal(negative ? -coef : coef, scale);
}

void Decimal::Align(Decimal& a, Decimal& b) {
  if (a.scale_ < b.scale_) {
    a.coef_ *= Pow10(b.scale_ - a.scale_);
    a.scale_ = b.scale_;
  } else if (b.scale_ < a.scale_) {
    b.coef_ *= Pow10(a.scale_ - b.scale_);
    b.scale_ = a.scale_;
  }
}

Decimal Decimal::operator+(const Decimal& o) const {
  Decimal a = *this, b = o;
  Align(a, b);
  return Decimal(a.coef_ + b.coef_, a.scale_);
}

Decimal Decimal::operator-(const Decimal& o) const {
  Decimal a = *this, b = o;
  Align(a, b);
  return Decimal(a.coef_ - b.coef_, a.scale_);
}

Decimal Decimal::operator*(const Decimal& o) const {
  Decimal r(coef_ * o.coef_, scale_ + o.scale_);
  // Keep the scale bounded: trailing zeros beyond kMaxScale carry no information.
  while (r.scale_ > kMaxScale && r.coef_ % 10 == 0) {
    r.coef_ /= 10;
    --r.scale_;
  }
  return r.scale_ > kMaxScale ? r.Round(kMaxScale) : r;
}

Decimal Decimal::Percent(int64_t percent) const {
  return *this * Decimal(static_cast<__int128>(percent), 2);
}

Decimal Decimal::Round(int digits) const {
  if (digits < 0 || scale_ <= digits) return *this;
  const __int128 div = Pow10(scale_ - digits);
  __int128 q = coef_ / div;
  const __int128 rem = coef_ % div;
  const __int128 twice = (rem < 0 ? -rem : rem) * 2;
  if (twice >= div) q += coef_ < 0 ? -1 : 1;
  return Decimal(q, digits);
}

int Decimal::DecimalPlaces() const {
  __int128 c = coef_;
  int s = scale_;
  while (s > 0 && c % 10 == 0) {
    c /= 10;
    --s;
  }
  return s;
}

int Decimal::Compare(const Decimal& a, const Decimal& b) {
  Decimal x = a, y = b;
  Align(x, y);
  return x.coef_ < y.coef_ ? -1 : (x.coef_ > y.coef_ ? 1 : 0);
}

std::optional<int64_t> Decimal::ToInteger() const {
  if (DecimalPlaces() != 0) return std::nullopt;
  const __int128 v = coef_ / Pow10(scale_);
  if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::string Decimal::ToString() const {
  __int128 c = coef_ < 0 ? -coef_ : coef_;
  int s = scale_;
  while (s > 0 && c % 10 == 0) {
    c /= 10;
    --s;
  }
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(c % 10)));
    c /= 10;
  } while (c > 0);
  while (static_cast<int>(digits.size()) <= s) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  if (s > 0) digits.insert(digits.size() - s, 1, '.');
  if (coef_ < 0 && digits.find_first_not_of("0.") != std::string::npos) digits.insert(0, 1, '-');
  return digits;
}

}  // namespace hb::claims
