#include "reception/insurance_check.h"

#include <gtest/gtest.h>

#include "reception/card_history.h"

namespace hb::reception {
namespace {

using identity::CardDate;

InsuranceCard Card(std::string number, std::string facility) {
  InsuranceCard c;
  c.card_number = number;
  c.parts = *identity::ParseBhytCardNumber(number, "card");
  c.valid_from = CardDate{2026, 1, 1};
  c.valid_to = CardDate{2026, 12, 31};
  c.registered_facility = std::move(facility);
  return c;
}

TEST(InsuranceCheckTest, ValidOnTheVisitDateAndInNetwork) {
  InsuranceCheck c = CheckInsurance(Card("DN4110123456789", "11001"), {2026, 6, 1}, "11001");
  EXPECT_TRUE(c.valid);
  ASSERT_TRUE(c.in_network.has_value());
  EXPECT_TRUE(*c.in_network);
  EXPECT_EQ(c.benefit_level, 4);
  EXPECT_EQ(c.benefit_percent, 80);
  EXPECT_EQ(c.beneficiary_group, "DN");
  EXPECT_EQ(c.visit_date, "2026-06-01");
  EXPECT_TRUE(c.problems.empty());
}

TEST(InsuranceCheckTest, ValidityBoundsAreInclusive) {
  InsuranceCard card = Card("HN2110123456789", "11001");
  EXPECT_TRUE(CheckInsurance(card, {2026, 1, 1}, "11001").valid);
  EXPECT_TRUE(CheckInsurance(card, {2026, 12, 31}, "11001").valid);
  InsuranceCheck before = CheckInsurance(card, {2025, 12, 31}, "11001");
  EXPECT_FALSE(before.valid);
  EXPECT_EQ(before.problems, (std::vector<std::string>{"the card is valid only from 2026-01-01"}));
  InsuranceCheck after = CheckInsurance(card, {2027, 1, 1}, "11001");
  EXPECT_EQ(after.problems, (std::vector<std::string>{"the card expired on 2026-12-31"}));
  card.valid_to.reset();
  InsuranceCheck open = CheckInsurance(card, {2030, 1, 1}, "11001");
  EXPECT_TRUE(open.valid);
  EXPECT_FALSE(open.warnings.empty());
}

TEST(InsuranceCheckTest, NetworkAndBenefitLevels) {
  EXPECT_FALSE(*CheckInsurance(Card("DN4110123456789", "11002"), {2026, 6, 1}, "11001").in_network);
  // A temporary card (province + 000) is registered province-wide.
  EXPECT_TRUE(*CheckInsurance(Card("DN4110123456789", "11000"), {2026, 6, 1}, "11001").in_network);
  EXPECT_FALSE(*CheckInsurance(Card("DN4110123456789", "12000"), {2026, 6, 1}, "11001").in_network);
  EXPECT_FALSE(CheckInsurance(Card("DN4110123456789", ""), {2026, 6, 1}, "11001").in_network);
  EXPECT_FALSE(CheckInsurance(Card("DN4110123456789", "11001"), {2026, 6, 1}, "").in_network);
  const int expected[] = {0, 100, 100, 95, 80, 100};
  for (int level = 1; level <= 5; ++level) EXPECT_EQ(identity::BenefitPercent(level), expected[level]);
}

TEST(InsuranceCheckTest, CoverageRecordsTheCheckAndIsRecognisedAgain) {
  InsuranceCard card = Card("TE1110123456789", "11002");
  InsuranceCheck check = CheckInsurance(card, {2026, 6, 1}, "11001");
  std::string json = CoverageJson(card, check, "p1", "Lò Thị B", "payer");
  auto doc = fhir::ParseJson(json);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(fhir::MemberString(*doc, "status"), "active");
  EXPECT_EQ(fhir::MemberString(*doc, "network"), "11002");
  EXPECT_EQ(fhir::MemberString(*doc, "subscriberId"), "TE1110123456789");
  EXPECT_NE(json.find(R"("url":"in-network","valueBoolean":false)"), std::string::npos);
  EXPECT_NE(json.find(R"("reference":"Organization/payer")"), std::string::npos);
  EXPECT_TRUE(SameCoverage(json, card, check));
  InsuranceCheck other_day = CheckInsurance(card, {2026, 6, 2}, "11001");
  EXPECT_FALSE(SameCoverage(json, card, other_day));
  InsuranceCheck expired = CheckInsurance(card, {2027, 6, 1}, "11001");
  std::string cancelled = CoverageJson(card, expired, "p1", "", "");
  EXPECT_NE(cancelled.find(R"("status":"cancelled")"), std::string::npos);
  EXPECT_NE(cancelled.find("the card expired on 2026-12-31"), std::string::npos);
}

TEST(InsuranceCheckTest, CardOfPatientReadsTheIdentifierPeriod) {
  auto doc = fhir::ParseJson(R"({"resourceType":"Patient","identifier":[
    {"system":"https://fhir.healthbook.vn/sid/bhyt-card","value":"GD4110123456789",
     "period":{"start":"2026-01-01","end":"2026-12-31"}}]})");
  auto card = CardOfPatient(*doc);
  ASSERT_TRUE(card.has_value());
  EXPECT_EQ(card->parts.group, "GD");
  EXPECT_EQ(card->valid_to->ToIso(), "2026-12-31");
  EXPECT_TRUE(card->registered_facility.empty());
}

TEST(CardHistoryTest, ParsesAnswersAndAppliesThem) {
  auto ok = ParseCardHistoryResponse(
      R"({"maKetQua":"000","ghiChu":"ok","maThe":"DN4110123456789","gtTheTu":"01/01/2026",)"
      R"("gtTheDen":"30/06/2026","maDKBD":"11002","dsLichSuKCB":[{"maCSKCB":"11003",)"
      R"("ngayVao":"202605010800","ngayRa":"202605011000","tenBenh":"Cảm cúm"}]})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->verdict, CardVerdict::kValid);
  ASSERT_EQ(ok->visits.size(), 1u);
  InsuranceCard card = Card("DN4110123456789", "11001");
  InsuranceCheck c = CheckWithHistory(&card, *ok, {2026, 7, 1}, "11001");
  EXPECT_EQ(c.source, "card-history");
  EXPECT_FALSE(c.valid);        // the service knows the card ends in June
  EXPECT_FALSE(*c.in_network);  // and that it is registered elsewhere
  auto reissued = ParseCardHistoryResponse(
      R"({"maKetQua":"003","maThe":"DN4110123456789","maTheMoi":"DN2110123456789",)"
      R"("gtTheTuMoi":"01/01/2026","gtTheDenMoi":"31/12/2026"})");
  card = Card("DN4110123456789", "11001");
  c = CheckWithHistory(&card, *reissued, {2026, 7, 1}, "11001");
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(card.card_number, "DN2110123456789");
  EXPECT_EQ(c.benefit_level, 2);
  auto withdrawn = ParseCardHistoryResponse(R"({"maKetQua":"110","ghiChu":"Thẻ đã thu hồi"})");
  card = Card("DN4110123456789", "11001");
  c = CheckWithHistory(&card, *withdrawn, {2026, 7, 1}, "11001");
  EXPECT_FALSE(c.valid);
  EXPECT_EQ(c.problems.back(), "card-history 110: Thẻ đã thu hồi");
  auto failed = ParseCardHistoryResponse(R"({"maKetQua":"500"})");
  c = CheckWithHistory(&card, *failed, {2026, 7, 1}, "11001");
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.source, "card");
  EXPECT_FALSE(ParseCardHistoryResponse("<html>").ok());
  EXPECT_EQ(VerdictOf("060"), CardVerdict::kDetailsDiffer);
}

TEST(CardHistoryTest, RequestUsesTheIsolatedFieldNames) {
  EXPECT_EQ(CardHistoryRequestJson({"DN4110123456789", "LÒ VĂN A", "15/03/1990"}),
            R"({"maThe":"DN4110123456789","hoTen":"LÒ VĂN A","ngaySinh":"15/03/1990"})");
}

}  // namespace
}  // namespace hb::reception
