#include "clinical/vital_signs.h"

#include <charconv>
#include <optional>
#include <string>

namespace hb::clinical {

namespace {

constexpr std::string_view kLoinc = "http://loinc.org";

struct UnitRange {
  std::string_view ucum;
  double lo, hi;
};

struct VitalRule {
  std::string_view code;
  std::string_view name;  // Vietnamese
  UnitRange units[3];
};

constexpr VitalRule kRules[] = {
    {"8867-4", "Mạch", {{"/min", 20, 300}, {"{beats}/min", 20, 300}}},
    {"8480-6", "Huyết áp tâm thu", {{"mm[Hg]", 40, 300}, {}}},
    {"8462-4", "Huyết áp tâm trương", {{"mm[Hg]", 20, 200}, {}}},
    {"8310-5", "Nhiệt độ", {{"Cel", 30, 45}, {"[degF]", 86, 113}}},
    {"9279-1", "Nhịp thở", {{"/min", 4, 80}, {"{breaths}/min", 4, 80}}},
    {"29463-7", "Cân nặng", {{"kg", 0.3, 350}, {"g", 300, 350000}, {"[lb_av]", 0.66, 770}}},
    {"8302-2", "Chiều cao", {{"cm", 20, 250}, {"m", 0.2, 2.5}, {"[in_i]", 8, 100}}},
    {"39156-5", "BMI", {{"kg/m2", 5, 100}, {}}},
    {"59408-5", "SpO2", {{"%", 30, 100}, {}}},
    {"2708-6", "SpO2", {{"%", 30, 100}, {}}},
};

const VitalRule* RuleFor(std::string_view code) {
  for (const auto& r : kRules) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

// The LOINC code of a CodeableConcept.
std::string_view LoincOf(const fhir::JsonValue* cc) {
  if (!cc || !cc->IsObject()) return {};
  const fhir::JsonValue* codings = fhir::Member(*cc, "coding");
  if (!codings || !codings->IsArray()) return {};
  for (const auto& c : codings->GetArray()) {
    if (fhir::MemberString(c, "system") == kLoinc) return fhir::MemberString(c, "code");
  }
  return {};
}

std::optional<double> Number(const fhir::JsonValue* v) {
  if (!v || !fhir::IsNumber(*v)) return std::nullopt;
  std::string text(fhir::NumberText(*v));
  try {
    return std::stod(text);
  } catch (...) {
    return std::nullopt;
  }
}

Status Fail(std::string message, std::string location) {
  return Status(ErrorCode::kUnprocessable, std::move(message), std::move(location));
}

std::string Show(double v) {
  std::string s = std::to_string(v);
  while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
    bool dot = s.back() == '.';
    s.pop_back();
    if (dot) break;
  }
  return s;
}

// Checks the valueQuantity of `holder` (an Observation or a component) for `code`.
Status CheckValue(const fhir::JsonValue& holder, std::string_view code, const std::string& path,
                  std::optional<double>* value_out) {
  const VitalRule* rule = RuleFor(code);
  if (!rule) return Status::Ok();
  const fhir::JsonValue* q = fhir::Member(holder, "valueQuantity");
  if (!q) return Status::Ok();  // absent (dataAbsentReason) or another value type
  auto value = Number(fhir::Member(*q, "value"));
  if (!value) return Fail(std::string(rule->name) + ": thiếu giá trị", path + ".valueQuantity.value");
  std::string_view unit = fhir::MemberString(*q, "code");
  if (unit.empty()) unit = fhir::MemberString(*q, "unit");
  const UnitRange* range = nullptr;
  for (const auto& u : rule->units) {
    if (!u.ucum.empty() && u.ucum == unit) range = &u;
  }
  if (!range) {
    std::string allowed;
    for (const auto& u : rule->units) {
      if (u.ucum.empty()) continue;
      allowed += (allowed.empty() ? "" : ", ") + std::string(u.ucum);
    }
    return Fail(std::string(rule->name) + " (LOINC " + std::string(code) + "): đơn vị '" +
                    std::string(unit) + "' không hợp lệ; dùng mã UCUM " + allowed,
                path + ".valueQuantity.code");
  }
  if (*value < range->lo || *value > range->hi) {
    return Fail(std::string(rule->name) + " " + Show(*value) + " " + std::string(unit) +
                    " không thể có (ngoài khoảng " + Show(range->lo) + "-" + Show(range->hi) +
                    " " + std::string(unit) + "); kiểm tra lại số đã nhập",
                path + ".valueQuantity.value");
  }
  if (value_out) *value_out = value;
  return Status::Ok();
}

}  // namespace

bool IsVitalSign(const fhir::JsonValue& observation) {
  if (RuleFor(LoincOf(fhir::Member(observation, "code"))) ||
      LoincOf(fhir::Member(observation, "code")) == "85354-9") {
    return true;
  }
  const fhir::JsonValue* cats = fhir::Member(observation, "category");
  if (!cats || !cats->IsArray()) return false;
  for (const auto& cat : cats->GetArray()) {
    const fhir::JsonValue* codings = fhir::Member(cat, "coding");
    if (!codings || !codings->IsArray()) continue;
    for (const auto& c : codings->GetArray()) {
      if (fhir::MemberString(c, "code") == "vital-signs") return true;
    }
  }
  return false;
}

Status CheckVitalSign(const fhir::JsonValue& observation) {
  std::string_view code = LoincOf(fhir::Member(observation, "code"));
  HB_RETURN_IF_ERROR(CheckValue(observation, code, "Observation", nullptr));
  const fhir::JsonValue* comps = fhir::Member(observation, "component");
  if (!comps || !comps->IsArray()) return Status::Ok();
  std::optional<double> systolic, diastolic;
  for (rapidjson::SizeType i = 0; i < comps->Size(); ++i) {
    const fhir::JsonValue& c = (*comps)[i];
    std::string_view cc = LoincOf(fhir::Member(c, "code"));
    std::optional<double> v;
    HB_RETURN_IF_ERROR(
        CheckValue(c, cc, "Observation.component[" + std::to_string(i) + "]", &v));
    if (cc == "8480-6") systolic = v;
    if (cc == "8462-4") diastolic = v;
  }
  if (systolic && diastolic && *diastolic >= *systolic) {
    return Fail("Huyết áp tâm trương " + Show(*diastolic) + " mmHg không thể bằng hoặc cao hơn "
                "tâm thu " + Show(*systolic) + " mmHg; kiểm tra lại số đã nhập",
                "Observation.component");
  }
  return Status::Ok();
}

}  // namespace hb::clinical
