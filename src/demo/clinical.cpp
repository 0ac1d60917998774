#include "demo/clinical.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "demo/dates.h"
#include "demo/facilities.h"
#include "demo/json_writer.h"
#include "demo/life_course.h"

namespace hb::demo {

namespace {

constexpr int kHistoryDays = 730;

int VisitCount(int age, Rng& rng) {
  if (age < 5 || age >= 60) return static_cast<int>(rng.Weighted({15, 25, 25, 20, 15}));
  return static_cast<int>(rng.Weighted({25, 30, 22, 14, 9}));
}

// 0: the patient's commune station, 1: the district centre, 2: the provincial hospital.
const Facility& FacilityAt(const DemoContext& ctx, const PatientRecord& p, int choice) {
  switch (choice) {
    case 0:
      return StationOf(ctx, p.district, p.commune);
    case 1:
      return CentreOf(ctx, p.district);
    default:
      return ctx.facilities[ctx.hospital];
  }
}

// Where a visit happens: admissions at the district centre or the hospital,
// outpatient visits mostly at the commune station.
const Facility& PickFacility(const DemoContext& ctx, const PatientRecord& p, bool inpatient,
                             Rng& rng) {
  const size_t choice = inpatient ? 1 + rng.Weighted({65, 35}) : rng.Weighted({65, 25, 10});
  return FacilityAt(ctx, p, static_cast<int>(choice));
}

int StayDays(const DiagnosisSpec& d, Rng& rng) {
  if (d.icd == "O80.0" || d.icd == "Z38.0") return rng.Between(2, 3);
  if (d.icd == "J18.9" || d.icd == "A15.0") return rng.Between(5, 10);
  return rng.Between(2, 6);
}

void WriteConcept(JsonWriter& w, std::string_view key, std::string_view system,
                  std::string_view code, std::string_view display) {
  w.ObjectField(key);
  w.ArrayField("coding");
  w.Coding(system, code, display);
  w.EndArray();
  w.EndObject();
}

std::string EncounterJson(const DemoContext& ctx, const PatientRecord& p, const Visit& v) {
  JsonWriter w;
  w.BeginResource("Encounter", v.id);
  w.Field("status", v.finished ? "finished" : "in-progress");
  w.Key("class");
  w.Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", v.inpatient ? "IMP" : "AMB",
           v.inpatient ? "inpatient encounter" : "ambulatory");
  w.ArrayField("type");
  w.StartObject();
  w.Field("text", v.inpatient ? "Điều trị nội trú" : "Khám bệnh ngoại trú");
  w.EndObject();
  w.EndArray();
  w.Reference("subject", "Patient", p.id, p.name);
  w.ArrayField("participant");
  w.StartObject();
  w.ArrayField("type");
  w.StartObject();
  w.ArrayField("coding");
  w.Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF",
           "primary performer");
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.Reference("individual", "Practitioner", v.clinician->practitioner_id, v.clinician->name);
  w.EndObject();
  w.EndArray();
  w.ObjectField("period");
  w.Field("start", FormatDateTime(v.start_day, v.start_minute));
  if (v.finished) w.Field("end", FormatDateTime(v.end_day, v.end_minute));
  w.EndObject();
  if (v.inpatient && v.finished) {
    const bool died = p.deceased && v.end_day == p.death_day;
    w.ObjectField("hospitalization");
    w.ObjectField("dischargeDisposition");
    w.ArrayField("coding");
    w.Coding("http://terminology.hl7.org/CodeSystem/discharge-disposition", died ? "exp" : "home",
             died ? "Expired" : "Home");
    w.EndArray();
    w.Field("text", died ? "Tử vong" : "Ra viện về nhà");
    w.EndObject();
    w.EndObject();
  }
  w.ArrayField("location");
  w.StartObject();
  w.Reference("location", "Location", v.facility->location_id, v.facility->name);
  w.EndObject();
  w.EndArray();
  w.Reference("serviceProvider", "Organization", v.facility->id, v.facility->name);
  w.EndObject();
  return w.Take();
}

std::string ConditionJson(const DemoContext& ctx, const PatientRecord& p, const Visit& v,
                          size_t k) {
  const DiagnosisSpec& d = *v.diagnoses[k];
  const IcdEntry& icd = ctx.icd.find(d.icd)->second;
  // Acute problems are over two weeks after the visit; chronic ones stay active.
  const int64_t over_day = (v.finished ? v.end_day : v.start_day) + 14;
  const bool resolved = !d.chronic && v.finished && over_day < kReferenceDay;
  JsonWriter w;
  w.BeginResource("Condition", v.condition_ids[k]);
  WriteConcept(w, "clinicalStatus", "http://terminology.hl7.org/CodeSystem/condition-clinical",
               resolved ? "resolved" : "active", resolved ? "Resolved" : "Active");
  WriteConcept(w, "verificationStatus",
               "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed",
               "Confirmed");
  w.ArrayField("category");
  w.StartObject();
  w.ArrayField("coding");
  w.Coding("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis",
           "Encounter Diagnosis");
  w.EndArray();
  w.Field("text", k == 0 ? "Chẩn đoán chính" : "Chẩn đoán kèm theo");
  w.EndObject();
  w.EndArray();
  WriteIcdConcept(w, "code", ctx, icd);
  w.Reference("subject", "Patient", p.id, p.name);
  w.Reference("encounter", "Encounter", v.id);
  if (!d.chronic) {
    const bool same_day = d.icd == "O80.0" || d.icd == "Z38.0" || d.icd == "Z39.2";
    w.Field("onsetDateTime", FormatDate(std::max(v.start_day - (same_day ? 0 : 1), p.birth_day)));
  }
  if (resolved) w.Field("abatementDateTime", FormatDate(over_day));
  w.Field("recordedDate", FormatDateTime(v.start_day, std::min(v.start_minute + 10, 1439)));
  w.Reference("recorder", "Practitioner", v.clinician->practitioner_id, v.clinician->name);
  w.EndObject();
  return w.Take();
}

// The visits still to come, earliest first (ties: in the order planned).
class Timeline {
 public:
  void Add(PlannedVisit v) {
    heap_.push_back({v, next_++});
    std::push_heap(heap_.begin(), heap_.end(), Later);
  }
  bool Empty() const { return heap_.empty(); }
  PlannedVisit Pop() {
    std::pop_heap(heap_.begin(), heap_.end(), Later);
    PlannedVisit v = heap_.back().first;
    heap_.pop_back();
    return v;
  }

 private:
  using Entry = std::pair<PlannedVisit, uint64_t>;
  static bool Later(const Entry& a, const Entry& b) {
    return a.first.day != b.first.day ? a.first.day > b.first.day : a.second > b.second;
  }
  std::vector<Entry> heap_;
  uint64_t next_ = 0;
};

}  // namespace

void WriteIcdConcept(JsonWriter& w, std::string_view key, const DemoContext& ctx,
                     const IcdEntry& icd) {
  w.ObjectField(key);
  w.ArrayField("coding");
  w.Coding(ctx.systems.icd10_vn, icd.code, icd.name_vi);
  w.Coding("http://hl7.org/fhir/sid/icd-10", icd.code);
  w.EndArray();
  w.Field("text", icd.name_vi);
  w.EndObject();
}

const StaffMember* PickStaff(const DemoContext& ctx, const Facility& f, bool prescriber, Rng& rng) {
  auto it = ctx.staff.find(f.id);
  if (it == ctx.staff.end()) return nullptr;
  std::vector<const StaffMember*> fit;
  for (const StaffMember& s : it->second) {
    if (s.Prescribes() == prescriber) fit.push_back(&s);
  }
  if (fit.empty()) return prescriber ? nullptr : PickStaff(ctx, f, true, rng);
  return fit[rng.Below(fit.size())];
}

Status EmitClinicalHistory(DemoContext& ctx, const PatientRecord& p, Rng& rng) {
  Timeline timeline;
  std::vector<int64_t> td_days;  // first antenatal visits (lifelong)
  if (ctx.lifelong) {
    for (const PlannedVisit& v : PlanLife(p, rng)) {
      if (v.kind == VisitKind::kAntenatal && v.follow_up == 1) td_days.push_back(v.day);
      timeline.Add(v);
    }
  } else {
    const int age_now = AgeOn(p.birth_day, kReferenceDay);
    const int64_t first = std::max(p.birth_day + 1, kReferenceDay - kHistoryDays);
    const int64_t last = kReferenceDay - 1;
    if (first > last) return Status::Ok();
    const int count = VisitCount(age_now, rng);
    for (int i = 0; i < count; ++i)
      timeline.Add({.day = first + static_cast<int64_t>(rng.Below(last - first + 1))});
  }

  const int64_t end = p.EndDay();
  std::vector<const DiagnosisSpec*> chronic;  // diagnosed so far
  int64_t busy_until = INT64_MIN;             // no new visit during a stay
  int number = 0;
  while (!timeline.Empty()) {
    const PlannedVisit plan = timeline.Pop();
    const int64_t day = plan.day;
    if (day <= busy_until || day >= end) continue;
    Visit v;
    v.id = fmt::format("enc-{}-{}", p.id.substr(4), ++number);
    v.kind = plan.kind;
    v.follow_up = plan.follow_up;
    v.start_day = day;
    v.age = AgeOn(p.birth_day, day);
    const DiagnosisSpec* primary = plan.diagnosis;
    if (!primary && !chronic.empty() && rng.Percent(60)) primary = chronic[rng.Below(chronic.size())];
    if (!primary) primary = &PickDiagnosis(v.age, p.gender, rng);
    v.diagnoses.push_back(primary);
    if (rng.Percent(25)) {
      const DiagnosisSpec* second = &PickDiagnosis(v.age, p.gender, rng);
      if (second != primary && second->inpatient_percent < 100) v.diagnoses.push_back(second);
    }
    for (const DiagnosisSpec* d : v.diagnoses) {
      if (d->chronic && std::find(chronic.begin(), chronic.end(), d) == chronic.end()) {
        chronic.push_back(d);
        if (ctx.lifelong) {
          for (const PlannedVisit& f : FollowUps(p, *d, day, rng)) timeline.Add(f);
        }
      }
    }
    v.inpatient = !plan.outpatient && rng.Percent(primary->inpatient_percent);
    v.facility = plan.facility >= 0 ? &FacilityAt(ctx, p, plan.facility)
                                    : &PickFacility(ctx, p, v.inpatient, rng);
    v.clinician = PickStaff(ctx, *v.facility, true, rng);
    v.nurse = PickStaff(ctx, *v.facility, false, rng);
    if (!v.clinician || !v.nurse)
      return Status(ErrorCode::kInternal, "demo: a facility has no prescriber");
    if (v.inpatient) {
      v.start_minute = rng.Between(0, 1439);
      v.end_day = day + StayDays(*primary, rng);
      v.end_minute = rng.Between(8 * 60, 11 * 60);
      if (v.end_day >= end && p.deceased) v.end_day = end;  // died in hospital
      v.finished = v.end_day < kReferenceDay;
      busy_until = v.end_day;
    } else {
      v.start_minute = rng.Between(7 * 60, 16 * 60 + 30);
      v.end_day = day;
      v.end_minute = v.start_minute + rng.Between(15, 60);
    }
    if (p.deceased && v.end_day == p.death_day) {  // nothing after the death
      v.start_minute = std::min(v.start_minute, DeathMinute(p));
      v.end_minute = std::min(std::max(v.end_minute, v.start_minute), DeathMinute(p));
      if (v.end_day == v.start_day && v.end_minute < v.start_minute) v.end_minute = v.start_minute;
    }
    for (size_t k = 0; k < v.diagnoses.size(); ++k) {
      v.condition_ids.push_back(fmt::format("cond-{}-{}", v.id.substr(4), k + 1));
    }
    HB_RETURN_IF_ERROR(ctx.emitter.Emit("Encounter", v.id, EncounterJson(ctx, p, v)));
    for (size_t k = 0; k < v.diagnoses.size(); ++k) {
      HB_RETURN_IF_ERROR(
          ctx.emitter.Emit("Condition", v.condition_ids[k], ConditionJson(ctx, p, v, k)));
    }
    HB_RETURN_IF_ERROR(EmitVitalSigns(ctx, p, v, rng));
    HB_RETURN_IF_ERROR(EmitPrescriptions(ctx, p, v, rng));
    HB_RETURN_IF_ERROR(EmitCharges(ctx, p, v));
    if (ctx.lifelong) HB_RETURN_IF_ERROR(EmitLabPanels(ctx, p, v));
  }
  if (!ctx.lifelong) return Status::Ok();
  HB_RETURN_IF_ERROR(EmitImmunizations(ctx, p, td_days, rng));
  return EmitDeath(ctx, p);
}

}  // namespace hb::demo
