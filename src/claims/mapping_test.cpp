// The FHIR -> table mappings on a known episode (test_episode.h): every table that
// applies, its key fields, the money, and what changes with the schema version.
#include <gtest/gtest.h>

#include "claims/claim_builder.h"
#include "claims/envelope.h"
#include "claims/test_episode.h"
#include "claims/validator.h"

namespace hb::claims {
namespace {

using testing::MakeEpisode;
using testing::SetJson;
using testing::TestCatalogs;

ClaimRecord Build(const Episode& e, SchemaVersion v = SchemaVersion::k4750) {
  ClaimErrors problems;
  auto r = BuildClaim(e, TestCatalogs(), v, &problems);
  EXPECT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : FormatError(problems[0]));
  return r.ok() ? std::move(r).value() : ClaimRecord{};
}

std::vector<std::string> Tables(const ClaimRecord& r) {
  std::vector<std::string> out;
  for (const auto& t : r.tables) out.push_back(t.def->loaihoso);
  return out;
}

TEST(Mapping, AnAdmissionHasEveryTableThatApplies) {
  const ClaimRecord r = Build(MakeEpisode());
  EXPECT_EQ(Tables(r), (std::vector<std::string>{"XML1", "XML2", "XML3", "XML4", "XML5", "XML7",
                                                 "XML8", "XML14"}));
  EXPECT_EQ(r.ma_lk, "11011_e1");
  EXPECT_TRUE(ValidateRecord(r, TestCatalogs()).empty())
      << FormatError(ValidateRecord(r, TestCatalogs())[0]);
}

TEST(Mapping, Xml1CarriesPatientCardAndEpisode) {
  const ClaimRecord r = Build(MakeEpisode());
  auto v = [&](std::string_view f) { return std::string(r.Value("XML1", f)); };
  EXPECT_EQ(v("MA_LK"), "11011_e1");
  EXPECT_EQ(v("HO_TEN"), "Lò Văn An");
  EXPECT_EQ(v("SO_CCCD"), "011090123456");
  EXPECT_EQ(v("NGAY_SINH"), "199003150000");
  EXPECT_EQ(v("GIOI_TINH"), "1");
  EXPECT_EQ(v("MA_DANTOC"), "03");
  EXPECT_EQ(v("MATINH_CU_TRU"), "11");
  EXPECT_EQ(v("MAXA_CU_TRU"), "03127");
  EXPECT_EQ(v("MA_THE_BHYT"), "GD4111234567890");
  EXPECT_EQ(v("MA_DKBD"), "11101");
  EXPECT_EQ(v("GT_THE_TU"), "20250101");
  EXPECT_EQ(v("MA_BENH_CHINH"), "J189");
  EXPECT_EQ(v("MA_BENH_KT"), "I10");
  EXPECT_EQ(v("MA_DOITUONG_KCB"), "1.7");  // district centre, not the registered station
  EXPECT_EQ(v("NGAY_VAO"), "202503100815");
  EXPECT_EQ(v("NGAY_VAO_NOI_TRU"), "202503100815");
  EXPECT_EQ(v("NGAY_RA"), "202503140930");
  EXPECT_EQ(v("SO_NGAY_DTRI"), "5");  // RA - VAO + 1 (QĐ 4750)
  EXPECT_EQ(v("KET_QUA_DTRI"), "1");
  EXPECT_EQ(v("MA_LOAI_RV"), "1");
  EXPECT_EQ(v("MA_LOAI_KCB"), "03");
  EXPECT_EQ(v("MA_KHOA"), "K03");
  EXPECT_EQ(v("CAN_NANG"), "56.25");
  EXPECT_EQ(v("NGAY_TAI_KHAM"), "20250413");
  EXPECT_EQ(v("NAM_QT"), "2025");
  EXPECT_EQ(v("THANG_QT"), "3");
}

TEST(Mapping, MoneyFollowsTheDecision) {
  const ClaimRecord r = Build(MakeEpisode());
  // Card level 4 = 80%; in network (district centre); above 15% of the base salary.
  EXPECT_EQ(r.Value("XML2", "MUC_HUONG"), "80");
  EXPECT_EQ(r.Value("XML2", "MA_THUOC"), "40.151");
  EXPECT_EQ(r.Value("XML2", "SO_LUONG"), "21");
  EXPECT_EQ(r.Value("XML2", "DON_GIA"), "720");
  EXPECT_EQ(r.Value("XML2", "THANH_TIEN_BV"), "15120");
  EXPECT_EQ(r.Value("XML2", "T_BHTT"), "12096");
  EXPECT_EQ(r.Value("XML2", "T_BNCCT"), "3024");
  EXPECT_EQ(r.Value("XML2", "LIEU_DUNG"), "1 viên/lần, 3 lần/ngày");
  EXPECT_EQ(r.Value("XML2", "NGAY_YL"), "202503100840");     // MedicationRequest.authoredOn
  EXPECT_EQ(r.Value("XML2", "NGAY_TH_YL"), "202503100900");  // MedicationDispense.whenHandedOver
  EXPECT_EQ(r.Value("XML2", "MA_BAC_SI"), "000110/ĐB-CCHN");
  // 39,800 + 15,120 + 46,200 + 1,800 + 4 x 179,100
  EXPECT_EQ(r.Value("XML1", "T_TONGCHI_BV"), "819320");
  EXPECT_EQ(r.Value("XML1", "T_THUOC"), "15120");
  EXPECT_EQ(r.Value("XML1", "T_VTYT"), "1800");
  EXPECT_EQ(r.Value("XML1", "T_BHTT"), "655456");
  EXPECT_EQ(r.Value("XML1", "T_BNCCT"), "163864");
  EXPECT_EQ(r.Value("XML3", "MA_DICH_VU", 0), "02.1896");
  EXPECT_EQ(r.Value("XML3", "MA_VAT_TU", 2), "N03.01.020");
  EXPECT_EQ(r.Value("XML3", "TEN_VAT_TU", 2), "Bơm tiêm nhựa 5 ml");
  EXPECT_EQ(r.Value("XML3", "NGUOI_THUC_HIEN", 0), "000220/ĐB-CCHN");
}

TEST(Mapping, SmallBillsAndCommuneStationsArePaidInFull) {
  Episode e = MakeEpisode();
  e.charge_items.resize(2);  // examination and drugs: under 15% of the base salary
  SetJson(e.encounter,
          R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},
      "subject":{"reference":"Patient/p1"},"period":{"start":"2025-03-10T08:15:00+07:00","end":"2025-03-10T08:45:00+07:00"},
      "serviceProvider":{"reference":"Organization/org-11011"}})");
  const ClaimRecord r = Build(e);
  EXPECT_EQ(r.Value("XML2", "MUC_HUONG"), "100");
  EXPECT_EQ(r.Value("XML1", "T_BNCCT"), "0");
  EXPECT_EQ(Tables(r), (std::vector<std::string>{"XML1", "XML2", "XML3", "XML14"}));
  EXPECT_EQ(r.Value("XML1", "SO_NGAY_DTRI"), "0");
}

TEST(Mapping, OutOfNetworkOutpatientAtTheProvinceIsNotCovered) {
  Episode e = MakeEpisode();
  e.facility = {"org-11001", "11001", "Bệnh viện Đa khoa tỉnh Điện Biên", FacilityLevel::kProvince};
  SetJson(e.encounter,
          R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},
      "subject":{"reference":"Patient/p1"},"period":{"start":"2025-03-10T08:15:00+07:00","end":"2025-03-10T08:45:00+07:00"},
      "serviceProvider":{"reference":"Organization/org-11001"}})");
  e.charge_items.resize(1);
  const ClaimRecord r = Build(e);
  EXPECT_EQ(r.Value("XML1", "MA_DOITUONG_KCB"), "3");
  EXPECT_EQ(r.Value("XML3", "MUC_HUONG"), "0");
  EXPECT_EQ(r.Value("XML1", "T_BHTT"), "0");
  EXPECT_EQ(r.Value("XML1", "T_BNCCT"), "50600");
}

TEST(Mapping, ResultsAndProgress) {
  const ClaimRecord r = Build(MakeEpisode());
  EXPECT_EQ(r.Find("XML4")->rows.size(), 2u);  // one row per component of the blood count
  EXPECT_EQ(r.Value("XML4", "MA_DICH_VU"), "22.0121.1370");
  EXPECT_EQ(r.Value("XML4", "TEN_CHI_SO"), "Số lượng bạch cầu (WBC)");
  EXPECT_EQ(r.Value("XML4", "GIA_TRI"), "12.5");
  EXPECT_EQ(r.Value("XML4", "NGAY_KQ"), "202503101000");
  EXPECT_EQ(r.Value("XML3", "NGAY_KQ", 1), "202503101000");  // the blood count line
  EXPECT_EQ(r.Value("XML5", "DIEN_BIEN_LS"), "CSST<M96_T38.6> Viêm phổi, không đặc hiệu");
  EXPECT_EQ(r.Value("XML5", "THOI_DIEM_DBLS"), "202503100820");
  EXPECT_EQ(r.Find("XML5")->rows.size(), 2u);  // the vital signs, then the discharge
  EXPECT_EQ(r.Value("XML7", "NGAY_CT"), "20250314");
  EXPECT_NE(std::string(r.Value("XML8", "TOMTAT_KQ")).find("Huyết sắc tố (HGB): 131 g/L"),
            std::string::npos);
  EXPECT_EQ(r.Value("XML14", "NGAY_HEN_KL"), "202504130800");
  EXPECT_EQ(r.Value("XML14", "SO_GIAYHEN_KL"), "ap1");
}

TEST(Mapping, ReferralUsesTheSchemaVersionsNames) {
  Episode e = MakeEpisode();
  SetJson(e.encounter,
          R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"IMP"},
      "subject":{"reference":"Patient/p1"},"participant":[{"individual":{"reference":"Practitioner/dr"}}],
      "period":{"start":"2025-03-10T08:15:00+07:00","end":"2025-03-14T09:30:00+07:00"},
      "hospitalization":{"dischargeDisposition":{"coding":[{"code":"other-hcf"}]},"destination":{"reference":"Organization/org-11001"}},
      "serviceProvider":{"reference":"Organization/org-11011"}})");
  e.organizations["org-11001"] = {"org-11001", "11001", "Bệnh viện Đa khoa tỉnh",
                                  FacilityLevel::kProvince};
  const ClaimRecord a = Build(e, SchemaVersion::k4750);
  EXPECT_EQ(a.Value("XML1", "MA_LOAI_RV"), "2");
  EXPECT_EQ(a.Value("XML1", "MA_NOI_DEN"), "11001");
  EXPECT_EQ(a.Value("XML13", "MA_NOI_DEN"), "11001");
  EXPECT_TRUE(ValidateRecord(a, TestCatalogs()).empty())
      << FormatError(ValidateRecord(a, TestCatalogs())[0]);
  const ClaimRecord b = Build(e, SchemaVersion::k3176);
  EXPECT_EQ(b.Value("XML13", "MA_CSKCB_DEN"), "11001");
  EXPECT_EQ(b.Value("XML13", "MA_NOI_DEN"), "");
  EXPECT_TRUE(ValidateRecord(b, TestCatalogs()).empty())
      << FormatError(ValidateRecord(b, TestCatalogs())[0]);
}

TEST(Mapping, RefusesWhatCannotBeClaimed) {
  Episode e = MakeEpisode();
  e.coverage.reset();
  ClaimErrors problems;
  EXPECT_EQ(BuildClaim(e, TestCatalogs(), SchemaVersion::k4750, &problems).status().code(),
            ErrorCode::kUnprocessable);
  Episode open = MakeEpisode();
  SetJson(open.encounter,
          R"({"resourceType":"Encounter","id":"e1","status":"in-progress","class":{"code":"IMP"},
      "period":{"start":"2025-03-10T08:15:00+07:00"},"serviceProvider":{"reference":"Organization/org-11011"}})");
  EXPECT_EQ(BuildClaim(open, TestCatalogs(), SchemaVersion::k4750, &problems).status().code(),
            ErrorCode::kUnprocessable);
  // An item the price list does not have is reported, not priced at zero.
  Episode unknown = MakeEpisode();
  SetJson(unknown.charge_items[0], R"({"resourceType":"ChargeItem","id":"x","status":"billable",
      "code":{"coding":[{"code":"NOT-LISTED"}]},"subject":{"reference":"Patient/p1"}})");
  ClaimErrors missing;
  ASSERT_TRUE(BuildClaim(unknown, TestCatalogs(), SchemaVersion::k4750, &missing).ok());
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].rule, "price-list");
  EXPECT_EQ(missing[0].value, "NOT-LISTED");
}

TEST(Mapping, CheckIn) {
  ClaimErrors problems;
  auto r = BuildCheckIn(MakeEpisode(), TestCatalogs(), SchemaVersion::k4750, &problems);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Value("XML0", "MA_LK"), "11011_e1");
  EXPECT_EQ(r->Value("XML0", "MA_DICH_VU"), "02.1896");  // the first charge: the examination
  EXPECT_EQ(r->Value("XML0", "MA_LOAI_KCB"), "03");
  // The file sent at check-in holds XML0 alone, and passes the validator as it is.
  const FileCheck check = ValidateFile(EnvelopeXml({&*r}, r->facility, "20250310"), TestCatalogs());
  EXPECT_TRUE(check.errors.empty()) << FormatError(check.errors[0]);
  EXPECT_EQ(check.records, 1u);
  // A visit that has just begun: no end, no charges yet.
  Episode started = MakeEpisode();
  started.charge_items.clear();
  SetJson(started.encounter,
          R"({"resourceType":"Encounter","id":"e1","status":"in-progress","class":{"code":"AMB"},
      "subject":{"reference":"Patient/p1"},"period":{"start":"2025-03-10T08:15:00+07:00"},
      "serviceProvider":{"reference":"Organization/org-11011"}})");
  auto begun = BuildCheckIn(started, TestCatalogs(), SchemaVersion::k3176, &problems);
  ASSERT_TRUE(begun.ok()) << begun.status().message();
  EXPECT_EQ(begun->Value("XML0", "NGAY_VAO"), "202503100815");
  const FileCheck again =
      ValidateFile(EnvelopeXml({&*begun}, begun->facility, "20250310"), TestCatalogs());
  EXPECT_TRUE(again.errors.empty()) << FormatError(again.errors[0]);
  // A check-in carries XML0 alone.
  ClaimRecord more = *begun;
  ClaimRecord::AddRow(more.Add("XML2")).Set("MA_LK", more.ma_lk);
  bool flagged = false;
  for (const ClaimError& e : ValidateRecord(more, TestCatalogs()))
    flagged |= e.table == "XML0" && e.rule == "table-required";
  EXPECT_TRUE(flagged);
}

}  // namespace
}  // namespace hb::claims
