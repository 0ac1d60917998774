// Field-level checks: mandatory values, the official type and size, our formats, code lists.
#include <fmt/format.h>

#include "claims/code_lists.h"
#include "claims/decimal.h"
#include "claims/validator.h"

namespace hb::claims {

namespace {

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool ValidDate(std::string_view s) {  // yyyyMMdd
  if (s.size() != 8 || !AllDigits(s)) return false;
  return ParseDay(s) > 0;
}

bool ValidDateTime(std::string_view s) {  // yyyyMMddHHmm
  if (s.size() != 12 || !AllDigits(s) || !ValidDate(s.substr(0, 8))) return false;
  const int h = (s[8] - '0') * 10 + (s[9] - '0'), m = (s[10] - '0') * 10 + (s[11] - '0');
  return h < 24 && m < 60;
}

// Unknown parts are zeros: 198500000000, 198503000000, 198503150000 or a full time.
bool ValidBirth(std::string_view s) {
  if (s.size() != 12 || !AllDigits(s)) return false;
  const std::string_view month = s.substr(4, 2), day = s.substr(6, 2), time = s.substr(8, 4);
  if (month == "00") return day == "00" && time == "0000";
  if (day == "00") return time == "0000" && month >= "01" && month <= "12";
  return ValidDateTime(s);
}

template <typename F>
bool EachPart(std::string_view s, F ok) {
  if (s.empty()) return false;
  while (true) {
    const size_t semi = s.find(';');
    if (!ok(s.substr(0, semi))) return false;
    if (semi == std::string_view::npos) return true;
    s.remove_prefix(semi + 1);
  }
}

bool ValidCard(std::string_view c) {
  if (c.size() != 15) return false;
  if (!(c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z')) return false;
  if (c[2] < '1' || c[2] > '5') return false;
  return AllDigits(c.substr(3));
}

bool ValidCccd(std::string_view s) {
  if ((s.size() == 12 || s.size() == 9) && AllDigits(s)) return true;
  return s.size() == 8 && s[0] >= 'A' && s[0] <= 'Z' && AllDigits(s.substr(1));
}

struct Problem {
  std::string rule, vi, en;
};

// The first problem of `v` against `f`, or an empty rule.
Problem Check(const FieldDef& f, std::string_view v, const Catalogs& cat) {
  if (v.empty()) {
    if (f.required)
      return {"required", "Trường bắt buộc không có giá trị", "a mandatory field is empty"};
    return {};
  }
  if (f.max_size > 0 && Utf8Length(v) > static_cast<size_t>(f.max_size))
    return {"max-size", fmt::format("Dài quá {} ký tự", f.max_size),
            fmt::format("longer than {} characters", f.max_size)};
  if (f.number && !Decimal::Parse(v))
    return {"number", "Phải là số (dấu thập phân là dấu chấm)",
            "must be a number ('.' as the point)"};
  auto decimals = [&](int places) -> Problem {
    auto d = Decimal::Parse(v);
    if (!d || d->IsNegative() || d->DecimalPlaces() > places)
      return {"format", fmt::format("Phải là số không âm, tối đa {} chữ số thập phân", places),
              fmt::format("must be a non-negative number with at most {} decimals", places)};
    return {};
  };
  switch (f.format) {
    case FieldFormat::kText:
      return {};
    case FieldFormat::kCode:
      if (cat.codes && cat.codes->HasList(f.code_list) && !cat.codes->Contains(f.code_list, v))
        return {"code-list", "Mã không có trong danh mục " + f.code_list,
                "not a code of the list " + f.code_list};
      return {};
    case FieldFormat::kInteger:
      if (!AllDigits(v)) return {"format", "Phải là số nguyên", "must be a whole number"};
      return {};
    case FieldFormat::kDecimal2:
      return decimals(2);
    case FieldFormat::kDecimal3:
      return decimals(3);
    case FieldFormat::kPercent:
      if (!AllDigits(v) || std::stoi(std::string(v)) > 100)
        return {"format", "Phải là số nguyên từ 0 đến 100", "must be a whole number from 0 to 100"};
      return {};
    case FieldFormat::kDateTime:
      if (!ValidDateTime(v)) return {"format", "Phải có dạng yyyyMMddHHmm", "must be yyyyMMddHHmm"};
      return {};
    case FieldFormat::kDate:
      if (!ValidDate(v)) return {"format", "Phải có dạng yyyyMMdd", "must be yyyyMMdd"};
      return {};
    case FieldFormat::kDates:
      if (!EachPart(v, ValidDate))
        return {"format", "Phải là các ngày yyyyMMdd cách nhau bởi ';'",
                "must be yyyyMMdd dates joined by ';'"};
      return {};
    case FieldFormat::kDateOrDateTime:
      if (!ValidDate(v) && !ValidDateTime(v))
        return {"format", "Phải có dạng yyyyMMdd hoặc yyyyMMddHHmm",
                "must be yyyyMMdd or yyyyMMddHHmm"};
      return {};
    case FieldFormat::kBirth:
      if (!ValidBirth(v))
        return {"format", "Ngày sinh 12 ký tự yyyyMMddHHmm, phần không rõ ghi 0",
                "12 characters yyyyMMddHHmm, unknown parts as zeros"};
      return {};
    case FieldFormat::kYear:
      if (v.size() != 4 || !AllDigits(v))
        return {"format", "Phải là năm 4 chữ số", "must be a 4-digit year"};
      return {};
    case FieldFormat::kMonth:
      if (!AllDigits(v) || std::stoi(std::string(v)) < 1 || std::stoi(std::string(v)) > 12)
        return {"format", "Phải là tháng từ 1 đến 12", "must be a month from 1 to 12"};
      return {};
    case FieldFormat::kCard:
      if (!EachPart(v, ValidCard))
        return {"format",
                "Mã thẻ BHYT gồm 15 ký tự (2 chữ, mức hưởng 1-5, 12 số), cách nhau bởi ';'",
                "card numbers are 15 characters (2 letters, level 1-5, 12 digits), joined by ';'"};
      return {};
    case FieldFormat::kFacility:
      if (v.size() != 5)
        return {"format", "Mã cơ sở KBCB gồm 5 ký tự", "a facility code has 5 characters"};
      return {};
    case FieldFormat::kFacilities:
      if (!EachPart(v, [](std::string_view p) { return p.size() == 5; }))
        return {"format", "Mã cơ sở KBCB gồm 5 ký tự, cách nhau bởi ';'",
                "facility codes have 5 characters, joined by ';'"};
      return {};
    case FieldFormat::kIcd:
    case FieldFormat::kIcds: {
      int count = 0;
      std::string bad;
      const bool ok = EachPart(v, [&](std::string_view p) {
        ++count;
        const bool known = p.find('.') == std::string_view::npos && (!cat.icd || cat.icd->Find(p));
        if (!known) bad = std::string(p);
        return known;
      });
      if (!ok)
        return {"code-list", "Mã ICD-10 không có trong QĐ 4469 (ghi không dấu chấm): " + bad,
                "not an ICD-10 code of QĐ 4469 (written without the dot): " + bad};
      if (f.format == FieldFormat::kIcd && count > 1)
        return {"format", "Chỉ ghi một mã bệnh", "one code only"};
      if (count > 12) return {"format", "Tối đa 12 mã bệnh kèm theo", "at most 12 codes"};
      return {};
    }
    case FieldFormat::kCccd:
      if (!ValidCccd(v))
        return {"format", "Số CCCD 12 số, CMND 9 số hoặc hộ chiếu (1 chữ + 7 số)",
                "12-digit citizen ID, 9-digit ID card, or a passport (letter + 7 digits)"};
      return {};
    case FieldFormat::kPhone:
      if (!AllDigits(v[0] == '+' ? v.substr(1) : v))
        return {"format", "Số điện thoại chỉ gồm chữ số", "a phone number has digits only"};
      return {};
  }
  return {};
}

}  // namespace

void CheckFields(const ClaimRecord& r, const Catalogs& cat, ClaimErrors& errors) {
  for (const TableRows& t : r.tables) {
    const TableDef& d = *t.def;
    for (size_t row = 0; row < t.rows.size(); ++row) {
      for (size_t i = 0; i < d.fields.size() && i < t.rows[row].size(); ++i) {
        const std::string& v = t.rows[row][i];
        Problem p = Check(d.fields[i], v, cat);
        if (p.rule.empty()) continue;
        errors.push_back(ClaimError{d.loaihoso, static_cast<int>(row + 1), d.fields[i].name,
                                    std::move(p.rule), v, std::move(p.vi), std::move(p.en)});
      }
    }
  }
}

}  // namespace hb::claims
