#include "fhirpath/ucum.h"

#include <cstdlib>

namespace hb::fhirpath {

namespace {

struct Atom {
  std::string_view code;
  std::string_view factor;  // in base units: m, g, s, rad, K, C, cd
  UnitDimension dim;        // L M T A Θ Q F
  bool metric;              // takes prefixes
};

// The UCUM atoms we read (values from the UCUM essence table).
constexpr Atom kAtoms[] = {
    {"m", "1", {1, 0, 0, 0, 0, 0, 0, 0}, true},
    {"g", "1", {0, 1, 0, 0, 0, 0, 0, 0}, true},
    {"s", "1", {0, 0, 1, 0, 0, 0, 0, 0}, true},
    {"rad", "1", {0, 0, 0, 1, 0, 0, 0, 0}, true},
    {"K", "1", {0, 0, 0, 0, 1, 0, 0, 0}, true},
    {"C", "1", {0, 0, 0, 0, 0, 1, 0, 0}, true},
    {"cd", "1", {0, 0, 0, 0, 0, 0, 1, 0}, true},
    {"sr", "1", {0, 0, 0, 2, 0, 0, 0, 0}, true},
    {"l", "0.001", {3, 0, 0, 0, 0, 0, 0, 0}, true},
    {"L", "0.001", {3, 0, 0, 0, 0, 0, 0, 0}, true},
    {"ar", "100", {2, 0, 0, 0, 0, 0, 0, 0}, true},
    {"t", "1000000", {0, 1, 0, 0, 0, 0, 0, 0}, true},
    {"min", "60", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"h", "3600", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"d", "86400", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"wk", "604800", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"mo", "2629800", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"mo_j", "2629800", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"mo_g", "2629746", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"a", "31557600", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"a_j", "31557600", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"a_g", "31556952", {0, 0, 1, 0, 0, 0, 0, 0}, false},
    {"Hz", "1", {0, 0, -1, 0, 0, 0, 0, 0}, true},
    {"N", "1000", {1, 1, -2, 0, 0, 0, 0, 0}, true},
    {"Pa", "1000", {-1, 1, -2, 0, 0, 0, 0, 0}, true},
    {"J", "1000", {2, 1, -2, 0, 0, 0, 0, 0}, true},
    {"W", "1000", {2, 1, -3, 0, 0, 0, 0, 0}, true},
    {"A", "1", {0, 0, -1, 0, 0, 1, 0, 0}, true},
    {"V", "1000", {2, 1, -2, 0, 0, -1, 0, 0}, true},
    {"cal", "4184", {2, 1, -2, 0, 0, 0, 0, 0}, true},
    {"[Cal]", "4184000", {2, 1, -2, 0, 0, 0, 0, 0}, false},
    {"bar", "100000000", {-1, 1, -2, 0, 0, 0, 0, 0}, true},
    {"atm", "101325000", {-1, 1, -2, 0, 0, 0, 0, 0}, false},
    {"m[Hg]", "133322000", {-1, 1, -2, 0, 0, 0, 0, 0}, true},
    {"m[H2O]", "9806650", {-1, 1, -2, 0, 0, 0, 0, 0}, true},
    {"mol", "602213670000000000000000", {0, 0, 0, 0, 0, 0, 0, 0}, true},
    {"eq", "602213670000000000000000", {0, 0, 0, 0, 0, 0, 0, 0}, true},
    {"kat", "602213670000000000000000", {0, 0, -1, 0, 0, 0, 0, 0}, true},
    {"U", "10036894500000000", {0, 0, -1, 0, 0, 0, 0, 0}, true},
    {"%", "0.01", {0, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[ppth]", "0.001", {0, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[ppm]", "0.000001", {0, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[ppb]", "0.000000001", {0, 0, 0, 0, 0, 0, 0, 0}, false},
    {"deg", "0.0174532925199432957692369077", {0, 0, 0, 1, 0, 0, 0, 0}, false},
    {"[in_i]", "0.0254", {1, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[ft_i]", "0.3048", {1, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[yd_i]", "0.9144", {1, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[mi_i]", "1609.344", {1, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[nmi_i]", "1852", {1, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[lb_av]", "453.59237", {0, 1, 0, 0, 0, 0, 0, 0}, false},
    {"[oz_av]", "28.349523125", {0, 1, 0, 0, 0, 0, 0, 0}, false},
    {"[gr]", "0.06479891", {0, 1, 0, 0, 0, 0, 0, 0}, false},
    {"[stone_av]", "6350.29318", {0, 1, 0, 0, 0, 0, 0, 0}, false},
    {"[foz_us]", "0.0000295735295625", {3, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[pt_us]", "0.000473176473", {3, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[qt_us]", "0.000946352946", {3, 0, 0, 0, 0, 0, 0, 0}, false},
    {"[gal_us]", "0.003785411784", {3, 0, 0, 0, 0, 0, 0, 0}, false},
};

struct Prefix {
  std::string_view code;
  int exponent;
};
constexpr Prefix kPrefixes[] = {{"da", 1},  {"Y", 24},  {"Z", 21},  {"E", 18},  {"P", 15},
                                {"T", 12},  {"G", 9},   {"M", 6},   {"k", 3},   {"h", 2},
                                {"d", -1},  {"c", -2},  {"m", -3},  {"u", -6},  {"n", -9},
                                {"p", -12}, {"f", -15}, {"a", -18}, {"z", -21}, {"y", -24}};

const Atom* FindAtom(std::string_view code) {
  for (const Atom& a : kAtoms) {
    if (a.code == code) return &a;
  }
  return nullptr;
}

std::optional<Decimal> PowerOf10(int n) {
  // "1000" for 3, "0.001" for -3
  std::string digits(static_cast<size_t>(n >= 0 ? n + 1 : -n + 2), '0');
  if (n >= 0) {
    digits[0] = '1';
  } else {
    digits[1] = '.';
    digits.back() = '1';
  }
  return Decimal::Parse(digits);
}

// unit^exp multiplied into out.
bool Accumulate(UcumUnit& out, const UcumUnit& unit, int exp) {
  for (int k = 0; k < (exp < 0 ? -exp : exp); ++k) {
    auto f =
        exp > 0 ? Decimal::Mul(out.factor, unit.factor) : Decimal::Div(out.factor, unit.factor);
    if (!f) return false;
    out.factor = *f;
  }
  for (size_t d = 0; d < out.dimension.size(); ++d) {
    out.dimension[d] = static_cast<int8_t>(out.dimension[d] + unit.dimension[d] * exp);
  }
  return true;
}

std::optional<UcumUnit> SimpleUnit(std::string_view symbol) {
  UcumUnit u;
  if (symbol.size() > 3 && symbol.substr(0, 2) == "10" && (symbol[2] == '*' || symbol[2] == '^')) {
    char* end = nullptr;
    std::string digits(symbol.substr(3));
    long n = std::strtol(digits.c_str(), &end, 10);
    if (*end != '\0' || n < -30 || n > 30) return std::nullopt;
    auto f = PowerOf10(static_cast<int>(n));
    if (!f) return std::nullopt;
    u.factor = *f;
    return u;
  }
  if (symbol.find_first_not_of("0123456789") == std::string_view::npos) {
    auto f = Decimal::Parse(symbol);
    if (!f) return std::nullopt;
    u.factor = *f;
    return u;
  }
  const Atom* atom = FindAtom(symbol);
  int prefix_exp = 0;
  if (atom == nullptr) {
    for (const Prefix& p : kPrefixes) {
      if (symbol.size() > p.code.size() && symbol.substr(0, p.code.size()) == p.code) {
        const Atom* a = FindAtom(symbol.substr(p.code.size()));
        if (a != nullptr && a->metric) {
          atom = a;
          prefix_exp = p.exponent;
          break;
        }
      }
    }
  }
  if (atom == nullptr) return std::nullopt;
  auto base = Decimal::Parse(atom->factor);
  auto scale = PowerOf10(prefix_exp);
  if (!base || !scale) return std::nullopt;
  auto f = Decimal::Mul(*base, *scale);
  if (!f) return std::nullopt;
  u.factor = *f;
  u.dimension = atom->dim;
  return u;
}

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  bool Term(UcumUnit& out) {
    int sign = 1;
    if (Peek('/')) {
      ++i_;
      sign = -1;
    }
    for (;;) {
      UcumUnit c;
      int exp = 1;
      if (!Component(c, exp) || !Accumulate(out, c, sign * exp)) return false;
      if (Peek('.')) {
        sign = 1;
      } else if (Peek('/')) {
        sign = -1;
      } else {
        return true;
      }
      ++i_;
    }
  }
  bool AtEnd() const { return i_ == s_.size(); }

 private:
  bool Peek(char c) const { return i_ < s_.size() && s_[i_] == c; }

  bool Annotation() {
    size_t close = s_.find('}', i_);
    if (close == std::string_view::npos) return false;
    i_ = close + 1;
    return true;
  }

  bool Component(UcumUnit& out, int& exp) {
    if (Peek('(')) {
      ++i_;
      if (!Term(out) || !Peek(')')) return false;
      ++i_;
      return true;
    }
    if (Peek('{')) return Annotation();  // a bare annotation is the unity
    size_t start = i_;
    while (i_ < s_.size() && s_.find_first_of("./(){}", i_) != i_) ++i_;
    std::string_view symbol = s_.substr(start, i_ - start);
    if (Peek('{') && !Annotation()) return false;
    if (symbol.empty()) return false;
    // A trailing signed integer is the exponent ("m2", "s-1"), unless it is all there is.
    size_t e = symbol.size();
    while (e > 0 && symbol[e - 1] >= '0' && symbol[e - 1] <= '9') --e;
    if (e > 0 && e < symbol.size() && (symbol[e - 1] == '+' || symbol[e - 1] == '-')) --e;
    bool factor = symbol.size() > 3 && symbol.substr(0, 3).find_first_of("*^") == 2;
    if (e > 0 && e < symbol.size() && !factor && symbol[e - 1] != '*' && symbol[e - 1] != '^') {
      exp = std::atoi(std::string(symbol.substr(e)).c_str());
      symbol = symbol.substr(0, e);
    }
    auto u = SimpleUnit(symbol);
    if (!u) return false;
    out = *u;
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::optional<UcumUnit> ParseUcum(std::string_view code) {
  if (code.empty()) return std::nullopt;
  UcumUnit out;
  Reader r(code);
  if (!r.Term(out) || !r.AtEnd()) return std::nullopt;
  return out;
}

}  // namespace hb::fhirpath
