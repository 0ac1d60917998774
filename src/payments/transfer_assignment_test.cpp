#include "payments/transfer_assignment.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "fhir/json.h"

namespace hb::payments {
namespace {

TEST(AllocatePayment, ExactPartialAndOver) {
  Allocation exact = AllocatePayment(50000, 50000, PaymentKind::kPayment, "i1");
  EXPECT_EQ(exact.applied, 50000);
  EXPECT_EQ(exact.outcome, "complete");
  EXPECT_TRUE(exact.disposition.empty());

  Allocation part = AllocatePayment(30000, 90000, PaymentKind::kPayment, "i1");
  EXPECT_EQ(part.applied, 30000);
  EXPECT_EQ(part.outcome, "complete");
  EXPECT_EQ(part.disposition, "partial payment; 60.000 đồng still open");
  EXPECT_EQ(AllocatePayment(30000, 90000, PaymentKind::kDeposit, "i1").disposition,
            "deposit; 60.000 đồng still open");

  Allocation over = AllocatePayment(45000, 40000, PaymentKind::kPayment, "i9");
  EXPECT_EQ(over.applied, 40000);
  EXPECT_EQ(over.outcome, "partial");
  EXPECT_NE(over.disposition.find("overpaid by 5.000 đồng on Invoice/i9"), std::string::npos);
}

TEST(AllocatePayment, CreditCountsAsNothingOpen) {
  Allocation a = AllocatePayment(10000, -760, PaymentKind::kPayment, "i1");
  EXPECT_EQ(a.applied, 0);
  EXPECT_EQ(a.outcome, "partial");
}

// The assignments a reconciliation records, oldest first, as the cashier screen reads them
// (web/src/api/billing.ts readAssignments): each the extension's parts, url -> the
// reference (with its display after a space) or the text.
std::vector<std::map<std::string, std::string>> History(const std::string& json) {
  std::vector<std::map<std::string, std::string>> out;
  auto doc = fhir::ParseJson(json);
  if (!doc.ok()) return out;
  for (const auto& det : (*doc)["detail"].GetArray()) {
    const fhir::JsonValue* exts = fhir::Member(det, "extension");
    if (!exts) continue;
    for (const auto& e : exts->GetArray()) {
      if (fhir::MemberString(e, "url") != Uris().ext_assignment) continue;
      std::map<std::string, std::string> parts;
      for (const auto& p : e["extension"].GetArray()) {
        std::string value;
        if (const fhir::JsonValue* r = fhir::Member(p, "valueReference")) {
          value = std::string(fhir::MemberString(*r, "reference"));
          if (std::string_view d = fhir::MemberString(*r, "display"); !d.empty()) {
            value += " " + std::string(d);
          }
        } else {
          value = std::string(fhir::MemberString(
              p, fhir::Member(p, "valueString") ? "valueString" : "valueDateTime"));
        }
        parts[std::string(fhir::MemberString(p, "url"))] = value;
      }
      out.push_back(std::move(parts));
    }
  }
  return out;
}

PaymentEntry Unmatched() {
  PaymentEntry e;
  e.bank = "simbank";
  e.txn_id = "FT1";
  e.method = "vietqr";
  e.amount = 12345;
  e.outcome = "error";
  e.disposition = "unmatched";
  e.created = "2026-11-26T09:00:00+07:00";
  e.payment_date = "2026-11-26";
  return e;
}

TEST(AssignedReconciliation, AppliesAndRecordsTheHistory) {
  std::string rec = ReconciliationJson(Unmatched());
  auto before = ReadReconciliation(rec);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->invoice_id.empty());

  Assignment a;
  a.to_invoice = "inv7";
  a.to_reference = "HB0123ABCD";
  a.allocation = AllocatePayment(12345, 20000, PaymentKind::kPayment, "inv7");
  a.by = "thungan (cashier)";
  a.reason = "người bệnh gọi điện xác nhận";
  a.at = "2026-11-26T10:00:00+07:00";
  a.date = "2026-11-26";
  auto assigned = AssignedReconciliation(rec, a);
  ASSERT_TRUE(assigned.ok()) << assigned.status().message();
  auto after = ReadReconciliation(*assigned);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->invoice_id, "inv7");
  EXPECT_EQ(after->applied, 12345);
  EXPECT_EQ(after->amount, 12345);
  EXPECT_EQ(after->outcome, "complete");
  EXPECT_EQ(after->transaction, "FT1");
  EXPECT_NE(after->disposition.find("assigned by hand to Invoice/inv7 (HB0123ABCD)"),
            std::string::npos);
  EXPECT_NE(after->disposition.find("7.655 đồng still open"), std::string::npos);
  auto doc = fhir::ParseJson(*assigned);
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ((*doc)["detail"].Size(), 2u);
  for (const auto& e : (*doc)["extension"].GetArray()) {
    if (fhir::MemberString(e, "url") == Uris().ext_unapplied) {
      EXPECT_EQ(fhir::NumberText(e["valueMoney"]["value"]), "0");
    }
  }
  auto history = History(*assigned);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0]["to"], "Invoice/inv7 HB0123ABCD");
  EXPECT_EQ(history[0].count("from"), 0u);
  EXPECT_EQ(history[0]["reason"], "người bệnh gọi điện xác nhận");
  EXPECT_EQ(history[0]["by"], "thungan (cashier)");
  EXPECT_EQ(history[0]["at"], "2026-11-26T10:00:00+07:00");

  // Moved again (it was the wrong patient's): over the new invoice's balance.
  Assignment b = a;
  b.from_invoice = "inv7";
  b.from_reference = "HB0123ABCD";
  b.to_invoice = "inv8";
  b.to_reference = "HB9999ZZZZ";
  b.reason.clear();
  b.allocation = AllocatePayment(12345, 10000, PaymentKind::kPayment, "inv8");
  auto moved = AssignedReconciliation(*assigned, b);
  ASSERT_TRUE(moved.ok());
  auto last = ReadReconciliation(*moved);
  EXPECT_EQ(last->invoice_id, "inv8");
  EXPECT_EQ(last->applied, 10000);
  EXPECT_EQ(last->outcome, "partial");
  history = History(*moved);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1]["from"], "Invoice/inv7 HB0123ABCD");
  EXPECT_EQ(history[1]["to"], "Invoice/inv8 HB9999ZZZZ");
  EXPECT_EQ(history[1].count("reason"), 0u);
}

// Regression: a matched transfer has no disposition; adding one must not lose the history.
TEST(AssignedReconciliation, KeepsTheHistoryWhenTheDispositionIsNew) {
  PaymentEntry e = Unmatched();
  e.invoice_id = "inv1";
  e.applied = e.amount;
  e.outcome = "complete";
  e.disposition.clear();
  Assignment a;
  a.from_invoice = "inv1";
  a.to_invoice = "inv2";
  a.by = "x";
  a.allocation = AllocatePayment(e.amount, e.amount, PaymentKind::kPayment, "inv2");
  auto moved = AssignedReconciliation(ReconciliationJson(e), a);
  ASSERT_TRUE(moved.ok());
  auto history = History(*moved);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0]["from"], "Invoice/inv1");
  EXPECT_EQ(ReadReconciliation(*moved)->invoice_id, "inv2");
}

TEST(AssignedReconciliation, NoticeFollowsAndBadInputRefused) {
  PaymentEntry e = Unmatched();
  std::string notice = NoticeJson(e, "rec1", "11011", "");
  auto moved = NoticeForInvoice(notice, "inv7");
  ASSERT_TRUE(moved.ok());
  auto doc = fhir::ParseJson(*moved);
  EXPECT_EQ(fhir::MemberString((*doc)["request"], "reference"), "Invoice/inv7");
  EXPECT_FALSE(NoticeForInvoice("{\"resourceType\":\"Invoice\"}", "x").ok());
  Assignment a;
  a.to_invoice = "x";
  EXPECT_FALSE(AssignedReconciliation("{\"resourceType\":\"PaymentNotice\"}", a).ok());
}

TEST(BillingRecords, DayInvoiceCarriesEveryEncounter) {
  InvoiceDraft d;
  d.reference = "HB0123ABCD";
  d.encounter_id = "e1";
  d.more_encounters = {"e2", "e3"};
  d.day = "2026-11-26";
  d.patient_ref = "Patient/p1";
  d.date = "2026-11-26T08:00:00+07:00";
  auto s = ReadInvoice(InvoiceJson(d));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->encounter_id, "e1");
  EXPECT_EQ(s->encounter_ids, (std::vector<std::string>{"e1", "e2", "e3"}));
  EXPECT_EQ(s->day, "2026-11-26");
  d.more_encounters.clear();
  d.day.clear();
  s = ReadInvoice(InvoiceJson(d));
  EXPECT_TRUE(s->day.empty());
  EXPECT_EQ(s->encounter_ids.size(), 1u);
}

}  // namespace
}  // namespace hb::payments
