// IsCommuneStation: the coded facility level decides; the type text only without one.
#include <gtest/gtest.h>

#include <string>

#include "fhir/json.h"
#include "fhir/vn_facility_level.h"
#include "operations/op_support.h"

namespace hb::operations {
namespace {

bool Station(const std::string& json) {
  auto doc = fhir::ParseJson(json);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return doc.ok() && IsCommuneStation(*doc);
}

std::string Org(const std::string& level, const std::string& text) {
  std::string coding = R"({"system":"http://terminology.hl7.org/CodeSystem/organization-type","code":"prov"})";
  if (!level.empty()) {
    coding += R"(,{"system":")" + fhir::vn::FacilityLevelSystem() + R"(","code":")" + level + R"("})";
  }
  return R"({"resourceType":"Organization","type":[{"coding":[)" + coding + R"(],"text":")" + text +
         R"("}]})";
}

TEST(IsCommuneStation, TheCodedLevelDecides) {
  EXPECT_TRUE(Station(Org("4", "Trạm y tế tuyến xã")));
  EXPECT_TRUE(Station(Org("4", "Phòng khám")));  // coded commune, whatever the text
  // Coded as a district centre: not a station even if its text names one.
  EXPECT_FALSE(Station(Org("3", "Trạm y tế tuyến xã")));
  EXPECT_FALSE(Station(Org("2", "Bệnh viện đa khoa tuyến tỉnh")));
}

TEST(IsCommuneStation, WithoutALevelTheTypeTextIsRead) {
  EXPECT_TRUE(Station(Org("", "Trạm y tế xã Thanh Minh")));
  EXPECT_TRUE(Station(Org("", "Commune health station")));
  EXPECT_FALSE(Station(Org("", "Bệnh viện đa khoa tỉnh")));
  EXPECT_FALSE(Station(R"({"resourceType":"Organization","name":"Trạm y tế xã"})"));  // no type
}

}  // namespace
}  // namespace hb::operations
