#include "common/clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/civil_date.h"

namespace hb {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatInstant(int64_t micros) {
  time_t secs = static_cast<time_t>(micros / 1000000);
  int millis = static_cast<int>((micros % 1000000) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];  // room for any int the compiler cannot rule out
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string LocalDate(int64_t micros, int utc_offset_minutes) {
  // The UTC calendar date of the shifted instant is the local date.
  return FormatInstant(micros + int64_t{utc_offset_minutes} * 60 * 1000000).substr(0, 10);
}

std::string UtcOffsetText(int utc_offset_minutes) {
  char buf[16];
  int m = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", utc_offset_minutes < 0 ? '-' : '+', m / 60,
                m % 60);
  return buf;
}

std::string FormatHttpDate(int64_t micros) {
  time_t secs = static_cast<time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

namespace {
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}
}  // namespace

std::optional<int64_t> ParseFhirDateTime(std::string_view s) {
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t frac_us = 0;
  if (!Digits(s, 0, 4, &year)) return std::nullopt;
  size_t p = 4;
  int tz_offset_min = 0;
  if (p < s.size()) {
    if (s[p] != '-' || !Digits(s, p + 1, 2, &month)) return std::nullopt;
    p += 3;
  }
  if (p < s.size()) {
    if (s[p] != '-' || !Digits(s, p + 1, 2, &day)) return std::nullopt;
    p += 3;
  }
  if (p < s.size()) {
    if (s[p] != 'T' || !Digits(s, p + 1, 2, &hour) || s.size() < p + 6 || s[p + 3] != ':' ||
        !Digits(s, p + 4, 2, &minute))
      return std::nullopt;
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!Digits(s, p + 1, 2, &second)) return std::nullopt;
      p += 3;
      if (p < s.size() && s[p] == '.') {
        ++p;
        int64_t scale = 100000;
        size_t start = p;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          frac_us += (s[p] - '0') * scale;
          scale /= 10;
          ++p;
        }
        if (p == start) return std::nullopt;
      }
    }
    if (p >= s.size()) return std::nullopt;  // a time needs a zone
    if (s[p] == 'Z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      int th = 0, tm = 0;
      if (!Digits(s, p + 1, 2, &th) || s.size() < p + 6 || s[p + 3] != ':' ||
          !Digits(s, p + 4, 2, &tm))
        return std::nullopt;
      tz_offset_min = (th * 60 + tm) * (s[p] == '-' ? -1 : 1);
      p += 6;
    } else {
      return std::nullopt;
    }
  }
  if (p != s.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - tz_offset_min * 60;
  return secs * 1000000 + frac_us;
}

}  // namespace hb
