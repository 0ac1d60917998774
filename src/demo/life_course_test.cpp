// The lifelong scope of the generator (`healthbook synth`): determinism, validity,
// referential closure and the plausibility of what it makes.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "demo/dates.h"
#include "demo/demo_province.h"
#include "demo/names.h"
#include "demo/test_catalogs.h"
#include "fhir/json.h"
#include "fhir/validator.h"

namespace hb::demo {
namespace {

using fhir::JsonValue;
using fhir::Member;
using fhir::MemberString;

using testing::Emitted;
using testing::Parse;

std::vector<Emitted> Synth(int people, uint64_t seed, DemoSummary* summary = nullptr,
                           std::string_view only_type = {}) {
  return testing::Generate({people, seed, /*lifelong=*/true}, summary, only_type);
}

const std::vector<Emitted>& Sample() {
  static const std::vector<Emitted> sample = Synth(250, 3);
  return sample;
}

int64_t Day(std::string_view date) {
  return DaysFromCivil(std::stoi(std::string(date.substr(0, 4))),
                       std::stoi(std::string(date.substr(5, 2))),
                       std::stoi(std::string(date.substr(8, 2))));
}

using testing::CollectReferences;

TEST(Synth, SameSeedSameBytesOtherSeedOtherBytes) {
  auto a = Synth(40, 11), b = Synth(40, 11), c = Synth(40, 12);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i].json, b[i].json) << a[i].id;
  size_t same = 0;
  for (size_t i = 0; i < std::min(a.size(), c.size()); ++i) same += a[i].json == c[i].json;
  EXPECT_LT(same, a.size() / 2);
}

TEST(Synth, DemoScopeHasNoLifelongParts) {
  // The demo keeps its two years: no immunisation history, no deaths, one card a person.
  DemoSummary demo;
  ASSERT_TRUE(BuildDemoProvince({200, 1}, testing::RealCatalogs(),
                                [&](std::string_view t, std::string_view id, std::string json) {
                                  EXPECT_NE(t, "Immunization");
                                  EXPECT_EQ(json.find("deceasedDateTime"), std::string::npos);
                                  EXPECT_FALSE(t == "Coverage" && id.size() > 10) << id;
                                  return Status::Ok();
                                },
                                &demo)
                  .ok());
  EXPECT_EQ(demo.Count("Patient"), 200u);
  // The same people in both scopes.
  auto lifelong = Synth(200, 1, nullptr, "Patient");
  std::vector<std::string> demo_names, life_names;
  ASSERT_TRUE(BuildDemoProvince({200, 1}, testing::RealCatalogs(),
                                [&](std::string_view t, std::string_view, std::string json) {
                                  if (t == "Patient") {
                                    auto doc = fhir::ParseJson(json);
                                    demo_names.emplace_back(
                                        MemberString((*Member(*doc, "name"))[0], "text"));
                                  }
                                  return Status::Ok();
                                })
                  .ok());
  for (const Emitted& e : lifelong) {
    auto doc = Parse(e);
    life_names.emplace_back(MemberString((*Member(doc, "name"))[0], "text"));
  }
  EXPECT_EQ(demo_names, life_names);
}

TEST(Synth, EveryResourceIsValidAndEveryReferenceResolvesWithinTheOutput) {
  std::set<std::string> keys;
  for (const Emitted& e : Sample()) EXPECT_TRUE(keys.insert(e.type + "/" + e.id).second) << e.id;
  size_t references = 0;
  for (const Emitted& e : Sample()) {
    auto doc = Parse(e);
    Status s = fhir::ValidateResource(doc, nullptr);
    EXPECT_TRUE(s.ok()) << e.id << ": " << s.ToString();
    std::vector<std::string> refs;
    CollectReferences(doc, refs);
    for (const std::string& r : refs) {
      ++references;
      EXPECT_TRUE(keys.contains(r)) << e.id << " -> " << r;
    }
  }
  EXPECT_GT(references, Sample().size());
}

TEST(Synth, ResourcesPerPersonAndTypes) {
  DemoSummary summary;
  Synth(1000, 1, &summary, "none");
  const size_t shared = summary.Count("Organization") + summary.Count("Location") +
                        summary.Count("Practitioner") + summary.Count("PractitionerRole");
  const double per_person = static_cast<double>(summary.Total() - shared) / 1000;
  std::printf("[ counts ] %.1f resources per person\n", per_person);
  EXPECT_GE(per_person, 100);
  EXPECT_LE(per_person, 300);
  for (const char* type : {"Patient", "Coverage", "Encounter", "Condition", "Observation",
                           "MedicationRequest", "Immunization", "Appointment", "ChargeItem"}) {
    EXPECT_GT(summary.Count(type), 0u) << type;
  }
}

TEST(Synth, EthnicSharesAndAgePyramid) {
  const int kPeople = 3000;
  auto patients = Synth(kPeople, 5, nullptr, "Patient");
  ASSERT_EQ(patients.size(), static_cast<size_t>(kPeople));
  std::map<std::string, int> by_group;
  int under15 = 0, over65 = 0, deceased = 0;
  for (const Emitted& e : patients) {
    auto doc = Parse(e);
    ++by_group[std::string(MemberString((*Member(doc, "extension"))[0]["valueCoding"], "code"))];
    const int age = AgeOn(Day(MemberString(doc, "birthDate")), kReferenceDay);
    under15 += age < 15;
    over65 += age >= 65;
    deceased += Member(doc, "deceasedDateTime") != nullptr;
  }
  auto share = [&](const char* code) { return 100.0 * by_group[code] / kPeople; };
  EXPECT_NEAR(share("03"), 38, 3);  // Thái
  EXPECT_NEAR(share("08"), 35, 3);  // H'Mông
  EXPECT_NEAR(share("01"), 18, 2.5);  // Kinh
  EXPECT_NEAR(share("29"), 3.4, 1.2);  // Khơ Mú
  EXPECT_GT(by_group["09"], 0);        // Dao
  EXPECT_NEAR(100.0 * under15 / kPeople, 30, 4);  // a young province
  EXPECT_LT(100.0 * over65 / kPeople, 9);
  EXPECT_GT(deceased, kPeople / 100);  // some died in the last ten years
  EXPECT_LT(deceased, kPeople / 10);
}

// Minimum age in days of each dose (CVX code, dose number) of the national schedule.
int MinAgeDays(std::string_view cvx, int dose) {
  static const std::map<std::pair<std::string, int>, int> kMin = {
      {{"08", 1}, 0},   {{"19", 1}, 1},   {{"01", 1}, 60},  {{"01", 2}, 90},  {{"01", 3}, 120},
      {{"01", 4}, 540}, {{"102", 1}, 60}, {{"102", 2}, 90}, {{"102", 3}, 120}, {{"02", 1}, 60},
      {{"02", 2}, 90},  {{"02", 3}, 120}, {{"10", 1}, 150}, {{"10", 2}, 270}, {{"05", 1}, 270},
      {{"05", 2}, 540}, {{"04", 1}, 540}, {{"39", 1}, 365}, {{"39", 2}, 379}, {{"39", 3}, 730},
      {{"08", 2}, 60},  {{"08", 3}, 120}};
  auto it = kMin.find({std::string(cvx), dose});
  return it == kMin.end() ? -1 : it->second;
}

TEST(Synth, ImmunisationsFollowTheNationalSchedule) {
  std::map<std::string, std::pair<int64_t, std::string>> people;  // id -> birth, gender
  std::map<std::string, int64_t> death;
  for (const Emitted& e : Sample()) {
    if (e.type != "Patient") continue;
    auto doc = Parse(e);
    people["Patient/" + e.id] = {Day(MemberString(doc, "birthDate")),
                                 std::string(MemberString(doc, "gender"))};
    if (const JsonValue* d = Member(doc, "deceasedDateTime")) {
      death["Patient/" + e.id] = Day(fhir::StringView(*d));
    }
  }
  int checked = 0, pentavalent = 0, td = 0;
  std::map<std::pair<std::string, std::string>, int> last_dose;  // (patient, cvx) -> dose
  for (const Emitted& e : Sample()) {
    if (e.type != "Immunization") continue;
    auto doc = Parse(e);
    const std::string patient(MemberString(*Member(doc, "patient"), "reference"));
    const std::string cvx(MemberString((*Member(doc, "vaccineCode"))["coding"][0], "code"));
    const int dose = std::stoi(
        std::string(fhir::NumberText((*Member(doc, "protocolApplied"))[0]["doseNumberPositiveInt"])));
    const int64_t day = Day(MemberString(doc, "occurrenceDateTime"));
    const auto& [birth, gender] = people.at(patient);
    const int birth_year = CivilFromDays(birth).year;
    EXPECT_LT(day, kReferenceDay);
    if (death.contains(patient)) {
      EXPECT_LT(day, death[patient]) << e.id;
    }
    if (cvx == "09") {  // Td in pregnancy
      ++td;
      EXPECT_EQ(gender, "female") << e.id;
      EXPECT_GE(AgeOn(birth, day), 14) << e.id;
      continue;
    }
    const int min_age = MinAgeDays(cvx, dose);
    ASSERT_GE(min_age, 0) << e.id << " " << cvx << " dose " << dose;
    EXPECT_GE(day - birth, min_age) << e.id;
    EXPECT_LE(day - birth, min_age + 400) << e.id;  // late, but in early childhood
    EXPECT_GE(birth_year, 1985) << e.id;            // the programme's first cohorts
    if (cvx == "102") {
      ++pentavalent;
      EXPECT_GE(birth_year, 2010) << e.id;
    }
    if (cvx == "01" && dose < 4) {
      EXPECT_LE(birth_year, 2009) << e.id;
    }
    if (cvx == "04") {
      EXPECT_GE(birth_year, 2014) << e.id;
    }
    int& previous = last_dose[{patient, cvx}];
    EXPECT_GT(dose, previous) << e.id;  // doses come in order
    previous = dose;
    ++checked;
  }
  EXPECT_GT(checked, 200);
  EXPECT_GT(pentavalent, 20);
  EXPECT_GT(td, 0);
}

TEST(Synth, LivesEndAtDeathAndPregnanciesAreWomens) {
  std::map<std::string, int64_t> death;
  std::map<std::string, std::string> gender;
  std::set<std::string> causes;
  for (const Emitted& e : Sample()) {
    if (e.type != "Patient") continue;
    auto doc = Parse(e);
    gender["Patient/" + e.id] = MemberString(doc, "gender");
    if (const JsonValue* d = Member(doc, "deceasedDateTime")) {
      death["Patient/" + e.id] = Day(fhir::StringView(*d));
    }
  }
  int pregnancies = 0;
  for (const Emitted& e : Sample()) {
    auto doc = Parse(e);
    if (e.type == "Encounter") {
      const std::string subject(MemberString(*Member(doc, "subject"), "reference"));
      const int64_t start = Day(MemberString(*Member(doc, "period"), "start"));
      if (death.contains(subject)) {
        EXPECT_LT(start, death[subject]) << e.id;
      }
    }
    if (e.type == "Condition") {
      const std::string code(MemberString((*Member(doc, "code"))["coding"][0], "code"));
      if (code == "Z34.9" || code == "O80.0" || code == "Z39.2") {
        ++pregnancies;
        EXPECT_EQ(gender[std::string(MemberString(*Member(doc, "subject"), "reference"))],
                  "female")
            << e.id;
      }
    }
    if (e.type == "Observation" && e.id.ends_with("-death")) {
      causes.insert(std::string(MemberString(*Member(doc, "subject"), "reference")));
    }
  }
  EXPECT_GT(pregnancies, 20);
  EXPECT_EQ(causes.size(), death.size());  // every death has its cause
}

}  // namespace
}  // namespace hb::demo
