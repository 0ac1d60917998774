// What a visit costs and what it produced for the insurance claim: ChargeItems coded in
// the facility's price list (Systems().charge_code; resources/catalogs/claims/
// demo-price-list), one per billable item: the examination, each prescribed medicine
// (a MedicationDispense of the quantity handed over), bed days and supplies for admissions, and a
// few tests whose results are recorded (a blood count for admissions, blood glucose for diabetes, a
// chest X-ray report for pneumonia); and a follow-up Appointment after visits for hypertension or
// diabetes. Values come from a hash of the visit id, never from the patient's Rng, so adding these
// resources left every other demo resource unchanged.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "demo/clinical.h"
#include "demo/dates.h"
#include "demo/json_writer.h"

namespace hb::demo {

namespace {

constexpr std::string_view kLoinc = "http://loinc.org";

// The price-list code of a formulary entry (key and dose form).
std::string_view DrugCode(const MedicineSpec& m) {
  static constexpr std::pair<std::string_view, std::string_view> kCodes[] = {
      {"amoxicillin", "T-AMOX500"},
      {"salbutamol", "T-SALB2"},
      {"oresol", "T-ORS245"},
      {"zinc", "T-ZINC10"},
      {"albendazole", "T-ALBE400"},
      {"iron", "T-FEFOL"},
      {"chloramphenicol-eye", "T-CLORMAT"},
      {"cetirizine", "T-CETI10"},
      {"omeprazole", "T-OMEP20"},
      {"amlodipine", "T-AMLO5"},
      {"metformin", "T-METF500"},
      {"meloxicam", "T-MELO75"},
      {"ciprofloxacin", "T-CIPRO500"},
      {"rhze", "T-RHZE"}};
  if (m.key == "paracetamol") return m.dose_unit == "gói" ? "T-PARA250" : "T-PARA500";
  if (m.key == "amoxicillin" && m.dose_unit == "gói") return "T-AMOX250";
  for (const auto& [key, code] : kCodes) {
    if (key == m.key) return code;
  }
  return {};
}

bool Has(const Visit& v, std::string_view icd) {
  return std::any_of(v.diagnoses.begin(), v.diagnoses.end(),
                     [&](const DiagnosisSpec* d) { return d->icd == icd; });
}

// A number in [lo, hi] from the visit id and a label (deterministic, rng-free).
int Pick(const Visit& v, std::string_view label, int lo, int hi) {
  return lo + static_cast<int>(StreamSeed(0, v.id, StreamSeed(0, label)) % (hi - lo + 1));
}

std::string Tenths(int t) { return fmt::format("{}.{}", t / 10, t % 10); }

}  // namespace

std::string LabObservationJson(const PatientRecord& p, const Visit& v, std::string_view id,
                               std::string_view loinc, std::string_view display,
                               std::string_view text, int minute,
                               const std::function<void(JsonWriter&)>& value) {
  JsonWriter w;
  w.BeginResource("Observation", id);
  w.Field("status", "final");
  w.ArrayField("category");
  w.StartObject();
  w.ArrayField("coding");
  w.Coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory",
           "Laboratory");
  w.EndArray();
  w.Field("text", "Xét nghiệm");
  w.EndObject();
  w.EndArray();
  w.CodeableConcept("code", kLoinc, loinc, display, text);
  w.Reference("subject", "Patient", p.id, p.name);
  w.Reference("encounter", "Encounter", v.id);
  w.Field("effectiveDateTime", FormatDateTime(v.start_day, std::min(minute, 1439)));
  w.Field("issued", FormatDateTime(v.start_day, std::min(minute + 45, 1439)));
  w.ArrayField("performer");
  w.ReferenceItem("Practitioner", v.nurse->practitioner_id, v.nurse->name);
  w.EndArray();
  value(w);
  w.EndObject();
  return w.Take();
}

namespace {

class Charges {
 public:
  Charges(DemoContext& ctx, const PatientRecord& p, const Visit& v) : ctx_(ctx), p_(p), v_(v) {}

  Status Add(std::string_view code, std::string_view text, std::string_view quantity, int minute,
             std::string_view service_type = {}, std::string_view service_id = {},
             const StaffMember* performer = nullptr, int64_t day = -1) {
    const std::string id = fmt::format("chg-{}-{}", v_.id.substr(4), ++n_);
    JsonWriter w;
    w.BeginResource("ChargeItem", id);
    // A lifelong record's older visits were claimed long ago.
    const bool claimed = ctx_.lifelong && v_.end_day < kReferenceDay - 365;
    w.Field("status", claimed ? "billed" : "billable");
    w.CodeableConcept("code", ctx_.systems.charge_code, code, text, text);
    w.Reference("subject", "Patient", p_.id, p_.name);
    w.Reference("context", "Encounter", v_.id);
    w.Field("occurrenceDateTime",
            FormatDateTime(day < 0 ? v_.start_day : day, std::min(minute, 1439)));
    if (performer) {
      w.ArrayField("performer");
      w.StartObject();
      w.Reference("actor", "Practitioner", performer->practitioner_id, performer->name);
      w.EndObject();
      w.EndArray();
    }
    w.Reference("performingOrganization", "Organization", v_.facility->id, v_.facility->name);
    w.ObjectField("quantity");
    w.FieldDecimal("value", quantity);
    w.EndObject();
    w.Reference("enterer", "Practitioner", v_.clinician->practitioner_id, v_.clinician->name);
    w.Field("enteredDate", FormatDateTime(day < 0 ? v_.start_day : day, std::min(minute, 1439)));
    if (!service_type.empty()) {
      w.ArrayField("service");
      w.ReferenceItem(service_type, service_id);
      w.EndArray();
    }
    w.EndObject();
    return ctx_.emitter.Emit("ChargeItem", id, w.Take());
  }

  // A laboratory Observation, then its charge.
  Status Lab(std::string_view suffix, std::string_view code, std::string_view loinc,
             std::string_view display, std::string_view text, int minute,
             const std::function<void(JsonWriter&)>& value) {
    const std::string id = fmt::format("obs-{}-lab-{}", v_.id.substr(4), suffix);
    HB_RETURN_IF_ERROR(ctx_.emitter.Emit(
        "Observation", id, LabObservationJson(p_, v_, id, loinc, display, text, minute, value)));
    return Add(code, text, "1", minute, "Observation", id, v_.nurse);
  }

 private:
  DemoContext& ctx_;
  const PatientRecord& p_;
  const Visit& v_;
  int n_ = 0;
};

void Quantity(JsonWriter& w, std::string_view key, std::string_view value, std::string_view unit,
              std::string_view ucum) {
  w.ObjectField(key);
  w.FieldDecimal("value", value);
  w.Field("unit", unit);
  w.Field("system", "http://unitsofmeasure.org");
  w.Field("code", ucum);
  w.EndObject();
}

void Component(JsonWriter& w, std::string_view loinc, std::string_view display,
               std::string_view text, std::string_view value, std::string_view unit,
               std::string_view ucum) {
  w.StartObject();
  w.CodeableConcept("code", kLoinc, loinc, display, text);
  Quantity(w, "valueQuantity", value, unit, ucum);
  w.EndObject();
}

Status ChestXray(DemoContext& ctx, const PatientRecord& p, const Visit& v, Charges& charges,
                 int minute) {
  const std::string id = fmt::format("dr-{}-xq", v.id.substr(4));
  JsonWriter w;
  w.BeginResource("DiagnosticReport", id);
  w.Field("status", "final");
  w.ArrayField("category");
  w.StartObject();
  w.ArrayField("coding");
  w.Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology");
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.CodeableConcept("code", kLoinc, "36643-5", "XR Chest 2 Views", "Chụp X-quang ngực thẳng");
  w.Reference("subject", "Patient", p.id, p.name);
  w.Reference("encounter", "Encounter", v.id);
  w.Field("effectiveDateTime", FormatDateTime(v.start_day, std::min(minute, 1439)));
  w.Field("issued", FormatDateTime(v.start_day, std::min(minute + 30, 1439)));
  w.ArrayField("resultsInterpreter");
  w.ReferenceItem("Practitioner", v.clinician->practitioner_id, v.clinician->name);
  w.EndArray();
  w.Field("conclusion", Pick(v, "xq", 0, 1) ? "Hình ảnh viêm phổi thùy dưới phổi phải"
                                            : "Đám mờ rải rác hai phế trường, theo dõi viêm phổi");
  w.EndObject();
  HB_RETURN_IF_ERROR(ctx.emitter.Emit("DiagnosticReport", id, w.Take()));
  return charges.Add("CDHA-XQNGUC", "Chụp X-quang ngực thẳng", "1", minute, "DiagnosticReport", id,
                     v.clinician);
}

// The medicine handed over at the visit, against its prescription.
Status Dispense(DemoContext& ctx, const PatientRecord& p, const Visit& v, const std::string& id,
                const std::string& request_id, const MedicineSpec& m, int minute) {
  JsonWriter w;
  w.BeginResource("MedicationDispense", id);
  w.Field("status", "completed");
  w.CodeableConcept("medicationCodeableConcept", "http://www.whocc.no/atc", m.atc, m.atc_display,
                    m.text);
  w.Reference("subject", "Patient", p.id, p.name);
  w.Reference("context", "Encounter", v.id);
  w.ArrayField("performer");
  w.StartObject();
  w.Reference("actor", "Practitioner", v.nurse->practitioner_id, v.nurse->name);
  w.EndObject();
  w.EndArray();
  w.ArrayField("authorizingPrescription");
  w.ReferenceItem("MedicationRequest", request_id);
  w.EndArray();
  w.ObjectField("quantity");
  w.FieldDecimal("value", std::to_string(m.dispense));
  w.Field("unit", m.dispense_unit);
  w.EndObject();
  w.Field("whenHandedOver", FormatDateTime(v.start_day, std::min(minute, 1439)));
  w.ArrayField("dosageInstruction");
  w.StartObject();
  w.Field("text", m.instruction);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return ctx.emitter.Emit("MedicationDispense", id, w.Take());
}

Status FollowUp(DemoContext& ctx, const PatientRecord& p, const Visit& v) {
  const std::string id = fmt::format("appt-{}", v.id.substr(4));
  JsonWriter w;
  w.BeginResource("Appointment", id);
  // In a lifelong record past appointments were kept, those after a death cancelled.
  const int64_t day = v.end_day + 30;
  std::string_view status = "booked";
  if (ctx.lifelong && p.deceased && day >= p.death_day) status = "cancelled";
  else if (ctx.lifelong && day < kReferenceDay) status = "fulfilled";
  w.Field("status", status);
  w.Field("description", "Hẹn khám lại, lĩnh thuốc điều trị bệnh mạn tính");
  w.Field("start", FormatDateTime(v.end_day + 30, 8 * 60));
  w.Field("end", FormatDateTime(v.end_day + 30, 8 * 60 + 30));
  w.Field("created", FormatDate(v.end_day));
  w.ArrayField("supportingInformation");
  w.ReferenceItem("Encounter", v.id);
  w.EndArray();
  w.ArrayField("participant");
  w.StartObject();
  w.Reference("actor", "Patient", p.id, p.name);
  w.Field("status", "accepted");
  w.EndObject();
  w.StartObject();
  w.Reference("actor", "Practitioner", v.clinician->practitioner_id, v.clinician->name);
  w.Field("status", "accepted");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return ctx.emitter.Emit("Appointment", id, w.Take());
}

}  // namespace

Status EmitCharges(DemoContext& ctx, const PatientRecord& p, const Visit& v) {
  Charges c(ctx, p, v);
  const int at = v.start_minute;
  HB_RETURN_IF_ERROR(c.Add("KB", "Khám bệnh", "1", at + 5, {}, {}, v.clinician));
  for (const auto& [request_id, medicine] : v.prescribed) {
    const std::string dispense_id = "meddisp-" + request_id.substr(6);
    HB_RETURN_IF_ERROR(Dispense(ctx, p, v, dispense_id, request_id, *medicine, at + 25));
    HB_RETURN_IF_ERROR(c.Add(DrugCode(*medicine), medicine->text,
                             std::to_string(medicine->dispense), at + 25, "MedicationDispense",
                             dispense_id, v.nurse));
  }
  if (v.inpatient) {
    HB_RETURN_IF_ERROR(
        c.Lab("cbc", "XN-CTM", "58410-2", "CBC panel - Blood by Automated count",
              "Tổng phân tích tế bào máu ngoại vi", at + 30, [&](JsonWriter& w) {
                w.ArrayField("component");
                Component(w, "6690-2", "Leukocytes [#/volume] in Blood", "Số lượng bạch cầu (WBC)",
                          Tenths(Pick(v, "wbc", 45, 160)), "G/L", "10*9/L");
                Component(w, "718-7", "Hemoglobin [Mass/volume] in Blood", "Huyết sắc tố (HGB)",
                          std::to_string(Pick(v, "hgb", 105, 155)), "g/L", "g/L");
                Component(w, "777-3", "Platelets [#/volume] in Blood", "Số lượng tiểu cầu (PLT)",
                          std::to_string(Pick(v, "plt", 150, 420)), "G/L", "10*9/L");
                w.EndArray();
              }));
    HB_RETURN_IF_ERROR(c.Add("VT-KIMLUON", "Kim luồn tĩnh mạch 22G", "1", at + 35));
    HB_RETURN_IF_ERROR(c.Add("VT-DAYTRUYEN", "Dây truyền dịch", "1", at + 35));
    HB_RETURN_IF_ERROR(c.Add("VT-BOMTIEM5", "Bơm tiêm nhựa 5 ml", "2", at + 35));
    if (Has(v, "J18.9")) HB_RETURN_IF_ERROR(ChestXray(ctx, p, v, c, at + 60));
    if (v.finished) {
      const bool station = v.facility->kind == FacilityKind::kCommuneStation;
      const int64_t days = std::max<int64_t>(1, v.end_day - v.start_day);
      HB_RETURN_IF_ERROR(c.Add(station ? "GIUONG-LUU" : "GIUONG-NOI",
                               station ? "Ngày giường lưu" : "Ngày giường bệnh Nội khoa",
                               std::to_string(days), v.end_minute, {}, {}, nullptr, v.end_day));
    }
  }
  if (Has(v, "E11.9")) {
    HB_RETURN_IF_ERROR(c.Lab("glu", "XN-GLU", "2345-7", "Glucose [Mass/volume] in Serum or Plasma",
                             "Định lượng Glucose máu", at + 15, [&](JsonWriter& w) {
                               Quantity(w, "valueQuantity", Tenths(Pick(v, "glu", 62, 118)),
                                        "mmol/L", "mmol/L");
                             }));
  }
  if (v.finished && (Has(v, "I10") || Has(v, "E11.9"))) HB_RETURN_IF_ERROR(FollowUp(ctx, p, v));
  return Status::Ok();
}

}  // namespace hb::demo
