// An invoice and its claim agree to the last đồng (operations/billing_pricing.h): for card
// levels 1-5, in and out of network, inpatient and outpatient, items outside the fund's
// scope or with a reduced TYLE_TT_BH, and fractional quantities, the Invoice the cashier
// collects on carries exactly the claim's XML1 totals and XML2/XML3 line amounts.
#include "operations/billing_pricing.h"

#include <gtest/gtest.h>

#include "claims/claim_builder.h"
#include "claims/resources.h"
#include "claims/test_episode.h"
#include "claims/validator.h"
#include "fhir/json.h"

namespace hb::operations {
namespace {

using claims::Decimal;
using claims::testing::MakeEpisode;
using claims::testing::SetJson;
using claims::testing::TestCatalogs;

Decimal D(std::string_view text) {
  auto d = Decimal::Parse(text);
  EXPECT_TRUE(d) << "'" << text << "'";
  return d.value_or(Decimal());
}

void SetCard(claims::Episode& e, std::string_view card) {
  std::string json = fhir::Serialize(*e.coverage);
  json.replace(json.find("GD4111234567890"), 15, card);
  SetJson(*e.coverage, json);
}

void Replace(fhir::JsonDoc& doc, std::string_view from, std::string_view to) {
  std::string json = fhir::Serialize(doc);
  ASSERT_NE(json.find(from), std::string::npos) << from;
  json.replace(json.find(from), from.size(), to);
  SetJson(doc, json);
}

payments::InvoiceDraft Invoice(const claims::Episode& e, const claims::Catalogs& cat) {
  payments::InvoiceDraft d;
  Status st = PriceInvoice(e, cat, 20250310, d);
  EXPECT_TRUE(st.ok()) << st.message();
  // What is stored and read back is what the cashier collects on.
  d.reference = "HB0123ABCD";
  auto state = payments::ReadInvoice(payments::InvoiceJson(d));
  EXPECT_TRUE(state.ok());
  EXPECT_EQ(state->patient_share, d.patient_due);
  return d;
}

// Every amount of the invoice equals the claim's; returns the claim for further checks.
claims::ClaimRecord ExpectAgreement(const claims::Episode& e, const claims::Catalogs& cat) {
  const payments::InvoiceDraft inv = Invoice(e, cat);
  claims::ClaimErrors problems;
  auto r = claims::BuildClaim(e, cat, claims::SchemaVersion::k4750, &problems);
  EXPECT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(problems.empty());
  if (!r.ok()) return {};
  EXPECT_TRUE(claims::ValidateRecord(*r, cat).empty())
      << claims::FormatError(claims::ValidateRecord(*r, cat)[0]);
  auto x = [&](std::string_view table, std::string_view field, size_t row = 0) {
    return D(r->Value(table, field, row));
  };
  EXPECT_EQ(D(inv.gross), x("XML1", "T_TONGCHI_BV"));
  EXPECT_EQ(D(inv.insurance), x("XML1", "T_BHTT"));
  EXPECT_EQ(D(inv.patient), x("XML1", "T_BNCCT") + x("XML1", "T_BNTT"));
  EXPECT_EQ(D(inv.gross), D(inv.insurance) + D(inv.patient));
  // Line by line: drugs (XML2) first, then services and supplies (XML3), in the same order.
  size_t line = 0;
  for (const char* table : {"XML2", "XML3"}) {
    const claims::TableRows* t = r->Find(table);
    for (size_t row = 0; t && row < t->rows.size(); ++row, ++line) {
      EXPECT_LT(line, inv.lines.size());
      if (line >= inv.lines.size()) return std::move(r).value();
      const payments::InvoiceLine& l = inv.lines[line];
      EXPECT_EQ(D(l.gross), x(table, "THANH_TIEN_BV", row)) << table << " row " << row;
      EXPECT_EQ(D(l.insurance), x(table, "T_BHTT", row)) << table << " row " << row;
      EXPECT_EQ(D(l.patient), x(table, "T_BNCCT", row) + x(table, "T_BNTT", row));
      EXPECT_EQ(D(l.quantity), x(table, "SO_LUONG", row));
    }
  }
  EXPECT_EQ(line, inv.lines.size());
  return std::move(r).value();
}

TEST(InvoiceAndClaimAgree, EveryBenefitLevel) {
  // level -> MUC_HUONG for an admission in network above 15% of the base salary.
  const std::pair<const char*, const char*> cards[] = {{"GD1111234567890", "100"},
                                                       {"GD2111234567890", "100"},
                                                       {"GD3111234567890", "95"},
                                                       {"GD4111234567890", "80"},
                                                       {"GD5111234567890", "100"}};
  for (const auto& [card, muc] : cards) {
    SCOPED_TRACE(card);
    claims::Episode e = MakeEpisode();
    SetCard(e, card);
    const claims::ClaimRecord r = ExpectAgreement(e, TestCatalogs());
    EXPECT_EQ(r.Value("XML2", "MUC_HUONG"), muc);
  }
  // The worked figures (docs/implementation/billing.md): level 4, 819,320 đồng in scope.
  const payments::InvoiceDraft inv = Invoice(MakeEpisode(), TestCatalogs());
  EXPECT_EQ(inv.gross, "819320");
  EXPECT_EQ(inv.insurance, "655456");
  EXPECT_EQ(inv.patient, "163864");
  EXPECT_EQ(inv.patient_due, 163864);
  EXPECT_EQ(inv.lines[0].insurance, "12096");  // amoxicillin 21 x 720 x 80 %
}

TEST(InvoiceAndClaimAgree, OutOfNetwork) {
  // Outpatient at a provincial hospital outside the card's facility: the fund pays nothing.
  claims::Episode e = MakeEpisode();
  e.facility = {"org-11001", "11001", "Bệnh viện Đa khoa tỉnh Điện Biên",
                claims::FacilityLevel::kProvince};
  SetJson(e.encounter,
          R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},
      "subject":{"reference":"Patient/p1"},"period":{"start":"2025-03-10T08:15:00+07:00","end":"2025-03-10T08:45:00+07:00"},
      "serviceProvider":{"reference":"Organization/org-11001"}})");
  e.charge_items.resize(3);
  e.appointments.clear();
  claims::ClaimRecord r = ExpectAgreement(e, TestCatalogs());
  EXPECT_EQ(r.Value("XML1", "MA_DOITUONG_KCB"), "3");
  EXPECT_EQ(Invoice(e, TestCatalogs()).insurance, "0");
  // A central hospital's inpatient out of network: 40 % of the level's rate.
  e = MakeEpisode();
  e.facility = {"org-01001", "01001", "Bệnh viện Bạch Mai", claims::FacilityLevel::kCentral};
  SetCard(e, "GD3111234567890");
  e.charge_items.resize(4);  // the bed-day price is listed for the province's own facilities
  r = ExpectAgreement(e, TestCatalogs());
  EXPECT_EQ(r.Value("XML1", "MA_DOITUONG_KCB"), "3.2");
  EXPECT_EQ(r.Value("XML2", "MUC_HUONG"), "38");  // 95 % x 40 %
  // In network at the registered station: small bills are paid in full.
  e = MakeEpisode();
  e.facility = e.registered;
  e.charge_items.resize(2);
  r = ExpectAgreement(e, TestCatalogs());
  EXPECT_EQ(r.Value("XML1", "MA_DOITUONG_KCB"), "1.1");
  EXPECT_EQ(Invoice(e, TestCatalogs()).patient, "0");
}

TEST(InvoiceAndClaimAgree, OutOfScopeReducedRatioAndFractions) {
  // A facility list where the blood count is outside the fund's scope (PHAM_VI 2) and the
  // syringe is recognised at 50 % (TYLE_TT_BH).
  std::string dvkt(claims::EmbeddedResource("demo-price-list/dvkt.csv"));
  std::string vtyt(claims::EmbeddedResource("demo-price-list/vtyt.csv"));
  const std::string cbc = "XN-CTM,22.0121.1370,";
  size_t at = dvkt.find(cbc);
  ASSERT_NE(at, std::string::npos);
  size_t eol = dvkt.find('\n', at);
  std::string row = dvkt.substr(at, eol - at);
  // ...,TYLE_TT_DV,TYLE_TT_BH,PHAM_VI,... : PHAM_VI is the 10th column.
  std::vector<size_t> commas;
  for (size_t i = 0; i < row.size(); ++i)
    if (row[i] == ',') commas.push_back(i);
  ASSERT_GE(commas.size(), 10u);
  row.replace(commas[8] + 1, commas[9] - commas[8] - 1, "2");
  dvkt.replace(at, eol - at, row);
  const std::string syringe = "900,900,10,100,1";
  ASSERT_NE(vtyt.find(syringe), std::string::npos);
  vtyt.replace(vtyt.find(syringe), syringe.size(), "900,900,10,50,1");
  auto prices =
      claims::PriceList::Load(claims::EmbeddedResource("demo-price-list/thuoc.csv"), dvkt, vtyt);
  ASSERT_TRUE(prices.ok()) << prices.status().message();
  claims::Catalogs cat = TestCatalogs();
  cat.prices = &*prices;

  claims::Episode e = MakeEpisode();
  // Half a box of syringes, a fractional quantity: 2.5 x 900 = 2,250 at 50 % and 80 %.
  Replace(e.charge_items[3], "\"value\":2}", "\"value\":2.5}");
  const claims::ClaimRecord r = ExpectAgreement(e, cat);
  const payments::InvoiceDraft inv = Invoice(e, cat);
  EXPECT_EQ(inv.lines[2].insurance, "0");    // blood count: out of scope
  EXPECT_EQ(inv.lines[2].patient, "46200");  // all of it the patient's
  EXPECT_FALSE(inv.lines[2].in_scope);
  EXPECT_EQ(inv.lines[3].gross, "2250");
  EXPECT_EQ(inv.lines[3].insurance, "900");  // 2,250 x 50 % x 80 %
  EXPECT_EQ(inv.lines[3].patient, "1350");
  EXPECT_EQ(r.Value("XML3", "PHAM_VI", 1), "2");
}

TEST(InvoiceAndClaimAgree, FractionsOfADongAreCollectedRounded) {
  claims::Episode e = MakeEpisode();
  // 20.333 x 720 = 14,639.76 at 95 %: the fund 13,907.77 (2 decimals), co-payment 731.99.
  Replace(e.charge_items[1], "\"value\":21}", "\"value\":20.333}");
  SetCard(e, "GD3111234567890");
  ExpectAgreement(e, TestCatalogs());
  const payments::InvoiceDraft inv = Invoice(e, TestCatalogs());
  EXPECT_EQ(inv.lines[0].gross, "14639.76");
  EXPECT_EQ(inv.lines[0].insurance, "13907.77");
  EXPECT_EQ(inv.lines[0].patient, "731.99");
  EXPECT_EQ(inv.patient_due, D(inv.patient).Round(0).ToInteger());
  EXPECT_NE(D(inv.patient), Decimal::FromInt(inv.patient_due));  // a real fraction
}

TEST(InvoiceAndClaimAgree, UninsuredPatientsPayEverything) {
  claims::Episode e = MakeEpisode();
  e.coverage.reset();
  const payments::InvoiceDraft inv = Invoice(e, TestCatalogs());
  EXPECT_EQ(inv.gross, "819320");
  EXPECT_EQ(inv.insurance, "0");
  EXPECT_EQ(inv.patient, "819320");
  EXPECT_TRUE(inv.coverage_id.empty());
}

TEST(InvoicePricing, UnlistedItemsNeedAPrice) {
  claims::Episode e = MakeEpisode();
  Replace(e.charge_items[0], "\"code\":\"KB\"", "\"code\":\"SA-YC\"");
  payments::InvoiceDraft d;
  Status st = PriceInvoice(e, TestCatalogs(), 20250310, d);
  EXPECT_EQ(st.code(), ErrorCode::kUnprocessable);
  EXPECT_NE(st.message().find("price list"), std::string::npos) << st.message();
  // With a priceOverride it is billed to the patient, outside the fund's scope...
  Replace(e.charge_items[0], "\"status\":\"billable\"",
          "\"status\":\"billable\",\"priceOverride\":{\"value\":150000,\"currency\":\"VND\"}");
  ASSERT_TRUE(PriceInvoice(e, TestCatalogs(), 20250310, d).ok());
  const payments::InvoiceLine* sa = nullptr;
  for (const auto& l : d.lines)
    if (l.code == "SA-YC") sa = &l;
  ASSERT_NE(sa, nullptr);
  EXPECT_EQ(sa->insurance, "0");
  EXPECT_EQ(sa->patient, "150000");
  // ...but the claim stays stopped until the item is in the price list.
  claims::ClaimErrors problems;
  (void)claims::BuildClaim(e, TestCatalogs(), claims::SchemaVersion::k4750, &problems);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].rule, "price-list");
}

// A day's invoice is the sum of its encounters' invoices, each priced as its own claim:
// lines in order, exact totals, the share collected rounded once from the exact sum.
TEST(DayInvoice, SumsEncountersExactly) {
  payments::InvoiceDraft a, b, day;
  a.gross = "1000.4";
  a.insurance = "800";
  a.patient = "200.4";
  a.patient_due = 200;
  a.lines.push_back({"c1", "KB", "", "1", "1000.4", "1000.4", "800", "200.4", true});
  b.gross = "500.3";
  b.insurance = "0";
  b.patient = "500.3";
  b.patient_due = 500;
  b.coverage_id = "cov1";
  b.coverage_display = "BHYT GD4..., mức hưởng 80%";
  b.lines.push_back({"c2", "SA-YC", "", "1", "500.3", "500.3", "0", "500.3", false});
  ASSERT_TRUE(AddToDayInvoice(a, day).ok());
  ASSERT_TRUE(AddToDayInvoice(b, day).ok());
  EXPECT_EQ(day.gross, "1500.7");
  EXPECT_EQ(day.insurance, "800");
  EXPECT_EQ(day.patient, "700.7");
  EXPECT_EQ(day.patient_due, 701);  // not 200 + 500: rounded once, from the exact sum
  ASSERT_EQ(day.lines.size(), 2u);
  EXPECT_EQ(day.lines[0].charge_item_id, "c1");
  EXPECT_EQ(day.lines[1].charge_item_id, "c2");
  EXPECT_EQ(day.coverage_id, "cov1");
  b.gross = "x";
  EXPECT_EQ(AddToDayInvoice(b, day).code(), ErrorCode::kInternal);
}

// Two real episodes on one day: the day's totals are the two claims' totals added.
TEST(DayInvoice, AgreesWithEachEncountersClaim) {
  claims::Episode insured = MakeEpisode();
  claims::Episode uninsured = MakeEpisode();
  uninsured.coverage.reset();
  const payments::InvoiceDraft a = Invoice(insured, TestCatalogs());
  const payments::InvoiceDraft b = Invoice(uninsured, TestCatalogs());
  payments::InvoiceDraft day;
  ASSERT_TRUE(AddToDayInvoice(a, day).ok());
  ASSERT_TRUE(AddToDayInvoice(b, day).ok());
  EXPECT_EQ(D(day.gross), D(a.gross) + D(b.gross));
  EXPECT_EQ(D(day.insurance), D(a.insurance) + D(b.insurance));
  EXPECT_EQ(D(day.patient), D(a.patient) + D(b.patient));
  EXPECT_EQ(day.lines.size(), a.lines.size() + b.lines.size());
  EXPECT_EQ(day.coverage_id, a.coverage_id);
}

}  // namespace
}  // namespace hb::operations
