// Decimal: exact money and quantity arithmetic for the insurance tables.
//
// QĐ 130/4750 fixes the rounding of every amount (DON_GIA 3 decimals, SO_LUONG 3,
// THANH_TIEN_* 2, shares by percentage) and the portal recomputes them to the last đồng,
// so binary floating point must never touch them. A Decimal is a signed 128-bit
// coefficient and a scale (digits after the point): products are exact (scales add),
// percentages divide exactly by 100 (scale + 2), and Round() is the only place where
// digits are dropped, half away from zero ("làm tròn"). Scales stay small (<= 18), so the
// coefficient cannot overflow for amounts a claim can hold.
//
// Thread-safety: a value type. Failure modes: Parse returns nullopt for anything but
// "[-]digits[.digits]" (no exponent, no grouping, '.' as the point, as the tables write).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hb::claims {

class Decimal {
 public:
  Decimal() = default;
  static std::optional<Decimal> Parse(std::string_view text);
  static Decimal FromInt(int64_t v) { return Decimal(v, 0); }

  // Exact.
  Decimal operator+(const Decimal& o) const;
  Decimal operator-(const Decimal& o) const;
  Decimal operator*(const Decimal& o) const;
  Decimal& operator+=(const Decimal& o) { return *this = *this + o; }
  Decimal& operator-=(const Decimal& o) { return *this = *this - o; }
  // this * percent / 100, exact (TYLE_TT_BH, MUC_HUONG, TYLE_TT_DV are whole percents).
  Decimal Percent(int64_t percent) const;

  // To `digits` after the point, half away from zero; fewer digits are kept as they are.
  Decimal Round(int digits) const;
  // The number of significant digits after the point (trailing zeros ignored).
  int DecimalPlaces() const;

  static int Compare(const Decimal& a, const Decimal& b);
  bool operator==(const Decimal& o) const { return Compare(*this, o) == 0; }
  bool operator!=(const Decimal& o) const { return Compare(*this, o) != 0; }
  bool operator<(const Decimal& o) const { return Compare(*this, o) < 0; }
  bool operator>(const Decimal& o) const { return Compare(*this, o) > 0; }
  bool operator<=(const Decimal& o) const { return Compare(*this, o) <= 0; }
  bool operator>=(const Decimal& o) const { return Compare(*this, o) >= 0; }
  bool IsZero() const { return coef_ == 0; }
  bool IsNegative() const { return coef_ < 0; }
  // The integral value when there is no fraction; nullopt otherwise.
  std::optional<int64_t> ToInteger() const;

  // The shortest text: no trailing zeros after the point, no point for whole numbers
  // ("13500", "1234.5", "-0.25"). This is how the tables are written.
  std::string ToString() const;

 private:
  Decimal(__int128 coef, int scale) : coef_(coef), scale_(scale) {}
  static void Align(Decimal& a, Decimal& b);
  __int128 coef_ = 0;
  int scale_ = 0;
};

}  // namespace hb::claims
