#include "demo/catalogs.h"

#include <gtest/gtest.h>

#include <array>

#include "demo/clinical_catalog.h"
#include "demo/test_catalogs.h"

namespace hb::demo {
namespace {

TEST(DemoCatalogs, DienBienHas10DistrictsAnd129Communes) {
  auto province = LoadProvince(testing::RealCatalogs().admin_units_csv, "11");
  ASSERT_TRUE(province.ok()) << province.status().ToString();
  EXPECT_EQ(province->name, "Tỉnh Điện Biên");
  EXPECT_EQ(province->districts.size(), 10u);
  EXPECT_EQ(province->CommuneCount(), 129u);
  EXPECT_EQ(province->districts.front().code, "094");
  EXPECT_EQ(province->districts.front().communes.front().name, "Phường Noong Bua");
}

TEST(DemoCatalogs, UnknownProvinceFails) {
  EXPECT_FALSE(LoadProvince(testing::RealCatalogs().admin_units_csv, "99").ok());
}

TEST(DemoCatalogs, EveryDemoDiagnosisIsInQd4469) {
  auto icd = LoadIcdCodes(testing::RealCatalogs().icd10_csv, DiagnosisCodes());
  ASSERT_TRUE(icd.ok()) << icd.status().ToString();
  EXPECT_EQ(icd->size(), DiagnosisCodes().size());
  EXPECT_EQ(icd->at("J06.9").name_vi, "Nhiễm trùng đường hô hấp trên cấp, không phân loại");
  const std::array<std::string_view, 1> missing = {"Q99.99"};
  EXPECT_FALSE(LoadIcdCodes(testing::RealCatalogs().icd10_csv, missing).ok());
}

TEST(DemoCatalogs, EveryFormularyKeyExistsForSomeAge) {
  for (const DiagnosisSpec& d : Diagnoses()) {
    for (std::string_view key : d.medicines) {
      if (key.empty()) continue;
      bool found = false;
      for (int age = 0; age <= 100 && !found; ++age) found = FindMedicine(key, age) != nullptr;
      EXPECT_TRUE(found) << key;
    }
  }
}

}  // namespace
}  // namespace hb::demo
