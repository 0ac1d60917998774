// FHIR R4 primitive types: https://hl7.org/fhir/R4/datatypes.html#primitive
#include "fhir/primitives.h"

#include "common/civil_date.h"

namespace hb::fhir {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Reads exactly `n` digits at `s[*i]`.
bool Digits(std::string_view s, size_t* i, size_t n, int* out) {
  if (*i + n > s.size()) return false;
  int v = 0;
  for (size_t k = 0; k < n; ++k) {
    char c = s[*i + k];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *i += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* i, char c) {
  if (*i >= s.size() || s[*i] != c) return false;
  ++*i;
  return true;
}

int DaysInMonth(int year, int month) {
  return static_cast<int>(::hb::DaysInMonth(year, static_cast<unsigned>(month)));
}

// Parses YYYY[-MM[-DD]] at the start of `s`; `*parts` gets 1, 2 or 3.
bool DatePart(std::string_view s, size_t* i, int* parts) {
  int year, month, day;
  if (!Digits(s, i, 4, &year) || year == 0) return false;
  *parts = 1;
  if (*i == s.size() || s[*i] != '-') return true;
  ++*i;
  if (!Digits(s, i, 2, &month) || month < 1 || month > 12) return false;
  *parts = 2;
  if (*i == s.size() || s[*i] != '-') return true;
  ++*i;
  if (!Digits(s, i, 2, &day) || day < 1 || day > DaysInMonth(year, month)) return false;
  *parts = 3;
  return true;
}

// hh:mm:ss[.f+]
bool TimePart(std::string_view s, size_t* i) {
  int h, m, sec;
  if (!Digits(s, i, 2, &h) || h > 23 || !Expect(s, i, ':')) return false;
  if (!Digits(s, i, 2, &m) || m > 59 || !Expect(s, i, ':')) return false;
  if (!Digits(s, i, 2, &sec) || sec > 60) return false;  // 60: leap second, as the regex allows
  if (*i < s.size() && s[*i] == '.') {
    ++*i;
    size_t start = *i;
    while (*i < s.size() && IsDigit(s[*i])) ++*i;
    if (*i == start) return false;
  }
  return true;
}

// Z | (+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00), which must end the text.
bool ZonePart(std::string_view s, size_t i) {
  if (i >= s.size()) return false;
  if (s[i] == 'Z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  ++i;
  int h, m;
  if (!Digits(s, &i, 2, &h) || !Expect(s, &i, ':') || !Digits(s, &i, 2, &m)) return false;
  if (i != s.size() || m > 59) return false;
  return h < 14 || (h == 14 && m == 0);
}

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '+' || c == '/';
}

}  // namespace

Primitive PrimitiveFromName(std::string_view t) {
  struct Entry {
    std::string_view name;
    Primitive p;
  };
  static constexpr Entry kTable[] = {
      {"boolean", Primitive::kBoolean},
      {"integer", Primitive::kInteger},
      {"positiveInt", Primitive::kPositiveInt},
      {"unsignedInt", Primitive::kUnsignedInt},
      {"decimal", Primitive::kDecimal},
      {"string", Primitive::kString},
      {"code", Primitive::kCode},
      {"id", Primitive::kId},
      {"uri", Primitive::kUri},
      {"url", Primitive::kUrl},
      {"canonical", Primitive::kCanonical},
      {"oid", Primitive::kOid},
      {"uuid", Primitive::kUuid},
      {"markdown", Primitive::kMarkdown},
      {"base64Binary", Primitive::kBase64Binary},
      {"date", Primitive::kDate},
      {"dateTime", Primitive::kDateTime},
      {"instant", Primitive::kInstant},
      {"time", Primitive::kTime},
      {"xhtml", Primitive::kXhtml},
  };
  for (const Entry& e : kTable) {
    if (e.name == t) return e.p;
  }
  return Primitive::kNone;
}

bool IsFhirString(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

bool IsCode(std::string_view s) {
  if (s.empty() || IsSpace(s.front()) || IsSpace(s.back())) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (IsSpace(s[i]) && IsSpace(s[i - 1])) return false;
  }
  return IsFhirString(s);
}

bool IsId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool IsUri(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (IsSpace(c) || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

bool IsOid(std::string_view s) {
  constexpr std::string_view kPrefix = "urn:oid:";
  if (s.substr(0, kPrefix.size()) != kPrefix) return false;
  size_t i = kPrefix.size();
  if (i >= s.size() || s[i] < '0' || s[i] > '2') return false;
  ++i;
  if (i == s.size()) return false;  // at least one more arc
  while (i < s.size()) {
    if (s[i] != '.' || i + 1 >= s.size() || !IsDigit(s[i + 1])) return false;
    ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (s[start] == '0' && i - start > 1) return false;
  }
  return true;
}

bool IsUuid(std::string_view s) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  if (s.size() != kPrefix.size() + 36 || s.substr(0, kPrefix.size()) != kPrefix) return false;
  for (size_t k = 0; k < 36; ++k) {
    char c = s[kPrefix.size() + k];
    if (k == 8 || k == 13 || k == 18 || k == 23) {
      if (c != '-') return false;
    } else if (!IsDigit(c) && !(c >= 'a' && c <= 'f')) {
      return false;
    }
  }
  return true;
}

bool IsBase64(std::string_view s) {
  size_t count = 0, pad = 0;
  for (char c : s) {
    if (IsSpace(c)) continue;
    if (c == '=') {
      ++pad;
    } else if (!IsBase64Char(c) || pad > 0) {
      return false;  // bad character, or data after padding
    }
    ++count;
  }
  return count > 0 && count % 4 == 0 && pad <= 2;
}

bool IsDate(std::string_view s) {
  size_t i = 0;
  int parts;
  return DatePart(s, &i, &parts) && i == s.size();
}

bool IsDateTime(std::string_view s) {
  size_t i = 0;
  int parts;
  if (!DatePart(s, &i, &parts)) return false;
  if (i == s.size()) return true;
  if (parts != 3 || !Expect(s, &i, 'T') || !TimePart(s, &i)) return false;
  return ZonePart(s, i);
}

bool IsInstant(std::string_view s) {
  size_t i = 0;
  int parts;
  if (!DatePart(s, &i, &parts) || parts != 3) return false;
  if (!Expect(s, &i, 'T') || !TimePart(s, &i)) return false;
  return ZonePart(s, i);
}

bool IsTime(std::string_view s) {
  size_t i = 0;
  return TimePart(s, &i) && i == s.size();
}

bool IsXhtmlDiv(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  s = s.substr(b, e - b);
  if (s.size() < 6 || s.substr(0, 4) != "<div") return false;
  if (!IsSpace(s[4]) && s[4] != '>' && s[4] != '/') return false;
  size_t tag_end = s.find('>');
  if (tag_end == std::string_view::npos) return false;
  std::string_view open = s.substr(0, tag_end);
  if (open.find("xmlns=\"http://www.w3.org/1999/xhtml\"") == std::string_view::npos &&
      open.find("xmlns='http://www.w3.org/1999/xhtml'") == std::string_view::npos) {
    return false;
  }
  bool self_closed = tag_end == s.size() - 1 && s[tag_end - 1] == '/';
  return self_closed || (s.size() >= 6 && s.substr(s.size() - 6) == "</div>");
}

bool IsIntegerText(std::string_view s) {
  size_t i = 0;
  bool negative = !s.empty() && s[0] == '-';
  if (negative) ++i;
  if (i >= s.size() || (s[i] == '0' && s.size() > i + 1)) return false;
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
    if (v > 2147483648LL) return false;
  }
  return negative ? v <= 2147483648LL : v <= 2147483647LL;
}

bool IsDecimalText(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size() || !IsDigit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

const char* CheckPrimitive(Primitive p, const JsonValue& v) {
  switch (p) {
    case Primitive::kNone:
      return "not a primitive type";
    case Primitive::kBoolean:
      return v.IsBool() ? nullptr : "expected a JSON boolean (true or false)";
    case Primitive::kDecimal:
      if (!IsNumber(v)) return "expected a JSON number";
      return IsDecimalText(NumberText(v)) ? nullptr : "not a valid decimal";
    case Primitive::kInteger:
    case Primitive::kPositiveInt:
    case Primitive::kUnsignedInt: {
      if (!IsNumber(v)) return "expected a JSON number";
      std::string_view t = NumberText(v);
      if (!IsIntegerText(t)) return "not a 32-bit integer";
      if (p == Primitive::kPositiveInt && (t[0] == '-' || t == "0")) return "must be >= 1";
      if (p == Primitive::kUnsignedInt && t[0] == '-' && t != "-0") return "must be >= 0";
      return nullptr;
    }
    default:
      break;
  }
  if (!IsString(v)) return "expected a JSON string";
  std::string_view s = StringView(v);
  if (s.empty()) return "empty string (omit the element instead)";
  if (!IsFhirString(s)) return "contains a control character";
  switch (p) {
    case Primitive::kCode:
      return IsCode(s) ? nullptr : "not a valid code (leading, trailing or repeated whitespace)";
    case Primitive::kId:
      return IsId(s) ? nullptr : "not a valid id ([A-Za-z0-9-.]{1,64})";
    case Primitive::kUri:
    case Primitive::kUrl:
    case Primitive::kCanonical:
      return IsUri(s) ? nullptr : "not a valid URI (contains whitespace)";
    case Primitive::kOid:
      return IsOid(s) ? nullptr : "not a valid OID (urn:oid:...)";
    case Primitive::kUuid:
      return IsUuid(s) ? nullptr : "not a valid UUID (urn:uuid:, lower-case hex)";
    case Primitive::kBase64Binary:
      return IsBase64(s) ? nullptr : "not valid base64";
    case Primitive::kDate:
      return IsDate(s) ? nullptr : "not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)";
    case Primitive::kDateTime:
      return IsDateTime(s) ? nullptr
                           : "not a valid dateTime (a date, or YYYY-MM-DDThh:mm:ss with a zone)";
    case Primitive::kInstant:
      return IsInstant(s) ? nullptr : "not a valid instant (YYYY-MM-DDThh:mm:ss[.sss] with a zone)";
    case Primitive::kTime:
      return IsTime(s) ? nullptr : "not a valid time (hh:mm:ss)";
    case Primitive::kXhtml:
      return IsXhtmlDiv(s) ? nullptr : "not an XHTML <div> in the XHTML namespace";
    default:
      return nullptr;  // string, markdown: IsFhirString above
  }
}

}  // namespace hb::fhir
