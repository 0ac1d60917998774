#include <gtest/gtest.h>

#include "payments/billing_records.h"
#include "payments/billing_split.h"
#include "payments/payment_security.h"
#include "payments/price_catalog.h"
#include "payments/vnd.h"

namespace hb::payments {
namespace {

TEST(Vnd, ParsesDecimalsExactly) {
  EXPECT_EQ(ParseVnd("150000"), 150000);
  EXPECT_EQ(ParseVnd("150000.00"), 150000);
  EXPECT_EQ(ParseVnd("0.5"), 1);
  EXPECT_EQ(ParseVnd("-12.49"), -12);
  EXPECT_FALSE(ParseVnd("1e6"));
  EXPECT_FALSE(ParseVnd("1,000"));
  EXPECT_EQ(ParseMilli("0.5"), 500);
  EXPECT_FALSE(ParseMilli("0.0001"));
  EXPECT_EQ(FormatVnd(1234567), "1.234.567");
  EXPECT_EQ(FormatVnd(-900), "-900");
}

TEST(Vnd, RoundsHalfAwayFromZero) {
  EXPECT_EQ(MulDivRound(5, 1, 2), 3);
  EXPECT_EQ(MulDivRound(-5, 1, 2), -3);
  EXPECT_EQ(MulDivRound(35800, 80, 100), 28640);
}

// The worked example of docs/implementation/billing.md.
TEST(BillingSplit, WorkedExample) {
  std::vector<ChargeLine> lines = {
      {"c1", "KB", "Khám Nội", 1000, 39800, true, 100},
      {"c2", "T-PARA500", "Paracetamol", 10000, 195, true, 100},
      {"c3", "VT-KIMLUON", "Kim luồn", 1000, 9500, true, 50},
      {"c4", "SA", "Siêu âm theo yêu cầu", 1000, 150000, false, 100},
  };
  CoverageTerms t{true, "cov", 80, true, 100};
  InvoiceSplit s = SplitCharges(lines, t);
  ASSERT_EQ(s.lines.size(), 4u);
  EXPECT_EQ(s.lines[0].insurance, 31840);  // 39800 x 80 %
  EXPECT_EQ(s.lines[1].gross, 1950);
  EXPECT_EQ(s.lines[1].insurance, 1560);
  EXPECT_EQ(s.lines[2].insurance, 3800);  // 9500 x 50 % x 80 %
  EXPECT_EQ(s.lines[3].insurance, 0);     // out of scope
  EXPECT_EQ(s.gross, 201250);
  EXPECT_EQ(s.insurance, 37200);
  EXPECT_EQ(s.patient, 164050);
  t.in_network = false;
  t.out_of_network_percent = 40;
  s = SplitCharges(lines, t);
  EXPECT_EQ(s.lines[0].insurance, 12736);  // 39800 x 80 % x 40 %
  EXPECT_EQ(s.gross, s.insurance + s.patient);
}

TEST(BillingSplit, UninsuredPaysAll) {
  InvoiceSplit s = SplitCharges({{"c", "X", "x", 1500, 1001, true, 100}}, {});
  EXPECT_EQ(s.gross, 1502);  // 1001 x 1.5 = 1501.5 -> 1502
  EXPECT_EQ(s.patient, 1502);
}

TEST(PriceCatalog, FacilityRowBeforeGeneral) {
  auto general = FindCatalogPrice("KB", "99999", "20250301");
  ASSERT_TRUE(general);
  EXPECT_EQ(general->unit_price, 35800);
  auto own = FindCatalogPrice("KB", "11011", "20250301");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->unit_price, 39800);
  auto para2024 = FindCatalogPrice("T-PARA500", "", "20240601");
  ASSERT_TRUE(para2024);
  EXPECT_EQ(para2024->unit_price, 180);
  EXPECT_EQ(FindCatalogPrice("T-PARA500", "", "20250601")->unit_price, 195);
  EXPECT_FALSE(FindCatalogPrice("40.48", "", "20250601"));  // national codes are ambiguous
  EXPECT_FALSE(FindCatalogPrice("NO-SUCH-CODE", "", "20250601"));
}

TEST(PaymentSecurity, HmacKnownAnswer) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_TRUE(VerifyHmacHex("Jefe", "what do ya want for nothing?",
                            "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"));
  EXPECT_FALSE(VerifyHmacHex("Jefe", "what do ya want for nothing!",
                             HmacSha256Hex("Jefe", "what do ya want for nothing?")));
  EXPECT_FALSE(VerifyHmacHex("", "x", HmacSha256Hex("", "x")));
}

TEST(PaymentSecurity, References) {
  std::string r = NewPaymentReference();
  ASSERT_EQ(r.size(), 10u);
  EXPECT_EQ(r.substr(0, 2), "HB");
  auto found =
      FindPaymentReferences("NGUYEN VAN A chuyen tien hb-" + r.substr(2, 4) + " " + r.substr(6));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], r);
  EXPECT_TRUE(FindPaymentReferences("HB 1234").empty());
  EXPECT_TRUE(FindPaymentReferences("HBIIIIIIII").empty());  // I is not base32 (Crockford)
}

TEST(BillingRecords, InvoiceRoundTrip) {
  InvoiceDraft d;
  d.id = "inv1";
  d.reference = "HB0123ABCD";
  d.encounter_id = "enc1";
  d.patient_ref = "Patient/p1";
  d.date = "2025-03-01T08:00:00+07:00";
  d.split = SplitCharges({{"c", "X", "x", 1000, 100000, true, 100}}, {true, "cov", 80, true, 100});
  auto s = ReadInvoice(InvoiceJson(d));
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->status, "issued");
  EXPECT_EQ(s->patient_share, 20000);
  EXPECT_EQ(s->insurance, 80000);
  EXPECT_EQ(s->encounter_id, "enc1");
  auto paid = InvoiceWithPaid(InvoiceJson(d), 20000);
  ASSERT_TRUE(paid.ok());
  auto s2 = ReadInvoice(*paid);
  EXPECT_EQ(s2->status, "balanced");
  EXPECT_EQ(s2->Balance(), 0);
}

}  // namespace
}  // namespace hb::payments
