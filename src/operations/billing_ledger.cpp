// The ledger: how one movement of money lands on an invoice (billing_support.h).
#include <cstdio>

#include "common/clock.h"
#include "fhir/search_escape.h"
#include "operations/billing_support.h"
#include "operations/op_support.h"
#include "payments/payment_security.h"
#include "payments/transfer_assignment.h"
#include "payments/vnd.h"
#include "reception/candidate_search.h"

namespace hb::operations {

namespace {

using payments::PaymentKind;

// The invoice a transfer names: the cashier's, or the first reference in its text that
// belongs to a stored invoice still in force (a payer may quote an old one first). A
// cancelled invoice never receives money: the cashier is told so (422), a bank transfer that
// quotes only cancelled ones lands on the work list saying which (`cancelled`).
struct Found {
  std::optional<storage::ResourceVersion> invoice;
  std::optional<payments::InvoiceState> state;  // what `invoice` holds, read once
  std::string cancelled;  // "HB… (Invoice/x)" quoted by the transfer but cancelled
};
Result<Found> FindInvoice(storage::WriteTxn& txn, const TransferIn& in) {
  Found out;
  if (!in.invoice_id.empty()) {
    HB_ASSIGN_OR_RETURN(auto v, ReadInvoiceVersion(txn, in.invoice_id));
    HB_ASSIGN_OR_RETURN(payments::InvoiceState s, payments::ReadInvoice(v.json));
    if (s.Cancelled()) {
      return payments::CancelledInvoiceError(s, "take the money on the visit's new invoice");
    }
    out.invoice = std::move(v);
    out.state = std::move(s);
    return out;
  }
  for (const std::string& ref : payments::FindPaymentReferences(in.text)) {
    HB_ASSIGN_OR_RETURN(
        auto found,
        reception::SearchResources(
            txn, "Invoice", {{"identifier", fhir::EscapeToken(payments::Uris().invoice_reference, ref)}}, 1));
    if (found.empty()) continue;
    HB_ASSIGN_OR_RETURN(payments::InvoiceState s, payments::ReadInvoice(found[0].json));
    if (s.Cancelled()) {
      if (out.cancelled.empty()) out.cancelled = ref + " (Invoice/" + s.id + ")";
      continue;
    }
    out.invoice = std::move(found[0]);
    out.state = std::move(s);
    return out;
  }
  return out;
}

}  // namespace

Result<storage::ResourceVersion> ReadInvoiceVersion(storage::ReadTxn& txn, std::string_view id) {
  auto v = txn.Read("Invoice", id);
  if (!v.ok() || v->deleted) {
    return Status(ErrorCode::kNotFound, "Invoice/" + std::string(id) + " is not known");
  }
  return std::move(v).value();
}

Result<LedgerOutcome> ApplyTransfer(storage::WriteTxn& txn, rest::Actor* actor,
                                    const BillingOptions& options, const TransferIn& in) {
  if (in.amount <= 0) {
    return Status(ErrorCode::kInvalidArgument, "the amount must be a positive number of đồng");
  }
  LedgerOutcome out;
  const std::string key = in.bank + ":" + in.txn_id;
  // Idempotency: the writer runs one work item at a time, so this check and the create
  // below cannot interleave with a replay of the same notification.
  HB_ASSIGN_OR_RETURN(auto seen,
                      reception::SearchResources(
                          txn, "PaymentNotice",
                          {{"identifier", fhir::EscapeToken(payments::Uris().bank_transaction, key)}}, 1));
  if (!seen.empty()) {
    out.duplicate = true;
    HB_ASSIGN_OR_RETURN(auto doc, fhir::ParseJson(seen[0].json));
    std::string_view rec = fhir::MemberString(*fhir::Member(doc, "payment"), "reference");
    if (rec.starts_with("PaymentReconciliation/")) {
      out.reconciliation_id = std::string(rec.substr(22));
      auto r = txn.Read("PaymentReconciliation", out.reconciliation_id);
      if (r.ok()) {
        if (auto f = payments::ReadReconciliation(r->json); f.ok()) {
          out.outcome = f->outcome;
          out.invoice_id = f->invoice_id;
        }
      }
    }
    return out;
  }

  payments::PaymentEntry e;
  e.bank = in.bank;
  e.txn_id = in.txn_id;
  e.method = in.method;
  e.kind = in.kind;
  e.amount = in.kind == PaymentKind::kRefund ? -in.amount : in.amount;
  e.created = FormatInstant(txn.Now());
  e.payment_date = LocalDate(txn.Now(), options.utc_offset_minutes);
  e.payer = in.text;

  HB_ASSIGN_OR_RETURN(Found found, FindInvoice(txn, in));
  const std::optional<storage::ResourceVersion>& invoice = found.invoice;
  const std::optional<payments::InvoiceState>& state = found.state;
  if (!state) {
    if (in.kind == PaymentKind::kRefund) {
      return Status(ErrorCode::kNotFound, "a refund needs the invoice it refunds");
    }
    e.outcome = "error";
    e.disposition =
        found.cancelled.empty()
            ? "unmatched: no invoice reference (HB + 8 characters) in the transfer text '" +
                  in.text + "'; match it by hand or return it"
            : "unmatched: the transfer quotes " + found.cancelled +
                  ", a cancelled invoice; assign it to the visit's new invoice or return it";
  } else if (in.kind == PaymentKind::kRefund) {
    if (in.amount > state->paid) {
      return Status(ErrorCode::kUnprocessable,
                    "Invoice/" + state->id + " has received " + payments::FormatVnd(state->paid) +
                        " đồng; a refund of " + payments::FormatVnd(in.amount) + " is more");
    }
    e.invoice_id = state->id;
    // Money beyond the patient's share (a credit) is returned first; only the rest reopens
    // the invoice. applied counts what leaves the charges, unapplied what leaves the credit.
    int64_t credit = std::max<int64_t>(0, -state->Balance());
    e.applied = -std::max<int64_t>(0, in.amount - credit);
    e.outcome = "complete";
    e.disposition = "refund of " + payments::FormatVnd(in.amount) + " đồng";
  } else {
    e.invoice_id = state->id;
    payments::Allocation a =
        payments::AllocatePayment(in.amount, state->Balance(), in.kind, state->id);
    e.applied = a.applied;
    e.outcome = std::move(a.outcome);
    e.disposition = std::move(a.disposition);
  }
  HB_ASSIGN_OR_RETURN(auto rec, CreateResource(txn, actor, payments::ReconciliationJson(e)));
  HB_RETURN_IF_ERROR(
      CreateResource(txn, actor,
                     payments::NoticeJson(e, rec.id, options.facility_code, options.facility_name))
          .status());
  out.reconciliation_id = rec.id;
  out.outcome = e.outcome;
  out.invoice_id = e.invoice_id;
  if (state) {
    HB_ASSIGN_OR_RETURN(out.invoice_json, AddToPaid(txn, actor, *invoice, e.amount));
  }
  return out;
}

Result<std::string> AddToPaid(storage::WriteTxn& txn, rest::Actor* actor,
                              const storage::ResourceVersion& invoice, int64_t delta) {
  HB_ASSIGN_OR_RETURN(payments::InvoiceState s, payments::ReadInvoice(invoice.json));
  HB_ASSIGN_OR_RETURN(std::string updated, payments::InvoiceWithPaid(invoice.json, s.paid + delta));
  HB_ASSIGN_OR_RETURN(auto v, UpdateResource(txn, actor, updated, s.id, invoice.version));
  return std::move(v.json);
}

void PublishInvoice(const BillingContext& ctx, const std::string& invoice_json) {
  if (!ctx.hub || invoice_json.empty()) return;
  auto s = payments::ReadInvoice(invoice_json);
  if (!s.ok()) return;
  std::string data = "{\"invoice\":\"" + s->id + "\",\"status\":\"" + s->status +
                     "\",\"patient_share\":" + std::to_string(s->patient_share) +
                     ",\"paid\":" + std::to_string(s->paid) +
                     ",\"balance\":" + std::to_string(s->Balance()) + "}";
  ctx.hub->Publish("invoice/" + s->id, "invoice", data);
}

}  // namespace hb::operations
