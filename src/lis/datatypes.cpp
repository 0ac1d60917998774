#include "lis/datatypes.h"

#include <cctype>

namespace hb::lis {

namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int Number(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

Status BadTs(std::string_view ts, std::string why) {
  std::string message(1, '\'');
  message.append(ts).append("' is not an HL7 timestamp: ").append(why);
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

Hd ReadHd(const Segment& s, int field, int rep) {
  return {s.Get(field, rep, 1), s.Get(field, rep, 2), s.Get(field, rep, 3)};
}

Cx ReadCx(const Segment& s, int field, int rep) {
  Cx cx;
  cx.id = s.Get(field, rep, 1);
  cx.check_digit = s.Get(field, rep, 2);
  cx.check_digit_scheme = s.Get(field, rep, 3);
  cx.assigning_authority = {s.Get(field, rep, 4, 1), s.Get(field, rep, 4, 2),
                            s.Get(field, rep, 4, 3)};
  cx.identifier_type = s.Get(field, rep, 5);
  cx.assigning_facility = {s.Get(field, rep, 6, 1), s.Get(field, rep, 6, 2),
                           s.Get(field, rep, 6, 3)};
  return cx;
}

Xpn ReadXpn(const Segment& s, int field, int rep) {
  // XPN-1 is FN (surname & own surname prefix & ...); the surname is its first subcomponent.
  return {s.Get(field, rep, 1, 1), s.Get(field, rep, 2), s.Get(field, rep, 3), s.Get(field, rep, 4),
          s.Get(field, rep, 5),    s.Get(field, rep, 6), s.Get(field, rep, 7)};
}

Cwe ReadCwe(const Segment& s, int field, int rep) {
  return {s.Get(field, rep, 1), s.Get(field, rep, 2), s.Get(field, rep, 3),
          s.Get(field, rep, 4), s.Get(field, rep, 5), s.Get(field, rep, 6)};
}

Sn ReadSn(const Segment& s, int field, int rep) {
  return {s.Get(field, rep, 1), s.Get(field, rep, 2), s.Get(field, rep, 3), s.Get(field, rep, 4)};
}

bool IsHl7Numeric(std::string_view t) {
  if (!t.empty() && (t.front() == '+' || t.front() == '-')) t.remove_prefix(1);
  bool digit = false, point = false;
  for (char c : t) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digit;
}

Result<std::string> TsToFhirDateTime(std::string_view ts, std::string_view default_offset) {
  std::string_view text = ts;
  std::string zone;
  size_t z = text.find_first_of("+-");
  if (z != std::string_view::npos) {
    std::string_view zz = text.substr(z + 1);
    if (zz.size() != 4 || !AllDigits(zz) || Number(zz.substr(0, 2)) > 14 ||
        Number(zz.substr(2)) > 59) {
      return BadTs(ts, "the zone must be +HHMM or -HHMM");
    }
    zone = std::string(1, text[z]) + std::string(zz.substr(0, 2)) + ":" + std::string(zz.substr(2));
    text = text.substr(0, z);
  }
  std::string_view fraction;
  size_t dot = text.find('.');
  if (dot != std::string_view::npos) {
    fraction = text.substr(dot + 1);
    text = text.substr(0, dot);
    if (fraction.empty() || fraction.size() > 4 || !AllDigits(fraction) || text.size() != 14) {
      return BadTs(ts, "fractional seconds need all of YYYYMMDDHHMMSS and 1 to 4 digits");
    }
  }
  size_t n = text.size();
  if (!AllDigits(text) || (n != 4 && n != 6 && n != 8 && n != 10 && n != 12 && n != 14)) {
    return BadTs(ts, "expected YYYY[MM[DD[HH[MM[SS]]]]] digits");
  }
  int year = Number(text.substr(0, 4));
  int month = n >= 6 ? Number(text.substr(4, 2)) : 1;
  int day = n >= 8 ? Number(text.substr(6, 2)) : 1;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return BadTs(ts, "month out of range");
  int last = kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  if (day < 1 || day > last) return BadTs(ts, "day out of range");
  std::string out(text.substr(0, 4));
  if (n >= 6) out.append(1, '-').append(text.substr(4, 2));
  if (n >= 8) out.append(1, '-').append(text.substr(6, 2));
  if (n <= 8) {
    if (!zone.empty() && n < 8) return BadTs(ts, "a zone needs a full date");
    return out;  // a date: FHIR dates carry no zone
  }
  int hour = Number(text.substr(8, 2));
  int minute = n >= 12 ? Number(text.substr(10, 2)) : 0;
  int second = n >= 14 ? Number(text.substr(12, 2)) : 0;
  if (hour > 23 || minute > 59 || second > 59) return BadTs(ts, "time out of range");
  out.append(1, 'T').append(text.substr(8, 2)).append(1, ':');
  out.append(n >= 12 ? std::string(text.substr(10, 2)) : "00").append(1, ':');
  out.append(n >= 14 ? std::string(text.substr(12, 2)) : "00");
  if (!fraction.empty()) out.append(1, '.').append(fraction);
  out += zone.empty() ? std::string(default_offset) : zone;
  return out;
}

}  // namespace hb::lis
