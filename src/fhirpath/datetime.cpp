#include "fhirpath/datetime.h"

#include <algorithm>
#include <cstdio>

#include "fhirpath/calendar.h"

namespace hb::fhirpath {

namespace {

using P = DateTimePrecision;

// Reads exactly `n` digits at s[i]; advances i.
bool Digits(std::string_view s, size_t& i, int n, int& out) {
  if (i + static_cast<size_t>(n) > s.size()) return false;
  out = 0;
  for (int k = 0; k < n; ++k) {
    char c = s[i + static_cast<size_t>(k)];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  i += static_cast<size_t>(n);
  return true;
}

bool ParseDatePart(std::string_view s, size_t& i, DateTime& v) {
  int y, m, d;
  if (!Digits(s, i, 4, y)) return false;
  v.year = static_cast<int16_t>(y);
  v.precision = P::kYear;
  if (i < s.size() && s[i] == '-') {
    ++i;
    if (!Digits(s, i, 2, m) || m < 1 || m > 12) return false;
    v.month = static_cast<uint8_t>(m);
    v.precision = P::kMonth;
    if (i < s.size() && s[i] == '-') {
      ++i;
      if (!Digits(s, i, 2, d) || d < 1 || d > internal::DaysInMonth(y, m)) return false;
      v.day = static_cast<uint8_t>(d);
      v.precision = P::kDay;
    }
  }
  return true;
}

bool ParseTimePart(std::string_view s, size_t& i, DateTime& v) {
  int h, m, sec;
  if (!Digits(s, i, 2, h) || h > 23) return false;
  v.hour = static_cast<uint8_t>(h);
  v.precision = P::kHour;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!Digits(s, i, 2, m) || m > 59) return false;
    v.minute = static_cast<uint8_t>(m);
    v.precision = P::kMinute;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!Digits(s, i, 2, sec) || sec > 59) return false;
      v.second = static_cast<uint8_t>(sec);
      v.precision = P::kSecond;
      if (i < s.size() && s[i] == '.') {
        ++i;
        int n = 0;
        int64_t nanos = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          if (n < 9) nanos = nanos * 10 + (s[i] - '0');
          ++n;
          ++i;
        }
        if (n == 0) return false;
        for (int k = std::min(n, 9); k < 9; ++k) nanos *= 10;
        v.nanos = static_cast<int32_t>(nanos);
        v.fraction_digits = static_cast<uint8_t>(std::min(n, 9));
        v.precision = P::kFraction;
      }
    }
  }
  return true;
}

int Level(P p) { return std::min(static_cast<int>(p), static_cast<int>(P::kSecond)); }

DateTime ToUtc(const DateTime& v) {
  DateTime u = v;
  internal::SetFromLocalSeconds(u, internal::LocalSeconds(v) - v.tz_minutes * 60);
  u.tz_minutes = 0;
  return u;
}

// The first and last millisecond (UTC) the value can denote.
void Range(const DateTime& v, int64_t& lo, int64_t& hi) {
  DateTime a = v, b = v;
  if (v.precision < P::kMonth) b.month = 12;
  if (v.precision < P::kDay) b.day = static_cast<uint8_t>(internal::DaysInMonth(b.year, b.month));
  if (v.precision < P::kHour) b.hour = 23;
  if (v.precision < P::kMinute) b.minute = 59;
  if (v.precision < P::kSecond) b.second = 59;
  lo = internal::LocalSeconds(a) * 1000 + (v.precision == P::kFraction ? v.nanos / 1000000 : 0);
  hi = internal::LocalSeconds(b) * 1000 + (v.precision == P::kFraction ? v.nanos / 1000000 : 999);
  if (v.has_tz) {
    lo -= v.tz_minutes * 60000LL;
    hi -= v.tz_minutes * 60000LL;
  } else {
    lo -= 14 * 3600000LL;
    hi += 12 * 3600000LL;
  }
}

// The value of one component; seconds carry their fraction.
int64_t Component(const DateTime& v, P level) {
  switch (level) {
    case P::kYear:
      return v.year;
    case P::kMonth:
      return v.month;
    case P::kDay:
      return v.day;
    case P::kHour:
      return v.hour;
    case P::kMinute:
      return v.minute;
    default:
      return v.second * internal::kNanosPerSecond + v.nanos;
  }
}

int Sign(int64_t d) { return d < 0 ? -1 : (d > 0 ? 1 : 0); }

}  // namespace

std::optional<DateTime> DateTime::ParseDate(std::string_view s) {
  DateTime v;
  v.kind = Kind::kDate;
  size_t i = 0;
  if (!ParseDatePart(s, i, v) || i != s.size()) return std::nullopt;
  return v;
}

std::optional<DateTime> DateTime::ParseDateTime(std::string_view s, bool allow_bare_t) {
  DateTime v;
  v.kind = Kind::kDateTime;
  size_t i = 0;
  if (!ParseDatePart(s, i, v)) return std::nullopt;
  if (i == s.size()) return v;
  if (s[i] != 'T') return std::nullopt;
  ++i;
  if (i == s.size()) return allow_bare_t ? std::optional<DateTime>(v) : std::nullopt;
  if (v.precision != P::kDay || !ParseTimePart(s, i, v)) return std::nullopt;
  if (i == s.size()) return v;
  if (s[i] == 'Z') {
    v.has_tz = v.tz_z = true;
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int sign = s[i] == '-' ? -1 : 1, h, m;
    ++i;
    if (!Digits(s, i, 2, h) || i >= s.size() || s[i] != ':') return std::nullopt;
    ++i;
    if (!Digits(s, i, 2, m) || h > 14 || m > 59) return std::nullopt;
    v.has_tz = true;
    v.tz_minutes = static_cast<int16_t>(sign * (h * 60 + m));
  }
  if (i != s.size()) return std::nullopt;
  return v;
}

std::optional<DateTime> DateTime::ParseTime(std::string_view s) {
  DateTime v;
  v.kind = Kind::kTime;
  size_t i = 0;
  if (!ParseTimePart(s, i, v) || i != s.size()) return std::nullopt;
  return v;
}

std::string DateTime::ToString() const {
  char buf[64];
  int n = 0;
  auto put = [&](const char* fmt, int value) {
    n += std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), fmt, value);
  };
  if (kind != Kind::kTime) {
    put("%04d", year);
    if (precision >= P::kMonth) put("-%02d", month);
    if (precision >= P::kDay) put("-%02d", day);
    if (kind == Kind::kDate || precision < P::kHour)
      return std::string(buf, static_cast<size_t>(n));
    buf[n++] = 'T';
  }
  put("%02d", hour);
  if (precision >= P::kMinute) put(":%02d", minute);
  if (precision >= P::kSecond) put(":%02d", second);
  if (precision == P::kFraction) {
    char frac[16];
    std::snprintf(frac, sizeof frac, "%09d", nanos);
    n += std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), ".%.*s",
                       static_cast<int>(fraction_digits ? fraction_digits : 3), frac);
  }
  if (kind == Kind::kDateTime && has_tz) {
    if (tz_z) {
      buf[n++] = 'Z';
    } else {
      int off = tz_minutes < 0 ? -tz_minutes : tz_minutes;
      n += std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), "%c%02d:%02d",
                         tz_minutes < 0 ? '-' : '+', off / 60, off % 60);
    }
  }
  return std::string(buf, static_cast<size_t>(n));
}

int DateTime::PrecisionDigits() const {
  static const int kDateDigits[] = {0, 4, 6, 8, 10, 12, 14, 17};
  static const int kTimeDigits[] = {0, 0, 0, 0, 2, 4, 6, 9};
  int p = static_cast<int>(precision);
  return kind == Kind::kTime ? kTimeDigits[p] : kDateDigits[p];
}

DateTime AsDateTime(const DateTime& d) {
  DateTime r = d;
  if (r.kind == DateTime::Kind::kDate) r.kind = DateTime::Kind::kDateTime;
  return r;
}

std::optional<int> Compare(const DateTime& a0, const DateTime& b0) {
  DateTime a = AsDateTime(a0), b = AsDateTime(b0);
  if (a.kind != DateTime::Kind::kTime) {
    bool time = a.HasTime() || b.HasTime();
    if (a.has_tz && b.has_tz && a.HasTime() && b.HasTime()) {
      a = ToUtc(a);
      b = ToUtc(b);
    } else if (time && (a.has_tz && a.HasTime()) != (b.has_tz && b.HasTime())) {
      int64_t alo, ahi, blo, bhi;
      Range(a, alo, ahi);
      Range(b, blo, bhi);
      if (ahi < blo) return -1;
      if (alo > bhi) return 1;
      return std::nullopt;
    }
  }
  int la = Level(a.precision), lb = Level(b.precision);
  int common = std::min(la, lb);
  const int first = a.kind == DateTime::Kind::kTime ? static_cast<int>(P::kHour) : 1;
  for (int level = first; level <= common; ++level) {
    int64_t x = Component(a, static_cast<P>(level)), y = Component(b, static_cast<P>(level));
    if (x != y) return Sign(x - y);
  }
  if (la != lb) return std::nullopt;
  return 0;
}

bool Equivalent(const DateTime& a, const DateTime& b) {
  if (Level(a.precision) != Level(b.precision)) return false;
  auto c = Compare(a, b);
  return c && *c == 0;
}

DateTime DateTimeFromMicros(int64_t micros, int tz_minutes) {
  int64_t local = micros + static_cast<int64_t>(tz_minutes) * 60000000;
  int64_t secs = internal::FloorDiv(local, 1000000);
  DateTime v;
  v.kind = DateTime::Kind::kDateTime;
  internal::SetFromLocalSeconds(v, secs);
  v.nanos = static_cast<int32_t>((local - secs * 1000000) / 1000) * 1000000;
  v.fraction_digits = 3;
  v.precision = DateTimePrecision::kFraction;
  v.has_tz = true;
  v.tz_z = tz_minutes == 0;
  v.tz_minutes = static_cast<int16_t>(tz_minutes);
  return v;
}

}  // namespace hb::fhirpath
