#include "fhir/vn_systems.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "fhir/json.h"
#include "fhir/vn_facility_level.h"
#include "fhir/validator.h"

namespace hb::fhir::vn {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::pair<std::string, std::string>> SlugsAndUris(const IdentifierSystems& s) {
  return {{"cccd", s.cccd},
          {"cmnd", s.cmnd},
          {"bhyt-card", s.bhyt_card},
          {"bhxh", s.bhxh},
          {"facility", s.facility},
          {"admin-unit", s.admin_unit},
          {"practitioner-licence", s.practitioner_licence},
          {"icd-10-vn", s.icd10_vn},
          {"charge-code", s.charge_code}};
}

TEST(VnSystems, DefaultsUseTheDefaultBase) {
  IdentifierSystems s = MakeSystems(std::string(kDefaultSystemsBase));
  EXPECT_EQ(s.cccd, "https://fhir.healthbook.vn/sid/cccd");
  EXPECT_EQ(s.bhyt_card, "https://fhir.healthbook.vn/sid/bhyt-card");
  EXPECT_EQ(s.ethnic_group, "https://fhir.healthbook.vn/sid/ethnic-group");
}

TEST(VnSystems, BaseGetsATrailingSlash) {
  IdentifierSystems s = MakeSystems("https://example.org/ns");
  EXPECT_EQ(s.base, "https://example.org/ns/");
  EXPECT_EQ(s.facility, "https://example.org/ns/facility");
}

// Each NamingSystem file is valid-looking R4 and names exactly the constant's URI.
TEST(VnSystems, NamingSystemFilesMatchTheConstants) {
  IdentifierSystems s = MakeSystems(std::string(kDefaultSystemsBase));
  for (const auto& [slug, uri] : SlugsAndUris(s)) {
    SCOPED_TRACE(slug);
    std::string text =
        ReadFile(std::string(HB_VN_RESOURCES_DIR) + "/NamingSystem-" + slug + ".json");
    ASSERT_FALSE(text.empty());
    auto doc = ParseJson(text);
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    const JsonValue& ns = *doc;
    EXPECT_EQ(MemberString(ns, "resourceType"), "NamingSystem");
    EXPECT_EQ(MemberString(ns, "id"), "vn-" + slug);
    for (const char* required : {"name", "status", "kind", "date"}) {
      EXPECT_FALSE(MemberString(ns, required).empty()) << required;
    }
    EXPECT_EQ(Member(ns, "url"), nullptr);  // R4 NamingSystem has no url element
    const JsonValue* ids = Member(ns, "uniqueId");
    ASSERT_TRUE(ids && ids->IsArray() && ids->Size() == 1);
    EXPECT_EQ(MemberString((*ids)[0], "type"), "uri");
    EXPECT_EQ(MemberString((*ids)[0], "value"), uri);
    Status valid = ValidateResource(*doc, nullptr);
    EXPECT_TRUE(valid.ok()) << valid.ToString();
  }
}

TEST(VnSystems, EthnicGroupCodeSystemHas54Codes) {
  std::string text = ReadFile(std::string(HB_VN_RESOURCES_DIR) + "/CodeSystem-ethnic-group.json");
  auto doc = ParseJson(text);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(MemberString(*doc, "url"), MakeSystems(std::string(kDefaultSystemsBase)).ethnic_group);
  const JsonValue* concepts = Member(*doc, "concept");
  ASSERT_TRUE(concepts && concepts->IsArray());
  EXPECT_EQ(concepts->Size(), 54u);
  EXPECT_EQ(MemberString((*concepts)[2], "code"), "03");
  EXPECT_EQ(MemberString((*concepts)[2], "display"), "Thái");
  Status valid = ValidateResource(*doc, nullptr);
  EXPECT_TRUE(valid.ok()) << valid.ToString();
}

TEST(VnSystems, FacilityLevelCodeSystemNumbersTheFourLevels) {
  std::string text =
      ReadFile(std::string(HB_VN_RESOURCES_DIR) + "/CodeSystem-facility-level.json");
  auto doc = ParseJson(text);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(MemberString(*doc, "url"), FacilityLevelSystem());
  const JsonValue* concepts = Member(*doc, "concept");
  ASSERT_TRUE(concepts && concepts->IsArray());
  ASSERT_EQ(concepts->Size(), 4u);
  EXPECT_EQ(MemberString((*concepts)[3], "code"), kFacilityLevelCommune);
  EXPECT_EQ(MemberString((*concepts)[3], "display"), "Tuyến xã");
  Status valid = ValidateResource(*doc, nullptr);
  EXPECT_TRUE(valid.ok()) << valid.ToString();
}

// Last: it changes the process-wide singleton.
TEST(VnSystems, ConfigureAndRebase) {
  ConfigureSystemsBase("https://fhir.dienbien.gov.vn/id/");
  EXPECT_EQ(Systems().cccd, "https://fhir.dienbien.gov.vn/id/cccd");
  EXPECT_EQ(RebaseSystems(R"({"value":"https://fhir.healthbook.vn/sid/cccd","x":1})"),
            R"({"value":"https://fhir.dienbien.gov.vn/id/cccd","x":1})");
  ConfigureSystemsBase(std::string(kDefaultSystemsBase));
  EXPECT_EQ(Systems().cccd, "https://fhir.healthbook.vn/sid/cccd");
}

}  // namespace
}  // namespace hb::fhir::vn
