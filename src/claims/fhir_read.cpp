#include "claims/fhir_read.h"

#include <fmt/format.h>

#include "common/civil_date.h"

namespace hb::claims {

namespace {

constexpr int kVietNamOffsetMinutes = 7 * 60;

bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

const fhir::JsonValue* At(const fhir::JsonValue& v, std::initializer_list<std::string_view> path) {
  const fhir::JsonValue* cur = &v;
  for (std::string_view step : path) {
    if (!cur->IsObject()) return nullptr;
    cur = fhir::Member(*cur, step);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string_view Str(const fhir::JsonValue& v, std::initializer_list<std::string_view> path) {
  const fhir::JsonValue* x = At(v, path);
  return x && fhir::IsString(*x) ? fhir::StringView(*x) : std::string_view();
}

std::string_view Num(const fhir::JsonValue& v, std::initializer_list<std::string_view> path) {
  const fhir::JsonValue* x = At(v, path);
  return x ? fhir::NumberText(*x) : std::string_view();
}

const fhir::JsonValue* First(const fhir::JsonValue& v, std::string_view array) {
  const fhir::JsonValue* a = v.IsObject() ? fhir::Member(v, array) : nullptr;
  if (!a || !a->IsArray() || a->Empty()) return nullptr;
  return &(*a)[0];
}

std::string_view CodeIn(const fhir::JsonValue* cc, std::string_view system) {
  if (!cc) return {};
  const fhir::JsonValue* codings = cc->IsObject() ? fhir::Member(*cc, "coding") : nullptr;
  if (!codings || !codings->IsArray()) return {};
  for (const auto& c : codings->GetArray()) {
    if (system.empty() || fhir::MemberString(c, "system") == system)
      return fhir::MemberString(c, "code");
  }
  return {};
}

std::string_view ConceptText(const fhir::JsonValue* cc) {
  if (!cc) return {};
  std::string_view text = Str(*cc, {"text"});
  if (!text.empty()) return text;
  if (const fhir::JsonValue* c = First(*cc, "coding")) return fhir::MemberString(*c, "display");
  return {};
}

std::string_view IdentifierIn(const fhir::JsonValue& resource, std::string_view system) {
  const fhir::JsonValue* ids = fhir::Member(resource, "identifier");
  if (!ids || !ids->IsArray()) return {};
  for (const auto& id : ids->GetArray()) {
    if (fhir::MemberString(id, "system") == system) return fhir::MemberString(id, "value");
  }
  return {};
}

std::string_view RefId(const fhir::JsonValue* reference, std::string_view type) {
  if (!reference) return {};
  std::string_view r = Str(*reference, {"reference"});
  if (r.size() <= type.size() + 1 || !r.starts_with(type) || r[type.size()] != '/') return {};
  return r.substr(type.size() + 1);
}

bool FhirMinutes(std::string_view s, int64_t* minutes) {
  int y, mo, d, h = 0, mi = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
    return false;
  int offset = kVietNamOffsetMinutes;  // a bare date is a Viet Nam date
  if (s.size() > 10) {
    if (s[10] != 'T' || !Digits(s, 11, 2, &h) || s.size() < 16 || s[13] != ':' ||
        !Digits(s, 14, 2, &mi))
      return false;
    size_t z = 16;
    while (z < s.size() && s[z] != 'Z' && s[z] != '+' && s[z] != '-') ++z;
    if (z == s.size()) return false;  // FHIR requires a zone when there is a time
    if (s[z] == 'Z') {
      offset = 0;
    } else {
      int oh, om;
      if (!Digits(s, z + 1, 2, &oh) || !Digits(s, z + 4, 2, &om)) return false;
      offset = (s[z] == '-' ? -1 : 1) * (oh * 60 + om);
    }
  }
  *minutes = (DaysFromCivil(y, mo, d) * 24 + h) * 60 + mi - offset;
  return true;
}

std::string TableDateTimeFromMinutes(int64_t utc_minutes) {
  const int64_t local = utc_minutes + kVietNamOffsetMinutes;
  int64_t days = local / 1440, rem = local % 1440;
  if (rem < 0) {
    rem += 1440;
    --days;
  }
  const CivilDate c = CivilFromDays(days);
  return fmt::format("{:04d}{:02d}{:02d}{:02d}{:02d}", c.year, c.month, c.day, rem / 60, rem % 60);
}

std::string TableDateTime(std::string_view fhir) {
  int64_t m;
  if (!FhirMinutes(fhir, &m)) return {};
  return TableDateTimeFromMinutes(m);
}

std::string TableDate(std::string_view fhir) {
  std::string dt = TableDateTime(fhir);
  return dt.empty() ? dt : dt.substr(0, 8);
}

}  // namespace hb::claims
