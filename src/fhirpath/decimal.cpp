#include "fhirpath/decimal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace hb::fhirpath {

namespace {

using U = unsigned __int128;
constexpr int kMaxDigits = 38;       // 10^38 < 2^128
constexpr int kDivisionDigits = 28;  // significant digits kept by Div

U Pow10(int n) {
  static const auto table = [] {
    struct T {
      U v[kMaxDigits + 1];
    } t{};
    t.v[0] = 1;
    for (int i = 1; i <= kMaxDigits; ++i) t.v[i] = t.v[i - 1] * 10;
    return t;
  }();
  return table.v[n];
}

int DigitCount(U v) {
  int n = 1;
  while (n <= kMaxDigits && v >= Pow10(n)) ++n;
  return n;
}

// v * 10^n, or nullopt when the result would pass 38 digits.
std::optional<U> ScaleUp(U v, int n) {
  if (n == 0 || v == 0) return v;
  if (n > kMaxDigits || DigitCount(v) + n > kMaxDigits) return std::nullopt;
  return v * Pow10(n);
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view s, bool allow_exponent) {
  bool neg = false;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  U coef = 0;
  int scale = 0, digits = 0;
  bool any = false, point = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (coef != 0 || c != '0') ++digits;
      if (digits > kMaxDigits) return std::nullopt;
      coef = coef * 10 + static_cast<unsigned>(c - '0');
      any = true;
      if (point) ++scale;
    } else if (c == '.' && !point && any) {
      point = true;
      if (i + 1 >= s.size() || s[i + 1] < '0' || s[i + 1] > '9') return std::nullopt;
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  if (i < s.size()) {
    if (!allow_exponent || (s[i] != 'e' && s[i] != 'E')) return std::nullopt;
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i >= s.size()) return std::nullopt;
    int exp = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9' || exp > 1000) return std::nullopt;
      exp = exp * 10 + (s[i] - '0');
    }
    scale += eneg ? exp : -exp;
    if (scale < 0) {
      auto up = ScaleUp(coef, -scale);
      if (!up) return std::nullopt;
      coef = *up;
      scale = 0;
    }
    if (scale > kMaxDigits * 2) return std::nullopt;
  }
  return Decimal(coef, scale, neg && coef != 0);
}

Decimal Decimal::FromInteger(int64_t v) {
  U mag = v < 0 ? static_cast<U>(-(v + 1)) + 1 : static_cast<U>(v);
  return Decimal(mag, 0, v < 0);
}

std::optional<Decimal> Decimal::FromDouble(double v, int significant) {
  if (!std::isfinite(v)) return std::nullopt;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", significant - 1, v);
  auto d = Parse(buf, true);
  if (!d) return std::nullopt;
  return d->Trimmed();
}

std::string Decimal::ToString() const {
  char digits[kMaxDigits + 2];
  int n = 0;
  U v = coef_;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  while (n <= scale_) digits[n++] = '0';  // at least one digit before the point
  std::string out;
  out.reserve(static_cast<size_t>(n) + 2);
  if (negative_) out.push_back('-');
  for (int i = n - 1; i >= 0; --i) {
    out.push_back(digits[i]);
    if (i == scale_ && i != 0) out.push_back('.');
  }
  return out;
}

bool Decimal::IsInteger() const {
  return scale_ == 0 || coef_ % Pow10(std::min(scale_, kMaxDigits)) == 0;
}

std::optional<int64_t> Decimal::ToInteger() const {
  if (!IsInteger()) return std::nullopt;
  U whole = scale_ > kMaxDigits ? 0 : coef_ / Pow10(scale_);
  if (whole > static_cast<U>(INT64_MAX)) return std::nullopt;
  int64_t w = static_cast<int64_t>(whole);
  return negative_ ? -w : w;
}

double Decimal::ToDouble() const {
  // Through text, so that the conversion is correctly rounded.
  return std::strtod(ToString().c_str(), nullptr);
}

int Decimal::Digits() const { return DigitCount(coef_); }

Decimal Decimal::Negate() const { return Decimal(coef_, scale_, coef_ != 0 && !negative_); }
Decimal Decimal::Abs() const { return Decimal(coef_, scale_, false); }
Decimal Decimal::WithSign(bool negative) const { return Decimal(coef_, scale_, negative); }

std::optional<Decimal> Decimal::AddSigned(const Decimal& a, const Decimal& b, bool negate_b) {
  bool bneg = negate_b ? !b.negative_ : b.negative_;
  int scale = std::max(a.scale_, b.scale_);
  U x, y;
  // Align the scales; if that passes 38 digits, round the more precise operand.
  for (;; --scale) {
    Decimal ra = a.scale_ > scale ? a.Round(scale) : a;
    Decimal rb = b.scale_ > scale ? b.Round(scale) : b;
    auto ax = ScaleUp(ra.coef_, scale - ra.scale_), by = ScaleUp(rb.coef_, scale - rb.scale_);
    if (ax && by) {
      x = *ax;
      y = *by;
      break;
    }
    if (scale <= 0) return std::nullopt;
  }
  U r;
  bool neg;
  if (a.negative_ == bneg) {
    r = x + y;
    if (DigitCount(r) > kMaxDigits) return std::nullopt;
    neg = bneg;
  } else if (x >= y) {
    r = x - y;
    neg = a.negative_;
  } else {
    r = y - x;
    neg = bneg;
  }
  return Decimal(r, scale, neg && r != 0);
}

std::optional<Decimal> Decimal::Add(const Decimal& a, const Decimal& b) {
  return AddSigned(a, b, false);
}
std::optional<Decimal> Decimal::Sub(const Decimal& a, const Decimal& b) {
  return AddSigned(a, b, true);
}

std::optional<Decimal> Decimal::Mul(const Decimal& a, const Decimal& b) {
  Decimal x = a, y = b;
  // Keep the product within 38 digits by dropping the operands' least digits if needed.
  while (DigitCount(x.coef_) + DigitCount(y.coef_) > kMaxDigits + 1) {
    Decimal& bigger = x.scale_ >= y.scale_ ? x : y;
    if (bigger.scale_ == 0) return std::nullopt;
    bigger = bigger.Round(bigger.scale_ - 1);
  }
  U r;
  if (__builtin_mul_overflow(x.coef_, y.coef_, &r) || DigitCount(r) > kMaxDigits) {
    return std::nullopt;
  }
  bool neg = (a.negative_ != b.negative_) && r != 0;
  Decimal out(r, x.scale_ + y.scale_, neg);
  if (out.scale_ > kMaxDigits) out = out.Round(kMaxDigits);
  return out;
}

std::optional<Decimal> Decimal::Div(const Decimal& a, const Decimal& b) {
  if (b.coef_ == 0) return std::nullopt;
  if (a.coef_ == 0) return Decimal(0, std::max(a.scale_, b.scale_), false);
  // Quotient digits before the point, approximately; aim for kDivisionDigits in all. The
  // estimate can be one too high, which the second pass corrects with one more digit.
  int int_digits = (DigitCount(a.coef_) - a.scale_) - (DigitCount(b.coef_) - b.scale_) + 1;
  int scale = std::max(0, kDivisionDigits - int_digits);
  bool second_pass = false;
  for (;;) {
    // quotient coef = a.coef * 10^(scale - a.scale + b.scale) / b.coef
    int k = scale - a.scale_ + b.scale_;
    std::optional<U> n = k >= 0 ? ScaleUp(a.coef_, k) : std::optional<U>(a.coef_);
    std::optional<U> d = k >= 0 ? std::optional<U>(b.coef_) : ScaleUp(b.coef_, -k);
    if (n && d) {
      U q = *n / *d, rem = *n % *d;
      if (rem != 0 && DigitCount(q) < kDivisionDigits && !second_pass && ScaleUp(*n, 1)) {
        second_pass = true;
        ++scale;
        continue;
      }
      if (rem != 0 && rem >= *d - rem) ++q;  // half away from zero
      Decimal out(q, scale, (a.negative_ != b.negative_) && q != 0);
      return out.Trimmed(std::max(a.scale_, b.scale_));
    }
    // Too many digits for 128 bits: fewer after the point.
    if (scale <= 0) return std::nullopt;
    --scale;
  }
}

std::optional<Decimal> Decimal::IntDiv(const Decimal& a, const Decimal& b) {
  if (b.coef_ == 0) return std::nullopt;
  int scale = std::max(a.scale_, b.scale_);
  auto x = ScaleUp(a.coef_, scale - a.scale_), y = ScaleUp(b.coef_, scale - b.scale_);
  if (!x || !y) return std::nullopt;
  U q = *x / *y;
  return Decimal(q, 0, (a.negative_ != b.negative_) && q != 0);
}

std::optional<Decimal> Decimal::Mod(const Decimal& a, const Decimal& b) {
  if (b.coef_ == 0) return std::nullopt;
  int scale = std::max(a.scale_, b.scale_);
  auto x = ScaleUp(a.coef_, scale - a.scale_), y = ScaleUp(b.coef_, scale - b.scale_);
  if (!x || !y) return std::nullopt;
  U r = *x % *y;
  return Decimal(r, scale, a.negative_ && r != 0);
}

int Decimal::Compare(const Decimal& a, const Decimal& b) {
  bool an = a.negative_ && a.coef_ != 0, bn = b.negative_ && b.coef_ != 0;
  if (an != bn) return an ? -1 : 1;
  int sign = an ? -1 : 1;
  int sa = std::min(a.scale_, kMaxDigits), sb = std::min(b.scale_, kMaxDigits);
  U ia = a.coef_ / Pow10(sa), ib = b.coef_ / Pow10(sb);
  if (ia != ib) return ia < ib ? -sign : sign;
  int s = std::max(sa, sb);
  U fa = (a.coef_ % Pow10(sa)) * Pow10(s - sa), fb = (b.coef_ % Pow10(sb)) * Pow10(s - sb);
  if (fa != fb) return fa < fb ? -sign : sign;
  return 0;
}

Decimal Decimal::Drop(int n, int mode) const {
  if (n <= 0) return *this;
  if (n > kMaxDigits) return Decimal(0, scale_ - n, false).Normalized();
  U p = Pow10(n), q = coef_ / p, rem = coef_ % p;
  if (rem != 0) {
    if (mode == 0 && rem >= p - rem) ++q;
    if (mode == 2) ++q;
  }
  return Decimal(q, scale_ - n, negative_ && q != 0);
}

Decimal Decimal::Round(int digits) const {
  digits = std::max(digits, 0);
  return scale_ <= digits ? *this : Drop(scale_ - digits, 0);
}

Decimal Decimal::Truncate(int digits) const {
  digits = std::max(digits, 0);
  return scale_ <= digits ? *this : Drop(scale_ - digits, 1);
}

Decimal Decimal::Floor() const { return scale_ == 0 ? *this : Drop(scale_, negative_ ? 2 : 1); }
Decimal Decimal::Ceiling() const { return scale_ == 0 ? *this : Drop(scale_, negative_ ? 1 : 2); }

Decimal Decimal::WithScale(int digits) const {
  digits = std::max(digits, 0);
  if (digits < scale_) return Drop(scale_ - digits, 0);
  auto up = ScaleUp(coef_, digits - scale_);
  if (!up) return *this;
  return Decimal(*up, digits, negative_);
}

Decimal Decimal::Trimmed(int min_scale) const {
  Decimal d = *this;
  while (d.scale_ > min_scale && d.coef_ % 10 == 0) {
    d.coef_ /= 10;
    --d.scale_;
  }
  return d;
}

}  // namespace hb::fhirpath
