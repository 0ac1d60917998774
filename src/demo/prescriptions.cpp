// MedicationRequests of a visit: for most diagnoses one or two medicines from
// the demo formulary (clinical_catalog.cpp), suitable for the patient's age,
// prescribed by the visit's clinician, with Vietnamese dosage text and the same
// instruction in structured form (timing, route, dose, dispense quantity).
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "demo/clinical.h"
#include "demo/dates.h"
#include "demo/json_writer.h"

namespace hb::demo {

namespace {

std::string PrescriptionJson(const PatientRecord& p, const Visit& v, const std::string& id,
                             const MedicineSpec& m, const std::string& condition_id) {
  const int64_t authored_day = v.start_day;
  const bool active = !v.finished || authored_day + m.days >= kReferenceDay;
  JsonWriter w;
  w.BeginResource("MedicationRequest", id);
  w.Field("status", active ? "active" : "completed");
  w.Field("intent", "order");
  w.CodeableConcept("medicationCodeableConcept", "http://www.whocc.no/atc", m.atc, m.atc_display,
                    m.text);
  w.Reference("subject", "Patient", p.id, p.name);
  w.Reference("encounter", "Encounter", v.id);
  w.Field("authoredOn", FormatDateTime(authored_day, std::min(v.start_minute + 20, 1439)));
  w.Reference("requester", "Practitioner", v.clinician->practitioner_id, v.clinician->name);
  w.ArrayField("reasonReference");
  w.ReferenceItem("Condition", condition_id);
  w.EndArray();

  w.ArrayField("dosageInstruction");
  w.StartObject();
  w.FieldInt("sequence", 1);
  w.Field("text", m.instruction);
  w.ObjectField("timing");
  w.ObjectField("repeat");
  w.UcumQuantity("boundsDuration", std::to_string(m.days), "ngày", "d");
  w.FieldInt("frequency", m.frequency);
  w.FieldDecimal("period", std::to_string(m.period));
  w.Field("periodUnit", m.period_unit);
  w.EndObject();
  w.EndObject();
  if (m.as_needed) w.FieldBool("asNeededBoolean", true);
  if (m.eye) {
    w.CodeableConcept("route", "http://snomed.info/sct", "54485002", "Ophthalmic route", "Nhỏ mắt");
  } else {
    w.CodeableConcept("route", "http://snomed.info/sct", "26643006", "Oral route", "Uống");
  }
  w.ArrayField("doseAndRate");
  w.StartObject();
  w.ObjectField("doseQuantity");
  w.FieldDecimal("value", std::to_string(m.dose));
  w.Field("unit", m.dose_unit);
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndArray();

  w.ObjectField("dispenseRequest");
  w.ObjectField("quantity");
  w.FieldDecimal("value", std::to_string(m.dispense));
  w.Field("unit", m.dispense_unit);
  w.EndObject();
  w.UcumQuantity("expectedSupplyDuration", std::to_string(m.days), "ngày", "d");
  w.EndObject();
  w.EndObject();
  return w.Take();
}

}  // namespace

Status EmitPrescriptions(DemoContext& ctx, const PatientRecord& p, Visit& v, Rng& rng) {
  std::vector<std::string_view> given;  // one request per medicine and visit
  int number = 0;
  for (size_t k = 0; k < v.diagnoses.size(); ++k) {
    const DiagnosisSpec& d = *v.diagnoses[k];
    for (size_t slot = 0; slot < d.medicines.size(); ++slot) {
      const std::string_view key = d.medicines[slot];
      if (key.empty() || !rng.Percent(slot == 0 ? 85 : 50)) continue;
      if (std::find(given.begin(), given.end(), key) != given.end()) continue;
      const MedicineSpec* m = FindMedicine(key, v.age);
      if (!m) continue;
      given.push_back(key);
      const std::string id = fmt::format("medrx-{}-{}", v.id.substr(4), ++number);
      v.prescribed.emplace_back(id, m);
      HB_RETURN_IF_ERROR(ctx.emitter.Emit("MedicationRequest", id,
                                          PrescriptionJson(p, v, id, *m, v.condition_ids[k])));
    }
  }
  return Status::Ok();
}

}  // namespace hb::demo
