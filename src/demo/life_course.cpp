#include "demo/life_course.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "demo/dates.h"
#include "demo/facilities.h"
#include "demo/json_writer.h"

namespace hb::demo {

namespace {

constexpr std::string_view kLoinc = "http://loinc.org";
constexpr std::string_view kCvx = "http://hl7.org/fhir/sid/cvx";
constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr int64_t kYear = 365;

// Diagnoses that only planned visits make (weights 0: PickDiagnosis never draws them).
constexpr DiagnosisSpec kNewborn{"Z38.0", 0, 0, 0, 0, '*', false, 0, 100, {"", ""}};
constexpr DiagnosisSpec kPostnatal{"Z39.2", 0, 0, 14, 55, 'F', false, 0, 0, {"iron", ""}};

constexpr std::string_view kLifeCodes[] = {"Z38.0", "Z39.2", "P07.3", "I64",  "C22.0", "C34.9",
                                           "J44.9", "V89.2", "I21.9", "K74.6", "R54"};

int Clamp(int v, int lo, int hi) { return std::min(std::max(v, lo), hi); }

// Share of births in a health facility, by birth cohort and group: rising from about a
// fifth in the 1990s to most births after 2020, lowest among the H'Mông.
int FacilityBirthPercent(Ethnicity e, int year) {
  int base = year < 1990 ? 0 : year < 2000 ? 20 : year < 2010 ? 45 : year < 2020 ? 70 : 85;
  if (base == 0) return 0;
  if (e == Ethnicity::kKinh) base += 15;
  else if (e == Ethnicity::kHmong || e == Ethnicity::kHaNhi) base -= 25;
  else if (e != Ethnicity::kThai) base -= 10;
  return Clamp(base, 5, 98);
}

// Illness visits in one year of life, by age (weights of 0, 1, 2, 3 visits).
size_t VisitsInYear(int age, Rng& rng) {
  if (age < 1) return rng.Weighted({25, 35, 28, 12});
  if (age < 5) return rng.Weighted({40, 35, 18, 7});
  if (age < 15) return rng.Weighted({72, 22, 6});
  if (age < 45) return rng.Weighted({72, 21, 7});
  if (age < 60) return rng.Weighted({55, 30, 12, 3});
  return rng.Weighted({35, 35, 22, 8});
}

// Completed pregnancies over a woman's life, by group (weights of 0..5): total fertility
// about 2.2 for the Kinh, 2.6 for the Thái, 3.3 for the H'Mông.
size_t Pregnancies(Ethnicity e, Rng& rng) {
  switch (e) {
    case Ethnicity::kKinh:
      return rng.Weighted({10, 15, 45, 20, 7, 3});
    case Ethnicity::kHmong:
    case Ethnicity::kHaNhi:
      return rng.Weighted({5, 8, 17, 25, 25, 20});
    default:
      return rng.Weighted({8, 12, 30, 28, 14, 8});
  }
}

void AddPregnancy(const PatientRecord& p, int64_t delivery, Rng& rng,
                  std::vector<PlannedVisit>& out) {
  static const DiagnosisSpec& antenatal = *FindDiagnosis("Z34.9");
  static const DiagnosisSpec& delivered = *FindDiagnosis("O80.0");
  const int64_t offsets[] = {210, 120, 40};  // days before the delivery
  for (int k = 0; k < 3; ++k) {
    if (k > 0 && !rng.Percent(p.ethnicity == Ethnicity::kHmong ? 60 : 85)) continue;
    out.push_back({.day = delivery - offsets[k] + rng.Between(-7, 7),
                   .kind = VisitKind::kAntenatal,
                   .diagnosis = &antenatal,
                   .facility = 0,
                   .outpatient = true,
                   .follow_up = k + 1});
  }
  const int year = CivilFromDays(delivery).year;
  if (rng.Percent(FacilityBirthPercent(p.ethnicity, year))) {
    out.push_back({.day = delivery,
                   .kind = VisitKind::kDelivery,
                   .diagnosis = &delivered,
                   .facility = static_cast<int>(1 + rng.Weighted({70, 30}))});
  }
  out.push_back({.day = delivery + rng.Between(5, 10),
                 .kind = VisitKind::kPostnatal,
                 .diagnosis = &kPostnatal,
                 .facility = 0,
                 .outpatient = true});
}

// The negative/positive answer of a qualitative test.
void Qualitative(JsonWriter& w, bool positive) {
  w.CodeableConcept("valueCodeableConcept", kSnomed, positive ? "10828004" : "260385009",
                    positive ? "Positive" : "Negative", positive ? "Dương tính" : "Âm tính");
}

void Component(JsonWriter& w, std::string_view loinc, std::string_view display,
               std::string_view text, std::string_view value, std::string_view unit,
               std::string_view ucum) {
  w.StartObject();
  w.CodeableConcept("code", kLoinc, loinc, display, text);
  w.UcumQuantity("valueQuantity", value, unit, ucum);
  w.EndObject();
}

std::string Tenths(int t) { return fmt::format("{}.{}", t / 10, t % 10); }

// One dose of the national schedule for a birth cohort.
struct DoseSpec {
  std::string_view series;  // doses of one series are at least min_gap days apart
  std::string_view cvx, cvx_display, text;
  int dose;
  int age_days;      // the age the schedule gives
  int min_gap;       // days after the previous dose of the series
  int from_year;     // first birth cohort offered it
  int to_year;       // last birth cohort offered it
};

// Tiêm chủng mở rộng as it changed: BCG, DPT, OPV and measles from 1985 nationwide;
// hepatitis B from 2003 (birth dose within 24 hours); the pentavalent DPT-VGB-Hib from
// 2010 replacing DPT and hepatitis B; Japanese encephalitis (1-2 years) from 2005 in this
// province; the DPT booster at 18 months from 2011; measles second dose 2006, then
// measles-rubella from 2014; IPV at 5 months from 2018 and 9 months from 2022.
constexpr DoseSpec kSchedule[] = {
    {"hepb", "08", "Hep B, adolescent or pediatric", "Viêm gan B sơ sinh", 1, 0, 0, 2003, 9999},
    {"bcg", "19", "BCG", "Lao (BCG)", 1, 1, 0, 1985, 9999},
    {"dtp", "01", "DTP", "Bạch hầu - Ho gà - Uốn ván (DPT)", 1, 60, 0, 1985, 2009},
    {"dtp", "01", "DTP", "Bạch hầu - Ho gà - Uốn ván (DPT)", 2, 90, 28, 1985, 2009},
    {"dtp", "01", "DTP", "Bạch hầu - Ho gà - Uốn ván (DPT)", 3, 120, 28, 1985, 2009},
    {"hepb", "08", "Hep B, adolescent or pediatric", "Viêm gan B", 2, 60, 28, 2003, 2009},
    {"hepb", "08", "Hep B, adolescent or pediatric", "Viêm gan B", 3, 120, 28, 2003, 2009},
    {"dtp", "102", "DTP-Hib-Hep B", "Bạch hầu - Ho gà - Uốn ván - Viêm gan B - Hib", 1, 60, 0,
     2010, 9999},
    {"dtp", "102", "DTP-Hib-Hep B", "Bạch hầu - Ho gà - Uốn ván - Viêm gan B - Hib", 2, 90, 28,
     2010, 9999},
    {"dtp", "102", "DTP-Hib-Hep B", "Bạch hầu - Ho gà - Uốn ván - Viêm gan B - Hib", 3, 120, 28,
     2010, 9999},
    {"opv", "02", "OPV", "Bại liệt uống (OPV)", 1, 60, 0, 1985, 9999},
    {"opv", "02", "OPV", "Bại liệt uống (OPV)", 2, 90, 28, 1985, 9999},
    {"opv", "02", "OPV", "Bại liệt uống (OPV)", 3, 120, 28, 1985, 9999},
    {"ipv", "10", "IPV", "Bại liệt tiêm (IPV)", 1, 150, 0, 2018, 9999},
    {"measles", "05", "measles", "Sởi", 1, 270, 0, 1985, 9999},
    {"ipv", "10", "IPV", "Bại liệt tiêm (IPV)", 2, 270, 28, 2022, 9999},
    {"je", "39", "Japanese encephalitis SC", "Viêm não Nhật Bản", 1, 365, 0, 2005, 9999},
    {"je", "39", "Japanese encephalitis SC", "Viêm não Nhật Bản", 2, 379, 7, 2005, 9999},
    {"measles", "05", "measles", "Sởi", 2, 540, 28, 2006, 2013},
    {"mr", "04", "M/R", "Sởi - Rubella (MR)", 1, 540, 28, 2014, 9999},
    {"dtp", "01", "DTP", "Bạch hầu - Ho gà - Uốn ván (DPT) nhắc lại", 4, 540, 180, 2011, 9999},
    {"je", "39", "Japanese encephalitis SC", "Viêm não Nhật Bản", 3, 730, 180, 2005, 9999},
};

// The chance a child of the cohort was reached by the programme at all.
int ReachedPercent(Ethnicity e, int year) {
  int base = year < 1985 ? 0 : year < 1990 ? 60 : year < 2000 ? 75 : 88;
  if (base == 0) return 0;
  if (e == Ethnicity::kKinh) base += 8;
  else if (e == Ethnicity::kHmong || e == Ethnicity::kHaNhi) base -= 10;
  return Clamp(base, 0, 98);
}

struct Dose {
  int64_t day;
  std::string_view cvx, cvx_display, text, series;
  int dose;
};

std::string ImmunizationJson(DemoContext& ctx, const PatientRecord& p, const std::string& id,
                             const Dose& d, int minute, const Facility& where,
                             const StaffMember& nurse) {
  JsonWriter w;
  w.BeginResource("Immunization", id);
  w.Field("status", "completed");
  w.CodeableConcept("vaccineCode", kCvx, d.cvx, d.cvx_display, d.text);
  w.Reference("patient", "Patient", p.id, p.name);
  w.Field("occurrenceDateTime", FormatDateTime(d.day, minute));
  w.Field("recorded", FormatDateTime(d.day, std::min(minute + 20, 1439)));
  w.FieldBool("primarySource", true);
  w.Reference("location", "Location", where.location_id, where.name);
  w.ArrayField("performer");
  w.StartObject();
  w.CodeableConcept("function", "http://terminology.hl7.org/CodeSystem/v2-0443", "AP",
                    "Administering Provider");
  w.Reference("actor", "Practitioner", nurse.practitioner_id, nurse.name);
  w.EndObject();
  w.EndArray();
  w.ArrayField("protocolApplied");
  w.StartObject();
  w.Field("series", d.series == "td" ? "Tiêm phòng uốn ván cho phụ nữ có thai"
                                     : "Tiêm chủng mở rộng (TCMR)");
  w.Reference("authority", "Organization", ctx.facilities[ctx.department].id,
              ctx.facilities[ctx.department].name);
  w.FieldInt("doseNumberPositiveInt", d.dose);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace

void DrawDeath(const DemoContext& ctx, PatientRecord& p) {
  Rng rng(StreamSeed(ctx.seed, "death", static_cast<uint64_t>(p.number)));
  const int age = AgeOn(p.birth_day, kReferenceDay);
  // Per mille of a cohort who died in the last ten years (the crude death rate of the
  // province is about 5 per 1,000 a year; infant mortality about 30 per 1,000).
  const int per_mille = age < 1    ? 15
                        : age < 5  ? 8
                        : age < 15 ? 4
                        : age < 40 ? 12
                        : age < 60 ? 40
                        : age < 75 ? 120
                                   : 300;
  const bool dies = static_cast<int>(rng.Below(1000)) < per_mille;
  const int64_t first = std::max(p.birth_day + 1, kReferenceDay - 10 * kYear);
  if (!dies || first >= kReferenceDay) return;
  p.deceased = true;
  p.death_day = first + static_cast<int64_t>(rng.Below(kReferenceDay - first));
}

int DeathMinute(const PatientRecord& p) {
  return static_cast<int>(StreamSeed(0, "death-minute", static_cast<uint64_t>(p.number)) % 1440);
}

std::span<const std::string_view> LifeCourseCodes() { return kLifeCodes; }

std::vector<PlannedVisit> PlanLife(const PatientRecord& p, Rng& rng) {
  std::vector<PlannedVisit> out;
  const int64_t end = p.EndDay();
  if (rng.Percent(FacilityBirthPercent(p.ethnicity, CivilFromDays(p.birth_day).year))) {
    out.push_back({.day = p.birth_day,
                   .kind = VisitKind::kBirth,
                   .diagnosis = &kNewborn,
                   .facility = static_cast<int>(1 + rng.Weighted({70, 30}))});
  }
  for (int64_t year_start = p.birth_day; year_start < end; year_start += kYear) {
    const int age = static_cast<int>((year_start - p.birth_day) / kYear);
    for (size_t n = VisitsInYear(age, rng); n > 0; --n) {
      const int64_t day = year_start + static_cast<int64_t>(rng.Below(kYear));
      if (day > p.birth_day && day < end) out.push_back({.day = day});
    }
  }
  if (p.gender == Gender::kFemale && AgeOn(p.birth_day, end) >= 16) {
    const bool early = p.ethnicity == Ethnicity::kHmong || p.ethnicity == Ethnicity::kHaNhi;
    const int first_age = early ? rng.Between(16, 21)
                                : rng.Between(p.ethnicity == Ethnicity::kKinh ? 21 : 18, 27);
    int64_t delivery = p.birth_day + first_age * kYear + rng.Between(0, 364);
    for (size_t k = Pregnancies(p.ethnicity, rng); k > 0; --k) {
      if (AgeOn(p.birth_day, delivery) > 44 || delivery - 266 >= end) break;
      AddPregnancy(p, delivery, rng, out);
      delivery += rng.Between(2, 5) * kYear + rng.Between(0, 364);
    }
  }
  return out;
}

std::vector<PlannedVisit> FollowUps(const PatientRecord& p, const DiagnosisSpec& d, int64_t day,
                                    Rng& rng) {
  std::vector<PlannedVisit> out;
  const bool tb = d.icd == "A15.0";
  if (!tb && d.icd != "I10" && d.icd != "E11.9") return out;
  const int count = tb ? 6 : 8;
  const int64_t interval = tb ? 30 : 91;
  for (int k = 1; k <= count; ++k) {
    const int64_t at = day + k * interval + rng.Between(-5, 5);
    if (at >= p.EndDay()) break;
    out.push_back({.day = at,
                   .kind = VisitKind::kFollowUp,
                   .diagnosis = &d,
                   .facility = tb ? 1 : 0,
                   .outpatient = true,
                   .follow_up = k});
  }
  return out;
}

Status EmitLabPanels(DemoContext& ctx, const PatientRecord& p, const Visit& v) {
  // Values from a hash of the visit id and a label, like the demo's own lab results.
  auto pick = [&](std::string_view label, int lo, int hi) {
    return lo + static_cast<int>(StreamSeed(ctx.seed, v.id, StreamSeed(0, label)) %
                                 static_cast<uint64_t>(hi - lo + 1));
  };
  auto emit = [&](std::string_view suffix, std::string_view loinc, std::string_view display,
                  std::string_view text, int minute,
                  const std::function<void(JsonWriter&)>& value) {
    const std::string id = fmt::format("obs-{}-lab-{}", v.id.substr(4), suffix);
    return ctx.emitter.Emit("Observation", id,
                            LabObservationJson(p, v, id, loinc, display, text, minute, value));
  };
  const int at = v.start_minute + 20;
  const std::string_view icd = v.diagnoses.front()->icd;
  if (v.kind == VisitKind::kFollowUp && (icd == "I10" || icd == "E11.9")) {
    const bool diabetic = icd == "E11.9";
    if (v.follow_up % 4 == 1) {  // yearly: lipids and kidney function
      HB_RETURN_IF_ERROR(emit("lipid", "57698-3", "Lipid panel with direct LDL - Serum or Plasma",
                              "Bộ mỡ máu", at, [&](JsonWriter& w) {
                                w.ArrayField("component");
                                Component(w, "2093-3", "Cholesterol [Mass/volume] in Serum or Plasma",
                                          "Cholesterol toàn phần", Tenths(pick("chol", 38, 72)),
                                          "mmol/L", "mmol/L");
                                Component(w, "2571-8", "Triglyceride [Mass/volume] in Serum or Plasma",
                                          "Triglycerid", Tenths(pick("tg", 8, 38)), "mmol/L",
                                          "mmol/L");
                                Component(w, "2085-9", "HDL Cholesterol", "HDL-Cholesterol",
                                          Tenths(pick("hdl", 8, 18)), "mmol/L", "mmol/L");
                                Component(w, "18262-6", "LDL Cholesterol", "LDL-Cholesterol",
                                          Tenths(pick("ldl", 18, 48)), "mmol/L", "mmol/L");
                                w.EndArray();
                              }));
      HB_RETURN_IF_ERROR(emit("crea", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma",
                              "Định lượng Creatinin máu", at, [&](JsonWriter& w) {
                                w.UcumQuantity("valueQuantity",
                                               std::to_string(pick("crea", 55, 135)), "µmol/L",
                                               "umol/L");
                              }));
    }
    if (diabetic && v.follow_up % 2 == 0) {
      HB_RETURN_IF_ERROR(emit("hba1c", "4548-4",
                              "Hemoglobin A1c/Hemoglobin.total in Blood", "HbA1c", at,
                              [&](JsonWriter& w) {
                                w.UcumQuantity("valueQuantity", Tenths(pick("a1c", 58, 98)), "%",
                                               "%");
                              }));
    }
  }
  if (v.kind == VisitKind::kFollowUp && icd == "A15.0" && (v.follow_up == 2 || v.follow_up == 5)) {
    HB_RETURN_IF_ERROR(emit("afb", "11545-1",
                            "Microscopic observation [Identifier] in Sputum by Acid fast stain",
                            "Soi đờm tìm AFB", at,
                            [&](JsonWriter& w) { Qualitative(w, pick("afb", 0, 9) == 0); }));
  }
  if (v.kind == VisitKind::kAntenatal && v.follow_up == 1) {
    HB_RETURN_IF_ERROR(emit("hb", "718-7", "Hemoglobin [Mass/volume] in Blood", "Huyết sắc tố",
                            at, [&](JsonWriter& w) {
                              w.UcumQuantity("valueQuantity", std::to_string(pick("hb", 92, 135)),
                                             "g/L", "g/L");
                            }));
    HB_RETURN_IF_ERROR(emit("urine", "5804-0", "Protein [Mass/volume] in Urine by Test strip",
                            "Protein niệu (que thử)", at, [&](JsonWriter& w) {
                              w.UcumQuantity("valueQuantity", pick("prot", 0, 19) == 0 ? "0.3" : "0",
                                             "g/L", "g/L");
                            }));
    HB_RETURN_IF_ERROR(emit("hbsag", "5196-1", "Hepatitis B virus surface Ag [Presence] in Serum",
                            "HBsAg test nhanh", at,
                            [&](JsonWriter& w) { Qualitative(w, pick("hbsag", 0, 99) < 9); }));
    HB_RETURN_IF_ERROR(emit("hiv", "7917-8", "HIV 1 Ab [Presence] in Serum", "HIV test nhanh", at,
                            [&](JsonWriter& w) { Qualitative(w, pick("hiv", 0, 999) < 3); }));
  }
  return Status::Ok();
}

Status EmitImmunizations(DemoContext& ctx, const PatientRecord& p,
                         const std::vector<int64_t>& td_days, Rng& rng) {
  const int year = CivilFromDays(p.birth_day).year;
  const int64_t end = p.EndDay();
  std::vector<Dose> doses;
  if (rng.Percent(ReachedPercent(p.ethnicity, year))) {
    const int late = p.ethnicity == Ethnicity::kHmong ? 40 : 14;  // most delay, in days
    std::map<std::string_view, int64_t> last;                        // series -> last dose
    for (const DoseSpec& s : kSchedule) {
      if (year < s.from_year || year > s.to_year || !rng.Percent(96)) continue;
      int64_t day = p.birth_day + s.age_days + (s.age_days == 0 ? 0 : rng.Between(0, late));
      if (auto it = last.find(s.series); it != last.end()) day = std::max(day, it->second + s.min_gap);
      last[s.series] = day;
      doses.push_back({day, s.cvx, s.cvx_display, s.text, s.series, s.dose});
    }
  }
  int td = 0;  // tetanus-diphtheria doses so far: two in the first pregnancy, then one each
  for (int64_t first_visit : td_days) {
    for (int k = 0; k < (td == 0 ? 2 : 1) && td < 5; ++k, ++td) {
      doses.push_back({first_visit + k * 30, "09", "Td (adult), adsorbed",
                       "Uốn ván - Bạch hầu (Td)", "td", td + 1});
    }
  }
  std::stable_sort(doses.begin(), doses.end(),
                   [](const Dose& a, const Dose& b) { return a.day < b.day; });
  const Facility& station = StationOf(ctx, p.district, p.commune);
  int n = 0;
  for (const Dose& d : doses) {
    if (d.day >= end || d.day < p.birth_day) continue;
    const StaffMember* nurse = PickStaff(ctx, station, false, rng);
    if (!nurse) return Status(ErrorCode::kInternal, "demo: a commune station has no staff");
    const int minute = rng.Between(7 * 60 + 30, 10 * 60 + 30);  // immunisation mornings
    const std::string id = fmt::format("imm-{}-{:02d}", p.id.substr(4), ++n);
    HB_RETURN_IF_ERROR(ctx.emitter.Emit(
        "Immunization", id, ImmunizationJson(ctx, p, id, d, minute, station, *nurse)));
  }
  return Status::Ok();
}

Status EmitDeath(DemoContext& ctx, const PatientRecord& p) {
  if (!p.deceased) return Status::Ok();
  Rng rng(StreamSeed(ctx.seed, "cause-of-death", static_cast<uint64_t>(p.number)));
  const int age = AgeOn(p.birth_day, p.death_day);
  std::string_view icd;
  if (age < 1) {
    icd = std::array<std::string_view, 3>{"P07.3", "J18.9", "A09.0"}[rng.Weighted({45, 35, 20})];
  } else if (age < 15) {
    icd = std::array<std::string_view, 3>{"J18.9", "V89.2", "A09.0"}[rng.Weighted({40, 40, 20})];
  } else if (age < 60) {
    icd = std::array<std::string_view, 6>{"V89.2", "C22.0", "K74.6", "A15.0", "I64",
                                          "C34.9"}[rng.Weighted({30, 20, 15, 10, 15, 10})];
  } else {
    icd = std::array<std::string_view, 7>{"I64",   "I21.9", "J44.9", "C22.0",
                                          "C34.9", "R54",   "J18.9"}[rng.Weighted(
        {30, 10, 15, 10, 10, 15, 10})];
  }
  const IcdEntry& entry = ctx.icd.find(icd)->second;
  const std::string id = fmt::format("obs-{}-death", p.id.substr(4));
  JsonWriter w;
  w.BeginResource("Observation", id);
  w.Field("status", "final");
  w.CodeableConcept("code", kLoinc, "69453-9", "Cause of death [US Standard Certificate of Death]",
                    "Nguyên nhân tử vong");
  w.Reference("subject", "Patient", p.id, p.name);
  w.Field("effectiveDateTime", FormatDateTime(p.death_day, DeathMinute(p)));
  WriteIcdConcept(w, "valueCodeableConcept", ctx, entry);
  w.EndObject();
  return ctx.emitter.Emit("Observation", id, w.Take());
}

}  // namespace hb::demo
