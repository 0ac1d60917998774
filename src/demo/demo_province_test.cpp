#include "demo/demo_province.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "common/ids.h"
#include "demo/cccd.h"
#include "demo/dates.h"
#include "demo/names.h"
#include "demo/test_catalogs.h"
#include "fhir/json.h"
#include "fhir/validator.h"
#include "fhir/vn_systems.h"

namespace hb::demo {
namespace {

using fhir::JsonValue;
using fhir::Member;
using fhir::MemberString;

using testing::Emitted;
using testing::Parse;

std::vector<Emitted> Generate(int patients, uint64_t seed, DemoSummary* summary = nullptr) {
  return testing::Generate({patients, seed}, summary);
}

// One 300-patient run shared by the content tests.
const std::vector<Emitted>& Sample() {
  static const std::vector<Emitted> sample = Generate(300, 1);
  return sample;
}

std::string IdentifierValue(const JsonValue& resource, std::string_view system) {
  const JsonValue* ids = Member(resource, "identifier");
  if (!ids) return {};
  for (const JsonValue& id : ids->GetArray()) {
    if (MemberString(id, "system") == system) return std::string(MemberString(id, "value"));
  }
  return {};
}

using testing::CollectReferences;

TEST(DemoProvince, SameSeedSameBytesOtherSeedOtherBytes) {
  auto a = Generate(60, 42), b = Generate(60, 42), c = Generate(60, 43);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].id, b[i].id);
    ASSERT_EQ(a[i].json, b[i].json) << a[i].id;
  }
  size_t differing = 0;
  for (size_t i = 0; i < std::min(a.size(), c.size()); ++i) differing += a[i].json != c[i].json;
  EXPECT_GT(differing, a.size() / 2);
}

TEST(DemoProvince, SmallerRunIsAPrefix) {
  auto small = Generate(20, 9), large = Generate(40, 9);
  ASSERT_LT(small.size(), large.size());
  for (size_t i = 0; i < small.size(); ++i) ASSERT_EQ(small[i].json, large[i].json) << small[i].id;
}

TEST(DemoProvince, Counts) {
  DemoSummary summary;
  auto out = Generate(300, 1, &summary);
  EXPECT_EQ(summary.Count("Patient"), 300u);
  EXPECT_EQ(summary.Total(), out.size());
  // payer, department, hospital, 10 district centres, 129 commune stations
  EXPECT_EQ(summary.Count("Organization"), 142u);
  // 140 facilities, and at the hospital 2 wards, 4 rooms, 16 beds and the pharmacy store
  EXPECT_EQ(summary.Count("Location"), 163u);
  EXPECT_EQ(summary.Count("Practitioner"), summary.Count("PractitionerRole"));
  EXPECT_EQ(summary.Count("Coverage") + 0, summary.Count("Coverage"));
  EXPECT_GT(summary.Count("Coverage"), 240u);  // ~90% insured
  EXPECT_LT(summary.Count("Coverage"), 300u);
  EXPECT_GT(summary.Count("Encounter"), 300u);
  EXPECT_GE(summary.Count("Condition"), summary.Count("Encounter"));
  EXPECT_GT(summary.Count("Observation"), 2 * summary.Count("Encounter"));
  EXPECT_GT(summary.Count("MedicationRequest"), 0u);

  // One station per commune of the catalogue, each in its own commune.
  std::set<std::string> station_communes;
  for (const Emitted& e : out) {
    if (e.type != "Organization") continue;
    auto doc = Parse(e);
    if (!MemberString(doc, "name").starts_with("Trạm Y tế ")) continue;
    const JsonValue& ext = (*Member(doc, "address"))[0]["extension"][0]["extension"][2];
    EXPECT_EQ(MemberString(ext, "url"), "commune");
    station_communes.insert(std::string(MemberString(ext["valueCoding"], "code")));
  }
  EXPECT_EQ(station_communes.size(), 129u);
}

TEST(DemoProvince, EveryResourceParsesAndReferencesComeFirst) {
  std::set<std::string> emitted;
  const std::regex date_time(R"(T\d\d:\d\d(:\d\d)?)");
  for (const Emitted& e : Sample()) {
    auto doc = Parse(e);
    ASSERT_TRUE(doc.IsObject()) << e.id;
    EXPECT_EQ(MemberString(doc, "resourceType"), e.type);
    EXPECT_EQ(MemberString(doc, "id"), e.id);
    EXPECT_TRUE(IsValidFhirId(e.id)) << e.id;
    std::vector<std::string> refs;
    CollectReferences(doc, refs);
    for (const std::string& ref : refs) EXPECT_TRUE(emitted.contains(ref)) << e.id << " -> " << ref;
    EXPECT_TRUE(emitted.insert(e.type + "/" + e.id).second) << "duplicate " << e.id;
    // Every dateTime carries Viet Nam's zone.
    for (auto it = std::sregex_iterator(e.json.begin(), e.json.end(), date_time);
         it != std::sregex_iterator(); ++it) {
      EXPECT_EQ(e.json.compare(it->position() + it->length(), 6, "+07:00"), 0) << e.id;
    }
  }
}

// Structure, cardinalities and primitive formats, by the server's own validator.
TEST(DemoProvince, EveryResourceIsValidR4) {
  for (const Emitted& e : Sample()) {
    auto doc = Parse(e);
    Status s = fhir::ValidateResource(doc, nullptr);
    EXPECT_TRUE(s.ok()) << e.id << ": " << s.ToString();
  }
}

TEST(DemoProvince, PatientsAreConsistent) {
  const auto& sys = fhir::vn::Systems();
  const std::regex card_re("^(TE|HS|SV|DT|HN|CN|BT|GD|DN|HC|HT)[1-5]11[0-9]{10}$");
  std::set<std::string> cccds;
  std::map<std::string, int> by_group;
  int patients = 0, born_in_dien_bien = 0;
  for (const Emitted& e : Sample()) {
    if (e.type != "Patient") continue;
    ++patients;
    auto doc = Parse(e);
    const std::string birth = std::string(MemberString(doc, "birthDate"));
    ASSERT_TRUE(std::regex_match(birth, std::regex(R"(\d{4}-\d{2}-\d{2})"))) << birth;
    const int year = std::stoi(birth.substr(0, 4));
    const Gender gender = MemberString(doc, "gender") == "male" ? Gender::kMale : Gender::kFemale;
    const int64_t birth_day =
        DaysFromCivil(year, std::stoi(birth.substr(5, 2)), std::stoi(birth.substr(8, 2)));
    EXPECT_LT(birth_day, kReferenceDay);

    const std::string cccd = IdentifierValue(doc, sys.cccd);
    EXPECT_TRUE(CccdMatches(cccd, gender, year)) << e.id << " " << cccd;
    EXPECT_TRUE(cccds.insert(cccd).second) << "duplicate CCCD " << cccd;
    born_in_dien_bien += cccd.starts_with("011");

    const JsonValue& ext = (*Member(doc, "extension"))[0];
    EXPECT_EQ(MemberString(ext, "url"), sys.ext_ethnicity);
    const EthnicGroup* group = GroupByCode(MemberString(ext["valueCoding"], "code"));
    ASSERT_NE(group, nullptr);
    ++by_group[std::string(group->display)];
    const JsonValue& name = (*Member(doc, "name"))[0];
    const std::string middle(fhir::StringView(name["given"][0])),
        given(fhir::StringView(name["given"][1]));
    EXPECT_TRUE(NameFitsGender(group->ethnicity, gender, middle, given))
        << e.id << " " << MemberString(name, "text");
    if (group->ethnicity == Ethnicity::kThai) {
      EXPECT_EQ(middle, gender == Gender::kMale ? "Văn" : "Thị");
    }

    const std::string card = IdentifierValue(doc, sys.bhyt_card);
    if (!card.empty()) {
      EXPECT_TRUE(std::regex_match(card, card_re)) << card;
      EXPECT_EQ(card.substr(5), IdentifierValue(doc, sys.bhxh));
      EXPECT_EQ(card.starts_with("TE"), AgeOn(birth_day, kReferenceDay) < 6) << e.id << " " << card;
    }
    const std::string managing(MemberString(*Member(doc, "managingOrganization"), "reference"));
    EXPECT_TRUE(managing.starts_with("Organization/org-11")) << managing;
  }
  EXPECT_EQ(patients, 300);
  EXPECT_GT(born_in_dien_bien, 240);
  EXPECT_GT(by_group["Thái"], 80);
  EXPECT_GT(by_group["Mông"], 70);
  EXPECT_GT(by_group["Kinh"], 30);
}

TEST(DemoProvince, SinkErrorStopsGeneration) {
  int calls = 0;
  Status s = BuildDemoProvince(
      {10, 1}, testing::RealCatalogs(), [&](std::string_view, std::string_view, std::string) {
        return ++calls == 5 ? Status(ErrorCode::kStorageError, "disk full") : Status::Ok();
      });
  EXPECT_EQ(s.code(), ErrorCode::kStorageError);
  EXPECT_EQ(calls, 5);
}

TEST(DemoProvince, BadCatalogueFails) {
  Status s = BuildDemoProvince(
      {10, 1}, Catalogs{"province_name\n", testing::RealCatalogs().icd10_csv},
      [](std::string_view, std::string_view, std::string) { return Status::Ok(); });
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
}

TEST(DemoProvince, TwoThousandPatientsTiming) {
  DemoSummary summary;
  size_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  Status s = BuildDemoProvince(
      {2000, 1}, testing::RealCatalogs(),
      [&](std::string_view, std::string_view, std::string json) {
        bytes += json.size();
        return Status::Ok();
      },
      &summary);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::printf("[ timing ] 2000 patients: %zu resources, %.1f MB in %.0f ms\n", summary.Total(),
              bytes / 1e6, ms);
  for (const auto& [type, n] : summary.counts)
    std::printf("[ counts ] %-18s %zu\n", type.c_str(), n);
  EXPECT_EQ(summary.Count("Patient"), 2000u);
}

}  // namespace
}  // namespace hb::demo
