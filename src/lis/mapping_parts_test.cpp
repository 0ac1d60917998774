// The pieces the HL7 v2 mappings are made of: partial updates (MergeUpdate, SameContent),
// the local code map and its ConceptMap, units, numbers and the code tables.
#include <gtest/gtest.h>

#include "fhir/vn_systems.h"
#include "lis/code_tables.h"
#include "lis/lis_systems.h"
#include "lis/local_codes.h"
#include "lis/mapping_context.h"
#include "lis/update_merge.h"

namespace hb::lis {
namespace {

fhir::JsonDoc Json(std::string_view text) {
  auto doc = fhir::ParseJson(text);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return std::move(doc).value();
}

TEST(MergeUpdateTest, KeepsWhatTheMessageDoesNotSayAndUnitesIdentifiers) {
  const std::string tag = ReconciliationTagSystem();
  fhir::JsonDoc current = Json(R"({"resourceType":"Patient","id":"p1",
      "meta":{"versionId":"3","lastUpdated":"2024-01-01T00:00:00Z","tag":[
        {"system":")" + tag + R"(","code":"provisional"},{"system":"x","code":"keep"}]},
      "identifier":[{"system":"cccd","value":"011189012345"},{"system":"bhyt","value":"DN4"}],
      "active":false,"managingOrganization":{"reference":"Organization/a"},
      "extension":[{"url":"e","valueString":"v"}],"name":[{"family":"Cũ"}]})");
  fhir::JsonDoc incoming = Json(R"({"resourceType":"Patient",
      "identifier":[{"system":"mrn","value":"BN1"},{"system":"cccd","value":"011189012345","use":"official"}],
      "active":true,"managingOrganization":{"reference":"Organization/b"},"name":[{"family":"Mới"}]})");
  MergeRule rule{true, {"managingOrganization", "active"}, {"provisional"}};
  MergeUpdate(incoming, incoming.GetAllocator(), current, rule);
  EXPECT_EQ(
      fhir::Serialize(incoming),
      R"({"resourceType":"Patient","identifier":[{"system":"bhyt","value":"DN4"},)"
      R"({"system":"mrn","value":"BN1"},{"system":"cccd","value":"011189012345","use":"official"}],)"
      R"("active":false,"managingOrganization":{"reference":"Organization/a"},)"
      R"("name":[{"family":"Mới"}],"extension":[{"url":"e","valueString":"v"}],)"
      R"("meta":{"tag":[{"system":"x","code":"keep"}]}})");
}

TEST(MergeUpdateTest, UnitedArraysKeepTheCurrentItems) {
  fhir::JsonDoc current = Json(R"({"resourceType":"DiagnosticReport","id":"r","status":"final",
      "result":[{"reference":"Observation/a"},{"reference":"Observation/b"}],
      "presentedForm":[{"contentType":"application/pdf","data":"QQ=="}]})");
  fhir::JsonDoc incoming = Json(R"({"resourceType":"DiagnosticReport","status":"corrected",
      "result":[{"reference":"Observation/b"},{"reference":"Observation/c"}]})");
  MergeRule rule;
  rule.merge = true;
  rule.unite = {"result"};
  MergeUpdate(incoming, incoming.GetAllocator(), current, rule);
  EXPECT_EQ(fhir::Serialize(incoming),
            R"({"resourceType":"DiagnosticReport","status":"corrected","result":[)"
            R"({"reference":"Observation/a"},{"reference":"Observation/b"},)"
            R"({"reference":"Observation/c"}],"presentedForm":[{"contentType":"application/pdf",)"
            R"("data":"QQ=="}]})");
}

TEST(MergeUpdateTest, MergedObjectsKeepTheMembersTheMessageLeavesOut) {
  fhir::JsonDoc current = Json(R"({"resourceType":"Encounter","id":"e","status":"in-progress",
      "period":{"start":"2024-03-15T07:40:00+07:00"}})");
  fhir::JsonDoc incoming = Json(R"({"resourceType":"Encounter","status":"finished",
      "period":{"end":"2024-03-20T08:30:00+07:00"}})");
  MergeRule rule;
  rule.merge = true;
  rule.merge_objects = {"period"};
  MergeUpdate(incoming, incoming.GetAllocator(), current, rule);
  EXPECT_EQ(fhir::Serialize(incoming),
            R"({"resourceType":"Encounter","status":"finished","period":{)"
            R"("start":"2024-03-15T07:40:00+07:00","end":"2024-03-20T08:30:00+07:00"}})");
}

TEST(MergeUpdateTest, ReplaceRuleLeavesTheMessageAsItIs) {
  fhir::JsonDoc current = Json(R"({"resourceType":"Observation","id":"o","status":"final"})");
  fhir::JsonDoc incoming = Json(R"({"resourceType":"Observation","status":"corrected"})");
  MergeUpdate(incoming, incoming.GetAllocator(), current, MergeRule{});
  EXPECT_EQ(fhir::Serialize(incoming), R"({"resourceType":"Observation","status":"corrected"})");
}

TEST(MergeUpdateTest, SameContentIgnoresServerVersioningAndMemberOrder) {
  fhir::JsonDoc stored = Json(R"({"resourceType":"Observation","id":"o","meta":{"versionId":"2",
      "lastUpdated":"2024-01-01T00:00:00Z"},"status":"final","valueQuantity":{"value":7.80}})");
  EXPECT_TRUE(SameContent(stored, Json(R"({"valueQuantity":{"value":7.80},"status":"final",
      "resourceType":"Observation"})")));
  EXPECT_FALSE(SameContent(stored, Json(R"({"resourceType":"Observation","status":"final",
      "valueQuantity":{"value":7.8}})")))
      << "a decimal's precision is part of the result";
  EXPECT_FALSE(SameContent(stored, Json(R"({"resourceType":"Observation","status":"final",
      "meta":{"tag":[{"code":"x"}]},"valueQuantity":{"value":7.80}})")));
}

TEST(LocalCodeMapTest, CsvToConceptMapAndBack) {
  auto map = LocalCodeMap::FromCsv(
      "local_code,local_display,loinc_code,loinc_display\n"
      "GLU,Glucose máu,14749-6,Glucose [Moles/volume] in Serum or Plasma\r\n"
      "\"NA, K\",\"Điện giải \"\"đồ\"\"\",24326-1,Electrolytes panel\n");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->size(), 2u);
  ASSERT_NE(map->Find("NA, K"), nullptr);
  EXPECT_EQ(map->Find("NA, K")->local_display, "Điện giải \"đồ\"");
  EXPECT_EQ(map->Find("CRE"), nullptr);
  std::string cm = map->ToConceptMapJson("11001");
  fhir::JsonDoc doc = Json(cm);
  EXPECT_EQ(fhir::MemberString(doc, "id"), "lis-local-loinc-11001");
  auto back = LocalCodeMap::FromConceptMap(doc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Find("GLU")->loinc, "14749-6");
  EXPECT_EQ(back->size(), 2u);
}

TEST(LocalCodeMapTest, RefusesBrokenLinesAndUsesOnlyEquivalentTargets) {
  auto bad = LocalCodeMap::FromCsv("h\nGLU,Glucose\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("record 2"), std::string::npos);
  EXPECT_FALSE(LocalCodeMap::FromCsv("h\nA,a,1-1,x\nA,a,2-2,y\n").ok());
  fhir::JsonDoc cm = Json(R"({"resourceType":"ConceptMap","group":[{"target":"http://loinc.org",
      "element":[{"code":"A","target":[{"code":"1-1","equivalence":"wider"}]},
                 {"code":"B","target":[{"code":"2-2","equivalence":"equivalent"}]}]}]})");
  auto map = LocalCodeMap::FromConceptMap(cm);
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->Find("A"), nullptr);
  EXPECT_EQ(map->Find("B")->loinc, "2-2");
}

TEST(CodeTablesTest, UnitsToUcum) {
  EXPECT_EQ(UcumCode("mmol/l"), "mmol/L");
  EXPECT_EQ(UcumCode("µmol/L"), "umol/L");
  EXPECT_EQ(UcumCode("10^9/L"), "10*9/L");
  EXPECT_EQ(UcumCode("G/L"), "10*9/L");
  EXPECT_EQ(UcumCode("g/L"), "g/L");
  EXPECT_EQ(UcumCode("IU/L"), "[IU]/L");
  EXPECT_EQ(UcumCode("mg/dl"), "mg/dL");
  EXPECT_EQ(UcumCode("%"), "%");
  EXPECT_EQ(UcumCode("bananas/L"), std::nullopt);
  EXPECT_EQ(UcumCode(""), std::nullopt);
}

TEST(CodeTablesTest, FlagsStatusesAndSystems) {
  EXPECT_EQ(Interpretation("HH")->display, "Critical high");
  EXPECT_EQ(Interpretation("?"), std::nullopt);
  EXPECT_EQ(ObservationStatus("C"), "corrected");
  EXPECT_EQ(ObservationStatus("W"), "entered-in-error");
  EXPECT_EQ(ReportStatus("A"), "partial");
  EXPECT_EQ(ReportStatus(""), "");
  EXPECT_EQ(CodingSystemUri("LN", "11001"), "http://loinc.org");
  EXPECT_EQ(CodingSystemUri("99VN", "11001"), LocalLabCodeSystem("11001"));
  EXPECT_EQ(CodingSystemUri("HL70078", "11001"), "http://terminology.hl7.org/CodeSystem/v2-0078");
  EXPECT_EQ(CodingSystemUri("ACME LAB", "11001"), OtherCodingSystem("ACME-LAB"));
  EXPECT_EQ(OtherIdentifierSystem("Sở Y tế"), fhir::vn::Systems().base + "hl7v2-id/S----Y-t---");
  EXPECT_EQ(fhir::EscapeSearchValue("a,b|c$d\\e"), "a\\,b\\|c\\$d\\\\e");
  EXPECT_EQ(TokenCondition("s", "HIV 1+2&x,ổ"), "s|HIV%201%2B2%26x\\,%E1%BB%95");
}

TEST(CodeTablesTest, Hl7NumbersBecomeJsonNumbers) {
  EXPECT_EQ(JsonNumber("7.80"), "7.80");
  EXPECT_EQ(JsonNumber("+7.8"), "7.8");
  EXPECT_EQ(JsonNumber(".5"), "0.5");
  EXPECT_EQ(JsonNumber("-.5"), "-0.5");
  EXPECT_EQ(JsonNumber("5."), "5");
  EXPECT_EQ(JsonNumber("007"), "7");
  EXPECT_EQ(JsonNumber("00.5"), "0.5");
  EXPECT_EQ(JsonNumber("1e5"), "");
  EXPECT_EQ(JsonNumber(""), "");
}

}  // namespace
}  // namespace hb::lis
