// The FHIR resources billing writes and reads back: the Invoice of an encounter (its lines
// with the insurance/patient split, what has been paid, the payment reference banks echo),
// and for every movement of money a PaymentReconciliation (how it was applied: method,
// amount, outcome, work-list disposition) with the PaymentNotice of its arrival (the bank's
// transaction id, on which notifications are idempotent). Shapes: docs/implementation/billing.md.
//
// Contract: pure functions over JSON text, thread-safe. Readers fail with kInvalidResource
// when a stored resource lacks what billing wrote into it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::payments {

// Identifier systems and extension URLs, under the configured identifier base.
struct BillingUris {
  std::string invoice_reference;  // Invoice.identifier: "HB" + 8 characters, for transfers
  std::string invoice_encounter;  // Invoice.identifier: an Encounter billed on it (one or more)
  std::string bank_transaction;   // PaymentNotice/PaymentReconciliation.identifier: bank:txn
  std::string payment_method;     // CodeSystem: vietqr | pos-card | mobile-money | cash
  std::string price_component;    // CodeSystem: gross | insurance | patient
  std::string ext_paid, ext_method, ext_unapplied, ext_coverage;
  std::string invoice_day;     // Invoice.identifier of a day's invoice: "<patient id>/<YYYY-MM-DD>"
  std::string ext_assignment;  // PaymentReconciliation.detail: a transfer assigned by hand
};
const BillingUris& Uris();

// One line as the facility price list and the insurance split priced it (the claims
// costing, claims/costing.h, through operations/billing_invoice.cpp: the same numbers as
// the claim's XML2/XML3 row). Amounts are FHIR decimal text, exact: "39800", "97.5".
struct InvoiceLine {
  std::string charge_item_id;
  std::string code, display;  // MA_NOI_BO and its name
  std::string quantity, unit_price;
  std::string gross;      // THANH_TIEN_BV
  std::string insurance;  // T_BHTT: what the fund pays
  std::string patient;    // T_BNCCT + T_BNTT: co-payment and what is outside the scope
  bool in_scope = true;   // PHAM_VI 1
};

struct InvoiceDraft {
  std::string id;  // empty: a new invoice
  std::string reference;
  std::string encounter_id;  // the encounter billed; for a day's invoice, the first of them
  std::vector<std::string> more_encounters;  // a day's invoice: the day's other encounters
  std::string day;          // a day's invoice: the facility-local date; empty per encounter
  std::string patient_ref;  // "Patient/x"
  std::string facility_code, facility_name;
  std::string date;              // instant
  std::string coverage_id;       // empty: uninsured
  std::string coverage_display;  // "BHYT GD4..., mức hưởng 80%"
  std::vector<InvoiceLine> lines;
  std::string gross = "0", insurance = "0", patient = "0";  // exact sums of the lines
  int64_t patient_due = 0;  // the patient's share to the whole đồng (what is collected)
  int64_t paid = 0;
};
std::string InvoiceJson(const InvoiceDraft& d);
// issued while the patient's share is not paid in full, balanced once it is; a cancelled
// invoice stays cancelled.
std::string_view InvoiceStatusFor(int64_t patient_share, int64_t paid);

// Read back: amounts to the whole đồng (a fraction of a đồng, from a fractional quantity,
// is rounded half away from zero, as the cashier collects it).
struct InvoiceState {
  std::string id, status, reference, encounter_id, patient_ref;
  std::vector<std::string> encounter_ids;  // every encounter billed on it (encounter_id first)
  std::string day;                         // a day's invoice: its date; empty otherwise
  std::string cancelled_reason;            // Invoice.cancelledReason of a cancelled invoice
  int64_t gross = 0, insurance = 0, patient_share = 0, paid = 0;
  bool Cancelled() const { return status == "cancelled"; }
  // What is still to pay; nothing on a cancelled invoice (it is no longer owed).
  int64_t Balance() const { return Cancelled() ? 0 : patient_share - paid; }
};

// The 422 for money or a transfer aimed at a cancelled invoice: "Invoice/ID (REF) was
// cancelled (REASON): " and `advice`, what the cashier does instead.
Status CancelledInvoiceError(const InvoiceState& s, std::string_view advice);
Result<InvoiceState> ReadInvoice(std::string_view json);
// The stored invoice with `paid` and the status that follows from it. kUnprocessable for a
// cancelled invoice: no money lands on it.
Result<std::string> InvoiceWithPaid(std::string_view json, int64_t paid);

// Who cancels an invoice, when and why (Invoice/$cancel).
struct Cancellation {
  std::string reason;  // Invoice.cancelledReason
  std::string by;      // user and role, kept in Invoice.note.authorString
  std::string at;      // instant, Invoice.note.time
};
// The stored invoice cancelled: status `cancelled`, `cancelledReason`, and a note saying who
// cancelled it and when. kUnprocessable when money is still held on it (refund or move it
// first) or it is already cancelled.
Result<std::string> CancelledInvoice(std::string_view json, const Cancellation& c);

enum class PaymentKind { kPayment, kDeposit, kRefund };
struct PaymentEntry {
  std::string bank;    // "cashier" for desk payments
  std::string txn_id;  // the bank's (or desk's) transaction id
  std::string method;  // vietqr | pos-card | mobile-money | cash
  PaymentKind kind = PaymentKind::kPayment;
  int64_t amount = 0;      // money moved; negative for a refund
  int64_t applied = 0;     // of which applied to the invoice
  std::string invoice_id;  // empty when unmatched
  std::string outcome;     // complete | partial | error
  std::string disposition;
  std::string created;       // instant
  std::string payment_date;  // local YYYY-MM-DD
  std::string payer;         // the transfer's text, the payer's account, a receipt number
};
std::string ReconciliationJson(const PaymentEntry& e);
std::string NoticeJson(const PaymentEntry& e, std::string_view reconciliation_id,
                       std::string_view facility_code, std::string_view facility_name);

struct ReconciliationFacts {
  std::string id, method, outcome, disposition, invoice_id, kind, created;
  std::string transaction;  // the bank's (or desk's) transaction id, without the "bank:" prefix
  std::string key;          // "bank:transaction", the idempotency key (PaymentNotice.identifier)
  int64_t amount = 0, applied = 0;
};
Result<ReconciliationFacts> ReadReconciliation(std::string_view json);

}  // namespace hb::payments
