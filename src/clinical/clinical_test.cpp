#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "clinical/eprescription.h"
#include "clinical/formulary.h"
#include "clinical/icd_catalog.h"
#include "clinical/prescription_checks.h"
#include "clinical/stock.h"
#include "clinical/vital_signs.h"

namespace hb::clinical {
namespace {

const IcdCatalog& Icd() {
  static const IcdCatalog icd = [] {
    std::ifstream in(HB_ICD10_CSV);
    std::stringstream ss;
    ss << in.rdbuf();
    auto c = IcdCatalog::Load(ss.str());
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(c).value();
  }();
  return icd;
}

const Formulary& Drugs() {
  static const Formulary f = [] {
    auto r = Formulary::Load(EmbeddedFormularyCsv(), EmbeddedInteractionsCsv());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }();
  return f;
}

std::vector<std::string> Codes(const std::vector<const IcdTerm*>& terms) {
  std::vector<std::string> out;
  for (const auto* t : terms) out.push_back(t->code);
  return out;
}

TEST(IcdCatalog, MarksAreSplitFromCodes) {
  const IcdTerm* tbm = Icd().Find("A17.0");
  ASSERT_NE(tbm, nullptr);
  EXPECT_EQ(tbm->mark, IcdMark::kDagger);
  EXPECT_EQ(Icd().Find("A170"), tbm);
  EXPECT_EQ(Icd().Find("A17.0\xE2\x80\xA0"), tbm);
  const IcdTerm* g01 = Icd().Find("G01");
  ASSERT_NE(g01, nullptr);
  EXPECT_EQ(g01->mark, IcdMark::kAsterisk);
}

TEST(IcdCatalog, SearchRanksCodeThenNamesWithOrWithoutDiacritics) {
  auto by_code = Codes(Icd().Search("J18", 5));
  ASSERT_FALSE(by_code.empty());
  EXPECT_EQ(by_code[0], "J18");
  EXPECT_EQ(Codes(Icd().Search("j18.9", 3))[0], "J18.9");
  auto accented = Codes(Icd().Search("viêm phổi", 50));
  auto plain = Codes(Icd().Search("viem phoi", 50));
  EXPECT_EQ(accented, plain);
  EXPECT_NE(std::find(plain.begin(), plain.end(), "J18.9"), plain.end());
  auto english = Codes(Icd().Search("pneumonia", 200));
  EXPECT_NE(std::find(english.begin(), english.end(), "J18.9"), english.end());
  EXPECT_TRUE(Icd().Search("zzzz qqq", 10).empty());
}

TEST(DiagnosisRules, AsteriskCannotBeMain) {
  auto f = CheckDiagnoses(Icd(), "G01", {"A17.0"});
  ASSERT_FALSE(f.empty());
  EXPECT_TRUE(f[0].error);
  EXPECT_EQ(f[0].rule, "asterisk-main");
  EXPECT_TRUE(CheckDiagnoses(Icd(), "A17.0", {"G01"}).empty());
}

TEST(DiagnosisRules, DaggerWithoutItsAsteriskWarns) {
  auto f = CheckDiagnoses(Icd(), "A17.0", {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].error);
  EXPECT_EQ(f[0].rule, "dagger-without-asterisk");
}

TEST(DiagnosisRules, ExternalCauseUnknownAndCategory) {
  auto ext = CheckDiagnoses(Icd(), "W19", {});
  ASSERT_FALSE(ext.empty());
  EXPECT_EQ(ext[0].rule, "external-cause-main");
  auto unknown = CheckDiagnoses(Icd(), "Q99.99", {});
  EXPECT_EQ(unknown[0].rule, "unknown-code");
  auto cat = CheckDiagnoses(Icd(), "J18", {});
  ASSERT_EQ(cat.size(), 1u);
  EXPECT_EQ(cat[0].rule, "not-specific");
  EXPECT_FALSE(cat[0].error);
  EXPECT_TRUE(CheckDiagnoses(Icd(), "J18.9", {"I10"}).empty());
}

fhir::JsonDoc Parse(const std::string& json) {
  auto d = fhir::ParseJson(json);
  EXPECT_TRUE(d.ok());
  return std::move(d).value();
}

std::string Vital(const std::string& code, const std::string& value, const std::string& unit) {
  return R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":")" +
         code + R"("}]},"valueQuantity":{"value":)" + value +
         R"(,"system":"http://unitsofmeasure.org","code":")" + unit + R"("}})";
}

TEST(VitalSigns, RefusesImpossibleValuesAndUnits) {
  EXPECT_TRUE(CheckVitalSign(Parse(Vital("8310-5", "37.2", "Cel"))).ok());
  Status hot = CheckVitalSign(Parse(Vital("8310-5", "372", "Cel")));
  EXPECT_EQ(hot.code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(hot.location(), "Observation.valueQuantity.value");
  EXPECT_FALSE(CheckVitalSign(Parse(Vital("29463-7", "60", "lb"))).ok());
  EXPECT_TRUE(CheckVitalSign(Parse(Vital("29463-7", "3200", "g"))).ok());
  const std::string bp = R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"component":[)"
      R"({"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":80,"code":"mm[Hg]"}},)"
      R"({"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":120,"code":"mm[Hg]"}}]})";
  EXPECT_EQ(CheckVitalSign(Parse(bp)).location(), "Observation.component");
}

PrescribedItem Item(const std::string& code, double per_day) {
  PrescribedItem i;
  i.drug_code = code;
  i.units_per_day = per_day;
  return i;
}

std::vector<std::string> Kinds(const std::vector<PrescriptionFinding>& f) {
  std::vector<std::string> out;
  for (const auto& x : f) out.push_back(x.kind);
  return out;
}

TEST(PrescriptionChecks, EachKindOfFinding) {
  const auto& f = Drugs();
  EXPECT_TRUE(CheckPrescription(f, {Item("T-PARA500", 3)}, {}, {}).empty());
  // 500 mg x 12 a day = 6 g > 4 g.
  EXPECT_EQ(Kinds(CheckPrescription(f, {Item("T-PARA500", 12)}, {}, {})),
            std::vector<std::string>{"max-daily-dose"});
  auto dup = CheckPrescription(f, {Item("T-PARA500", 2)}, {Item("T-PARA250", 2)}, {});
  EXPECT_EQ(Kinds(dup), std::vector<std::string>{"duplicate-ingredient"});
  auto inter = CheckPrescription(f, {Item("T-CIPRO500", 2), Item("T-ZINC10", 1)}, {}, {});
  EXPECT_EQ(Kinds(inter), std::vector<std::string>{"interaction"});
  AllergyFact penicillin{{"J01C"}, "Penicillin", "high"};
  auto allergy = CheckPrescription(f, {Item("T-AMOX500", 3)}, {}, {penicillin});
  EXPECT_EQ(Kinds(allergy), std::vector<std::string>{"allergy"});
  AllergyFact by_name{{}, "Dị ứng amoxicilin", ""};
  EXPECT_EQ(Kinds(CheckPrescription(f, {Item("T-AMOX250", 3)}, {}, {by_name})),
            std::vector<std::string>{"allergy"});
}

TEST(Formulary, FacilityInteractionsExtendTheTable) {
  const std::string extra =
      "HOAT_CHAT_1,HOAT_CHAT_2,MUC_DO,CANH_BAO,NGUON\n"
      "N02BE01,C08CA01,nhẹ,Cảnh báo thử của cơ sở,Hội đồng thuốc và điều trị\n";
  auto f = Formulary::Load(EmbeddedFormularyCsv(), EmbeddedInteractionsCsv(), extra);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_NE(f->FindInteraction("C08CA01", "N02BE01"), nullptr);
  EXPECT_EQ(Drugs().FindInteraction("C08CA01", "N02BE01"), nullptr);
  auto found = CheckPrescription(*f, {Item("T-PARA500", 2), Item("T-AMLO5", 1)}, {}, {});
  EXPECT_EQ(Kinds(found), std::vector<std::string>{"interaction"});
  auto bad = Formulary::Load(EmbeddedFormularyCsv(), EmbeddedInteractionsCsv(),
                             "HOAT_CHAT_1,HOAT_CHAT_2,MUC_DO,CANH_BAO\nN02BE01,,nhẹ,x\n");
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("row 2"), std::string::npos);
}

TEST(PrescriptionChecks, ReadsDailyQuantityFromDosage) {
  auto mr = Parse(R"({"resourceType":"MedicationRequest","medicationCodeableConcept":{"coding":[{"code":"T-PARA500"}]},
    "dosageInstruction":[{"timing":{"repeat":{"frequency":3,"period":1,"periodUnit":"d"}},
    "doseAndRate":[{"doseQuantity":{"value":2,"unit":"viên"}}]}]})");
  PrescribedItem it = ItemFromMedicationRequest(mr, Drugs(), "x");
  EXPECT_EQ(it.drug_code, "T-PARA500");
  ASSERT_TRUE(it.units_per_day.has_value());
  EXPECT_DOUBLE_EQ(*it.units_per_day, 6);
}

TEST(Stock, FirstExpiryFirstOutSkipsExpired) {
  std::vector<BatchStock> b = {{"b1", "L1", "2027-06-30", 10},
                               {"b2", "L2", "2026-12-31", 5},
                               {"b3", "L3", "2026-01-01", 100}};
  auto picks = PickFefo(b, 8, "2026-11-25", "Paracetamol");
  ASSERT_TRUE(picks.ok());
  ASSERT_EQ(picks->size(), 2u);
  EXPECT_EQ((*picks)[0].batch_id, "b2");
  EXPECT_EQ((*picks)[0].quantity, 5);
  EXPECT_EQ((*picks)[1].batch_id, "b1");
  EXPECT_EQ((*picks)[1].quantity, 3);
  auto short_of = PickFefo(b, 20, "2026-11-25", "Paracetamol");
  EXPECT_EQ(short_of.status().code(), ErrorCode::kConflict);
  EXPECT_NE(short_of.status().message().find("hết hạn"), std::string::npos);
}

TEST(EPrescription, CodeHasTheNationalShape) {
  std::string code = NationalPrescriptionCode("11001", "enc-1");
  ASSERT_EQ(code.size(), 14u);
  EXPECT_EQ(code.substr(0, 5), "11001");
  EXPECT_EQ(code.substr(12), "-c");
  EXPECT_EQ(code, NationalPrescriptionCode("11001", "enc-1"));
  EXPECT_NE(code, NationalPrescriptionCode("11001", "enc-2"));
}

}  // namespace
}  // namespace hb::clinical
