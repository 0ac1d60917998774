#include <gtest/gtest.h>

#include "payments/bank_statement.h"
#include "payments/billing_records.h"
#include "payments/payment_security.h"
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

// An invoice of one visit (enc1) of Patient/p1, reference HB0123ABCD, without lines.
InvoiceDraft OneVisit() {
  InvoiceDraft d;
  d.id = "inv1";
  d.reference = "HB0123ABCD";
  d.encounter_id = "enc1";
  d.patient_ref = "Patient/p1";
  return d;
}

TEST(BillingRecords, InvoiceRoundTrip) {
  InvoiceDraft d = OneVisit();
  d.date = "2025-03-01T08:00:00+07:00";
  d.coverage_id = "cov";
  d.lines.push_back({"c", "X", "x", "1", "100000", "100000", "80000", "20000", true});
  d.gross = "100000";
  d.insurance = "80000";
  d.patient = "20000";
  d.patient_due = 20000;
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

// Cancellation (Invoice/$cancel): only an invoice that holds no money; afterwards it owes
// nothing and takes no money.
TEST(BillingRecords, CancelledOnlyWithoutMoneyAndThenTakesNone) {
  InvoiceDraft d = OneVisit();
  d.lines.push_back({"c", "X", "x", "1", "50000", "50000", "0", "50000", false});
  d.gross = d.patient = "50000";
  d.patient_due = 50000;
  const std::string issued = InvoiceJson(d);
  const Cancellation c{"lập nhầm bệnh nhân", "thungan (cashier)", "2026-11-26T10:00:00+07:00"};

  auto held = InvoiceWithPaid(issued, 10000);
  ASSERT_TRUE(held.ok());
  auto refused = CancelledInvoice(*held, c);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  EXPECT_NE(refused.status().message().find("10.000 đồng received"), std::string::npos);
  EXPECT_NE(refused.status().message().find("$refund"), std::string::npos);

  auto refunded = InvoiceWithPaid(*held, 0);  // paid, then refunded in full: nothing held
  ASSERT_TRUE(refunded.ok());
  auto cancelled = CancelledInvoice(*refunded, c);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().message();
  auto s = ReadInvoice(*cancelled);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->Cancelled());
  EXPECT_EQ(s->status, "cancelled");
  EXPECT_EQ(s->cancelled_reason, "lập nhầm bệnh nhân");
  EXPECT_EQ(s->Balance(), 0);          // owes nothing any more
  EXPECT_EQ(s->patient_share, 50000);  // the lines are kept as they were
  EXPECT_NE(cancelled->find("\"authorString\":\"thungan (cashier)\""), std::string::npos);
  EXPECT_NE(cancelled->find("\"time\":\"2026-11-26T10:00:00+07:00\""), std::string::npos);

  auto again = CancelledInvoice(*cancelled, c);
  EXPECT_EQ(again.status().code(), ErrorCode::kUnprocessable);
  auto pay = InvoiceWithPaid(*cancelled, 50000);
  ASSERT_FALSE(pay.ok());
  EXPECT_NE(pay.status().message().find("cancelled"), std::string::npos);
}

// Amounts keep their decimal text (never a double); the patient pays to the whole đồng.
TEST(BillingRecords, DecimalAmountsKeptAndCollectedToTheDong) {
  InvoiceDraft d;
  d.reference = "HB0123ABCD";
  d.encounter_id = "enc1";
  d.patient_ref = "Patient/p1";
  d.lines.push_back({"c", "T", "t", "0.5", "195", "97.5", "78", "19.5", true});
  d.gross = "97.5";
  d.insurance = "78";
  d.patient = "19.5";
  d.patient_due = 20;
  const std::string json = InvoiceJson(d);
  EXPECT_NE(json.find("\"value\":97.5"), std::string::npos) << json;
  EXPECT_NE(json.find("\"value\":19.5"), std::string::npos) << json;
  auto s = ReadInvoice(json);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->patient_share, 20);  // 19.5 -> 20, half away from zero
  auto paid = InvoiceWithPaid(json, 20);
  ASSERT_TRUE(paid.ok());
  EXPECT_NE(paid->find("\"value\":97.5"), std::string::npos);
  EXPECT_EQ(ReadInvoice(*paid)->status, "balanced");
}

// A day's statement as internet banking exports it (Vietnamese headings, grouped amounts,
// debits and balance lines mixed in) against the notifications the ledger recorded.
TEST(BankStatement, ParsedAndCheckedLineByLine) {
  const std::string csv =
      "\xEF\xBB\xBFNgày giao dịch;Số tham chiếu;Ghi nợ;Ghi có;Nội dung\r\n"
      "26/11/2026;FT001;;50.000;NGUYEN VAN A CK HB0123ABCD\r\n"
      "26/11/2026;FT002;;\"1.234.567\";TRAN THI B HB4567EFGH\r\n"
      "26/11/2026;FT003;20.000;;phi dich vu\r\n"
      "26/11/2026;FT004;;99.000;khong ghi ma\r\n"
      "26/11/2026;FT005;;70.000,00;HB89ABCDEF\r\n";
  auto lines = ParseBankStatement(csv);
  ASSERT_TRUE(lines.ok()) << lines.status().message();
  ASSERT_EQ(lines->size(), 4u);  // the debit is not a transfer in
  EXPECT_EQ((*lines)[1].amount, 1234567);
  EXPECT_EQ((*lines)[3].amount, 70000);
  StatementCheck c = CheckStatement(
      *lines, {{"FT001", 50000}, {"FT002", 1234567}, {"FT005", 7000}, {"FT009", 10000}});
  EXPECT_EQ(c.total, 50000 + 1234567 + 99000 + 70000);
  EXPECT_EQ(c.matched, 2u);
  ASSERT_EQ(c.not_recorded.size(), 1u);  // the bank has it; no notification came
  EXPECT_EQ(c.not_recorded[0].transaction, "FT004");
  ASSERT_EQ(c.amount_differs.size(), 1u);
  EXPECT_EQ(c.amount_differs[0].transaction, "FT005");
  ASSERT_EQ(c.not_on_statement.size(), 1u);  // notified, but the bank does not show it
  EXPECT_EQ(c.not_on_statement[0].transaction, "FT009");
  EXPECT_FALSE(c.Clean());
  EXPECT_TRUE(CheckStatement({{"FT001", 50000}}, {{"FT001", 50000}}).Clean());
  EXPECT_FALSE(ParseBankStatement("a,b\n1,2\n").ok());
  EXPECT_FALSE(ParseBankStatement("reference,amount\nFT1,12abc\n").ok());
}

}  // namespace
}  // namespace hb::payments
