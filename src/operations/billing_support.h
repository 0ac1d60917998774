// Billing operations (docs/implementation/billing.md): their configuration, the ledger that
// applies a movement of money to an invoice (shared by the cashier's $pay/$refund and the
// bank webhook in app/payment_webhook.cpp), and the live invoice events.
//
//   POST Encounter/{id}/$invoice        build or refresh the encounter's (or its day's) Invoice
//   GET  Invoice/{id}/$vietqr            dynamic VietQR for the open balance
//   POST Invoice/{id}/$pay               a desk payment or deposit (cash, POS card, wallet)
//   POST Invoice/{id}/$refund            money back to the patient
//   GET  Invoice/{id}/$receipt           printable receipt with a verification QR
//   GET  PaymentReconciliation/$day-report  the cashier's end-of-day reconciliation
//   POST PaymentReconciliation/{id}/$assign  a work-list transfer assigned to an invoice by hand
//   POST Invoice/{id}/$cancel            cancels an invoice made in error that holds no money
//
// Thread-safety: BillingContext is immutable after registration; ApplyTransfer runs on the
// store's writer thread (which makes the idempotency check and the write one atomic step).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "access/principal.h"
#include "access/roles.h"
#include "common/result.h"
#include "http/event_hub.h"
#include "payments/billing_records.h"
#include "rest/fhir_service.h"
#include "rest/write_ops.h"
#include "storage/resource_store.h"

namespace hb::claims {
struct Catalogs;
}

namespace hb::operations {

struct BillingOptions {
  std::string facility_code = "11011";  // MA_CSKCB of this facility
  std::string facility_name;
  std::string bank_bin;      // the facility's bank (VietQR 38.01.00)
  std::string bank_account;  // its account (38.01.01)
  std::string receipt_secret;   // signs receipt verification tokens
  std::string public_base_url;  // "https://host" for the receipt QR; may be empty
  int utc_offset_minutes = 420;
  // payments.invoice_per: "encounter" (one Invoice per visit) or "day" (one Invoice for a
  // patient's outpatient visits of a facility day); $invoice's `per` overrides it.
  std::string invoice_per = "encounter";
};

struct BillingContext {
  BillingOptions options;
  http::EventHub* hub = nullptr;  // may be null: no live events
  // The facility price list and code lists, shared with claims (app/claims_runtime.h): one
  // price list and one insurance split for the invoice and the claim
  // (operations/billing_pricing.h). Null while claims are off: $invoice answers 503.
  const claims::Catalogs* catalogs = nullptr;
};
using BillingContextPtr = std::shared_ptr<const BillingContext>;

void RegisterBillingOperations(rest::FhirService& service, BillingContextPtr ctx);

// One movement of money as the ledger receives it.
struct TransferIn {
  std::string bank;    // the webhook's {bank}, or "cashier"
  std::string txn_id;  // unique per bank: the idempotency key
  std::string method;  // vietqr | pos-card | mobile-money | cash
  payments::PaymentKind kind = payments::PaymentKind::kPayment;
  int64_t amount = 0;      // > 0; a refund's amount is given positive
  std::string text;        // the transfer's purpose, searched for the invoice reference
  std::string invoice_id;  // set when the cashier names the invoice
};

struct LedgerOutcome {
  bool duplicate = false;
  std::string reconciliation_id;
  std::string outcome;       // complete | partial | error
  std::string invoice_id;    // empty when unmatched
  std::string invoice_json;  // the invoice after the payment (to publish)
};

Result<LedgerOutcome> ApplyTransfer(storage::WriteTxn& txn, rest::Actor* actor,
                                    const BillingOptions& options, const TransferIn& in);
// The "money lands on an invoice" step shared by the ledger and $assign: adds `delta` đồng
// (negative: given back) to what the stored Invoice `invoice` has received, sets its status,
// and writes it as `actor`. Returns the invoice as stored, to publish (PublishInvoice) once
// the transaction has committed. kUnprocessable for a cancelled invoice.
Result<std::string> AddToPaid(storage::WriteTxn& txn, rest::Actor* actor,
                              const storage::ResourceVersion& invoice, int64_t delta);
// The Invoice in force (not cancelled) with the identifier `system|value`: an encounter's
// (invoice-encounter), a day's (invoice-day). A cancelled invoice bills nothing any more.
Result<std::optional<storage::ResourceVersion>> LiveInvoiceBy(storage::ReadTxn& txn,
                                                              const std::string& system,
                                                              std::string_view value);
// Builds or refreshes the Invoice that bills Encounter/`encounter_id`
// (billing_invoice_build.cpp). An invoice that already bills the encounter, per encounter or
// per day, is refreshed whatever `per` says; otherwise `per` ("encounter", "day", or empty
// for options.invoice_per) decides. A day's invoice gathers the patient's outpatient
// encounters that start that facility day and are billed on no other invoice; inpatient
// stays are always billed per encounter (deposits, settlement at discharge), and asking for
// a day's invoice for one is kUnprocessable.
struct BuiltInvoice {
  storage::ResourceVersion version;
  bool created = false;
};
Result<BuiltInvoice> BuildInvoice(storage::WriteTxn& txn, rest::Actor* actor,
                                  const BillingOptions& options, const claims::Catalogs& catalogs,
                                  const std::string& encounter_id, const std::string& per);
// Sends the invoice's state on topic "invoice/<id>" (event "invoice").
void PublishInvoice(const BillingContext& ctx, const std::string& invoice_json);

// "subject (role)": who assigned a transfer or cancelled an invoice, as the records say it.
inline std::string ByWhom(const access::Principal& p) {
  return p.subject + " (" + std::string(access::RoleName(p.role)) + ")";
}
// The current Invoice by id; kNotFound when absent or deleted.
Result<storage::ResourceVersion> ReadInvoiceVersion(storage::ReadTxn& txn, std::string_view id);

}  // namespace hb::operations
