#include "reception/patient_features.h"

#include <charconv>

#include "fhir/vn_systems.h"
#include "identity/vietnamese_name.h"

namespace hb::reception {

namespace {

using fhir::JsonValue;
using fhir::Member;
using fhir::MemberString;

// "family given1 given2", skipping empty parts.
std::string JoinWords(const std::string& family, const std::vector<std::string>& given) {
  std::string out = family;
  for (const auto& g : given) {
    if (!out.empty()) out += ' ';
    out += g;
  }
  return out;
}

void AddUnique(std::vector<std::string>& v, std::string_view s) {
  if (s.empty()) return;
  for (const auto& x : v) {
    if (x == s) return;
  }
  v.emplace_back(s);
}

void ReadIdentifiers(const JsonValue& patient, PatientFeatures* f) {
  const JsonValue* ids = Member(patient, "identifier");
  if (!ids || !ids->IsArray()) return;
  const auto& sys = fhir::vn::Systems();
  for (const auto& id : ids->GetArray()) {
    if (!id.IsObject()) continue;
    std::string_view system = MemberString(id, "system");
    std::string_view value = MemberString(id, "value");
    if (system == sys.cccd) AddUnique(f->cccd, value);
    if (system == sys.cmnd) AddUnique(f->cmnd, value);
    if (system == sys.bhyt_card) {
      AddUnique(f->bhyt, value);
      // The last 10 characters of a 15-character card are the lifelong BHXH number.
      if (value.size() == 15) AddUnique(f->bhxh, value.substr(5));
    }
    if (system == sys.bhxh) AddUnique(f->bhxh, value);
  }
}

const JsonValue* PickName(const JsonValue& patient) {
  const JsonValue* names = Member(patient, "name");
  if (!names || !names->IsArray() || names->Empty()) return nullptr;
  for (std::string_view use : {"official", "usual"}) {
    for (const auto& n : names->GetArray()) {
      if (n.IsObject() && MemberString(n, "use") == use) return &n;
    }
  }
  return names->GetArray()[0].IsObject() ? &names->GetArray()[0] : nullptr;
}

void ReadName(const JsonValue& patient, PatientFeatures* f) {
  const JsonValue* n = PickName(patient);
  if (!n) return;
  std::string_view family = MemberString(*n, "family");
  const JsonValue* given = Member(*n, "given");
  if (family.empty() && (!given || !given->IsArray() || given->Empty())) {
    SetNameFromText(MemberString(*n, "text"), f);
    return;
  }
  f->family = identity::FoldName(family);
  std::string display(family);
  if (given && given->IsArray()) {
    for (const auto& g : given->GetArray()) {
      if (!fhir::IsString(g)) continue;
      for (auto& w : SplitWords(identity::FoldName(fhir::StringView(g)))) f->given.push_back(w);
      if (!display.empty()) display += ' ';
      display += fhir::StringView(g);
    }
  }
  f->full_name = JoinWords(f->family, f->given);
  std::string_view text = MemberString(*n, "text");
  f->display_name = text.empty() ? display : std::string(text);
}

void ReadCommune(const JsonValue& patient, PatientFeatures* f) {
  const JsonValue* addresses = Member(patient, "address");
  if (!addresses || !addresses->IsArray()) return;
  const std::string& units_url = fhir::vn::Systems().ext_address_admin_units;
  for (const auto& a : addresses->GetArray()) {
    const JsonValue* exts = a.IsObject() ? Member(a, "extension") : nullptr;
    if (!exts || !exts->IsArray()) continue;
    for (const auto& e : exts->GetArray()) {
      if (!e.IsObject() || MemberString(e, "url") != units_url) continue;
      const JsonValue* parts = Member(e, "extension");
      if (!parts || !parts->IsArray()) continue;
      for (const auto& p : parts->GetArray()) {
        if (!p.IsObject() || MemberString(p, "url") != "commune") continue;
        const JsonValue* coding = Member(p, "valueCoding");
        if (coding && coding->IsObject()) f->commune = std::string(MemberString(*coding, "code"));
        if (!f->commune.empty()) return;
      }
    }
  }
}

void ReadPhones(const JsonValue& patient, PatientFeatures* f) {
  const JsonValue* telecom = Member(patient, "telecom");
  if (!telecom || !telecom->IsArray()) return;
  for (const auto& t : telecom->GetArray()) {
    if (!t.IsObject()) continue;
    std::string_view system = MemberString(t, "system");
    if (system != "phone" && system != "sms") continue;
    AddUnique(f->phones, NormalizePhone(MemberString(t, "value")));
  }
}

void ReadLinks(const JsonValue& patient, PatientFeatures* f) {
  const JsonValue* active = Member(patient, "active");
  if (active && active->IsBool()) f->active = active->GetBool();
  const JsonValue* links = Member(patient, "link");
  if (!links || !links->IsArray()) return;
  for (const auto& l : links->GetArray()) {
    if (!l.IsObject() || MemberString(l, "type") != "replaced-by") continue;
    const JsonValue* other = Member(l, "other");
    std::string_view ref = other && other->IsObject() ? MemberString(*other, "reference") : "";
    if (ref.starts_with("Patient/")) {
      f->replaced_by = std::string(ref.substr(8, ref.find('/', 8) - 8));
      return;
    }
  }
}

int ParseInt(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : 0;
}

}  // namespace

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string BirthDate::ToIso() const {
  if (!known()) return "";
  char buf[16];
  if (day) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  } else if (month) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d", year);
  }
  return buf;
}

BirthDate ParseBirthDate(std::string_view s) {
  BirthDate d;
  if (s.size() < 4) return d;
  d.year = ParseInt(s.substr(0, 4));
  if (s.size() >= 7 && s[4] == '-') d.month = ParseInt(s.substr(5, 2));
  if (s.size() >= 10 && s[7] == '-') d.day = ParseInt(s.substr(8, 2));
  if (d.month == 0) d.day = 0;
  return d;
}

void SetNameFromText(std::string_view text, PatientFeatures* f) {
  std::vector<std::string> words = SplitWords(identity::FoldName(text));
  f->family.clear();
  f->given.clear();
  if (!words.empty()) {
    f->family = words[0];
    f->given.assign(words.begin() + 1, words.end());
  }
  f->full_name = JoinWords(f->family, f->given);
  f->display_name = identity::NormalizeName(text);
}

std::string NormalizePhone(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (digits.size() == 11 && digits.starts_with("84")) digits = "0" + digits.substr(2);
  return digits.size() >= 8 ? digits : std::string();
}

PatientFeatures FeaturesOf(const fhir::JsonValue& patient) {
  PatientFeatures f;
  if (!patient.IsObject()) return f;
  f.id = std::string(MemberString(patient, "id"));
  ReadIdentifiers(patient, &f);
  ReadName(patient, &f);
  f.birth = ParseBirthDate(MemberString(patient, "birthDate"));
  f.gender = std::string(MemberString(patient, "gender"));
  ReadCommune(patient, &f);
  ReadPhones(patient, &f);
  ReadLinks(patient, &f);
  return f;
}

Result<PatientFeatures> FeaturesOfJson(std::string_view patient_json) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(patient_json));
  return FeaturesOf(doc);
}

}  // namespace hb::reception
