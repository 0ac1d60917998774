// Decimal: the exact decimal number of FHIRPath (System.Decimal) and of FHIR `decimal`.
//
// A sign, an unsigned 128-bit coefficient and a scale (digits after the point), so that
// "1.50" keeps its two digits and 0.1 + 0.2 = 0.3 exactly. Holds up to 38 significant
// digits; division keeps 28 significant digits (the FHIRPath minimum), rounding half away
// from zero. Only the boundary functions make a negative zero ("-0.0"); arithmetic and
// Negate() never do.
//
// Thread-safety: a value type, thread-compatible. No allocation except ToString().
// Failure modes: arithmetic that would exceed 38 digits, and division by zero, return
// nullopt; Parse returns nullopt on malformed text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hb::fhirpath {

class Decimal {
 public:
  Decimal() = default;  // 0

  // "[+-]digits[.digits]", and with `allow_exponent` a JSON exponent ("1.5e-3").
  static std::optional<Decimal> Parse(std::string_view text, bool allow_exponent = false);
  static Decimal FromInteger(int64_t v);
  // The double rounded to `significant` digits, trailing zeros dropped; nullopt for NaN/inf.
  static std::optional<Decimal> FromDouble(double v, int significant = 15);

  std::string ToString() const;
  int scale() const { return scale_; }
  bool negative() const { return negative_; }
  bool IsZero() const { return coef_ == 0; }
  bool IsInteger() const;  // no non-zero digit after the point
  // The value when integral and within int64; nullopt otherwise.
  std::optional<int64_t> ToInteger() const;
  double ToDouble() const;
  // Significant digits of the coefficient (0 has 1).
  int Digits() const;

  Decimal Negate() const;
  Decimal Abs() const;
  static std::optional<Decimal> Add(const Decimal& a, const Decimal& b);
  static std::optional<Decimal> Sub(const Decimal& a, const Decimal& b);
  static std::optional<Decimal> Mul(const Decimal& a, const Decimal& b);
  static std::optional<Decimal> Div(const Decimal& a, const Decimal& b);
  // Truncated division (`div`) and its remainder (`mod`, sign of the dividend).
  static std::optional<Decimal> IntDiv(const Decimal& a, const Decimal& b);
  static std::optional<Decimal> Mod(const Decimal& a, const Decimal& b);
  // -1, 0, 1 on the values (1.10 == 1.1; -0.0 == 0).
  static int Compare(const Decimal& a, const Decimal& b);

  // To `digits` after the point: half away from zero, toward zero, down, up. A value with
  // fewer digits is returned unchanged (no padding).
  Decimal Round(int digits) const;
  Decimal Truncate(int digits = 0) const;
  Decimal Floor() const;
  Decimal Ceiling() const;
  // Exactly `digits` after the point: padded with zeros, or rounded half away from zero.
  Decimal WithScale(int digits) const;
  // Trailing fractional zeros removed, but at least `min_scale` digits kept.
  Decimal Trimmed(int min_scale = 0) const;
  Decimal WithSign(bool negative) const;

 private:
  using U = unsigned __int128;
  Decimal(U coef, int scale, bool negative) : coef_(coef), scale_(scale), negative_(negative) {}
  static std::optional<Decimal> AddSigned(const Decimal& a, const Decimal& b, bool negate_b);
  Decimal Normalized() const { return coef_ == 0 ? Decimal(0, scale_, false) : *this; }
  // Drops `n` digits: mode 0 half away from zero, 1 toward zero, 2 away from zero.
  Decimal Drop(int n, int mode) const;

  U coef_ = 0;
  int32_t scale_ = 0;
  bool negative_ = false;
};

}  // namespace hb::fhirpath
