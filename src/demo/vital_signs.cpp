// Vital-sign Observations of a visit, after the FHIR R4 vital-signs profile
// (http://hl7.org/fhir/R4/observation-vitalsigns.html): category vital-signs,
// LOINC codes, UCUM units. Values are drawn in tenths and written as decimal
// text, plausible for the age and raised by fever or hypertension.
#include <fmt/format.h>

#include <algorithm>

#include "demo/clinical.h"
#include "demo/dates.h"
#include "demo/json_writer.h"

namespace hb::demo {

namespace {

constexpr std::string_view kLoinc = "http://loinc.org";

std::string Tenths(int tenths) { return fmt::format("{}.{}", tenths / 10, tenths % 10); }

bool Has(const Visit& v, std::string_view icd) {
  return std::any_of(v.diagnoses.begin(), v.diagnoses.end(),
                     [&](const DiagnosisSpec* d) { return d->icd == icd; });
}

// Body weight in tenths of a kilogram.
int WeightTenths(const PatientRecord& p, const Visit& v, Rng& rng) {
  const int64_t months = (v.start_day - p.birth_day) / 30;
  int tenths;
  if (months < 12) {
    tenths = 32 + static_cast<int>(months) * 6;  // 3.2 kg + 0.6 kg a month
  } else if (v.age <= 10) {
    tenths = (2 * v.age + 8) * 10;
  } else if (v.age <= 15) {
    tenths = (3 * v.age + 3) * 10;
  } else {
    tenths = (p.gender == Gender::kMale ? 560 : 470) + (p.ethnicity == Ethnicity::kKinh ? 40 : 0);
  }
  tenths = tenths * rng.Between(88, 112) / 100;
  if (Has(v, "E44.1")) tenths = tenths * 82 / 100;
  return std::max(tenths, 20);
}

class VitalWriter {
 public:
  VitalWriter(const PatientRecord& p, const Visit& v) : p_(p), v_(v) {}

  // Starts the Observation up to the value; the caller writes value/component and ends it.
  void Begin(JsonWriter& w, std::string_view suffix, std::string_view loinc,
             std::string_view display, std::string_view text) {
    id_ = fmt::format("obs-{}-{}", v_.id.substr(4), suffix);
    w.BeginResource("Observation", id_);
    w.Field("status", "final");
    w.ArrayField("category");
    w.StartObject();
    w.ArrayField("coding");
    w.Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs",
             "Vital Signs");
    w.EndArray();
    w.Field("text", "Dấu hiệu sinh tồn");
    w.EndObject();
    w.EndArray();
    w.CodeableConcept("code", kLoinc, loinc, display, text);
    w.Reference("subject", "Patient", p_.id, p_.name);
    w.Reference("encounter", "Encounter", v_.id);
    w.Field("effectiveDateTime", FormatDateTime(v_.start_day, std::min(v_.start_minute + 5, 1439)));
    w.ArrayField("performer");
    w.ReferenceItem("Practitioner", v_.nurse->practitioner_id, v_.nurse->name);
    w.EndArray();
  }
  void High(JsonWriter& w) {
    w.ArrayField("interpretation");
    w.StartObject();
    w.ArrayField("coding");
    w.Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "H", "High");
    w.EndArray();
    w.EndObject();
    w.EndArray();
  }
  const std::string& id() const { return id_; }

 private:
  const PatientRecord& p_;
  const Visit& v_;
  std::string id_;
};

void Component(JsonWriter& w, std::string_view loinc, std::string_view display, int mmhg) {
  w.StartObject();
  w.CodeableConcept("code", kLoinc, loinc, display);
  w.UcumQuantity("valueQuantity", std::to_string(mmhg), "mmHg", "mm[Hg]");
  w.EndObject();
}

}  // namespace

Status EmitVitalSigns(DemoContext& ctx, const PatientRecord& p, const Visit& v, Rng& rng) {
  bool fever = false;
  for (const DiagnosisSpec* d : v.diagnoses) fever = fever || rng.Percent(d->fever_percent);
  VitalWriter vw(p, v);
  JsonWriter w;

  const int temperature = fever ? rng.Between(378, 395) : rng.Between(363, 372);
  vw.Begin(w, "temp", "8310-5", "Body temperature", "Nhiệt độ");
  w.UcumQuantity("valueQuantity", Tenths(temperature), "°C", "Cel");
  if (temperature >= 375) vw.High(w);
  w.EndObject();
  HB_RETURN_IF_ERROR(ctx.emitter.Emit("Observation", vw.id(), w.Take()));

  int pulse = v.age < 1     ? rng.Between(110, 150)
              : v.age <= 5  ? rng.Between(90, 130)
              : v.age <= 11 ? rng.Between(75, 110)
                            : rng.Between(60, 95);
  if (fever) pulse += rng.Between(8, 20);
  vw.Begin(w, "hr", "8867-4", "Heart rate", "Mạch");
  w.UcumQuantity("valueQuantity", std::to_string(pulse), "lần/phút", "/min");
  w.EndObject();
  HB_RETURN_IF_ERROR(ctx.emitter.Emit("Observation", vw.id(), w.Take()));

  if (v.age >= 15) {
    const bool hypertensive = Has(v, "I10") && rng.Percent(80);
    const int systolic =
        hypertensive ? rng.Between(140, 175) : rng.Between(100, 128) + (v.age > 50 ? 8 : 0);
    const int diastolic = hypertensive ? rng.Between(88, 105) : rng.Between(62, 84);
    vw.Begin(w, "bp", "85354-9", "Blood pressure panel with all children optional", "Huyết áp");
    if (systolic >= 140) vw.High(w);
    w.ArrayField("component");
    Component(w, "8480-6", "Systolic blood pressure", systolic);
    Component(w, "8462-4", "Diastolic blood pressure", diastolic);
    w.EndArray();
    w.EndObject();
    HB_RETURN_IF_ERROR(ctx.emitter.Emit("Observation", vw.id(), w.Take()));
  }

  if (v.age < 16 || rng.Percent(60)) {
    vw.Begin(w, "wt", "29463-7", "Body weight", "Cân nặng");
    w.UcumQuantity("valueQuantity", Tenths(WeightTenths(p, v, rng)), "kg", "kg");
    w.EndObject();
    HB_RETURN_IF_ERROR(ctx.emitter.Emit("Observation", vw.id(), w.Take()));
  }
  return Status::Ok();
}

}  // namespace hb::demo
