#include "identity/card_date.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/civil_date.h"

namespace hb::identity {

namespace {

constexpr std::string_view kMonthNames[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int Number(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

int DaysInMonth(int year, int month) {
  return static_cast<int>(::hb::DaysInMonth(year, static_cast<unsigned>(month)));
}

Status Fail(std::string message) { return Status(ErrorCode::kMalformedCardQr, std::move(message)); }

// Checks the numbers of a date already split into digits; `shown` is the text as
// it appeared, quoted in messages.
Result<CardDate> Check(int year, int month, int day, std::string_view shown, std::string_view what,
                       bool allow_partial) {
  if (year < 1900 || year > 2199)
    return Fail(fmt::format("{} '{}': the year {} is outside 1900-2199", what, shown, year));
  if (month > 12)
    return Fail(
        fmt::format("{} '{}' is not a real date: there is no month {}", what, shown, month));
  if (month == 0 && day != 0)
    return Fail(fmt::format("{} '{}' is not a real date: a day without a month", what, shown));
  if (month != 0 && day > DaysInMonth(year, month))
    return Fail(fmt::format("{} '{}' is not a real date: {} {} has {} days", what, shown,
                            kMonthNames[month - 1], year, DaysInMonth(year, month)));
  if ((month == 0 || day == 0) && !allow_partial)
    return Fail(fmt::format("{} '{}' is not a real date: the {} is 00", what, shown,
                            month == 0 ? "month" : "day"));
  return CardDate{year, month, day};
}

std::string DescribeShape(std::string_view text) {
  if (text.empty()) return "it is empty";
  if (AllDigits(text)) return fmt::format("got {} digits '{}'", text.size(), text);
  return fmt::format("got '{}'", text);
}

}  // namespace

std::string CardDate::ToIso() const {
  if (month == 0) return fmt::format("{:04d}", year);
  if (day == 0) return fmt::format("{:04d}-{:02d}", year, month);
  return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
}

Result<CardDate> ParseCompactDate(std::string_view text, std::string_view what,
                                  bool allow_partial) {
  if (text.size() != 8 || !AllDigits(text))
    return Fail(fmt::format("{} must be 8 digits ddMMyyyy, {}", what, DescribeShape(text)));
  return Check(Number(text.substr(4, 4)), Number(text.substr(2, 2)), Number(text.substr(0, 2)),
               text, what, allow_partial);
}

Result<CardDate> ParseSlashedDate(std::string_view text, std::string_view what,
                                  bool allow_partial) {
  if (allow_partial && text.size() == 4 && AllDigits(text))
    return Check(Number(text), 0, 0, text, what, true);
  bool shaped = text.size() == 10 && text[2] == '/' && text[5] == '/' &&
                AllDigits(text.substr(0, 2)) && AllDigits(text.substr(3, 2)) &&
                AllDigits(text.substr(6, 4));
  if (!shaped)
    return Fail(fmt::format("{} must be dd/MM/yyyy{}, {}", what, allow_partial ? " or yyyy" : "",
                            DescribeShape(text)));
  return Check(Number(text.substr(6, 4)), Number(text.substr(3, 2)), Number(text.substr(0, 2)),
               text, what, allow_partial);
}

}  // namespace hb::identity
