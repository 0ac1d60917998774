// POST PaymentReconciliation/{id}/$assign  Parameters invoice (valueReference Invoice/x),
// reason (valueString, optional): the cashier assigns a transfer from the work list (one the
// bank notified without a known invoice reference) to the patient's open invoice, or moves
// a transfer matched to the wrong invoice to the right one. The money lands as a matched
// transfer does (payments/transfer_assignment.h AllocatePayment: partial payments leave a
// balance, overpayments a credit to refund); the PaymentReconciliation records the
// assignment in its detail (who, when, from which invoice, why), its PaymentNotice follows
// the money (receipts list it), the invoices' paid amounts change, and an audit record names
// the cashier. Assigning to the invoice it already belongs to changes nothing. Refunds are
// not assigned; the day report counts the transfer on the day it arrived, as before.
#include "access/roles.h"
#include "common/clock.h"
#include "fhir/search_escape.h"
#include "operations/billing_support.h"
#include "operations/factories.h"
#include "operations/op_support.h"
#include "payments/transfer_assignment.h"
#include "payments/vnd.h"
#include "reception/candidate_search.h"
#include "rest/outcome.h"

namespace hb::operations {

namespace {

struct AssignResult {
  payments::ReconciliationFacts facts;
  bool unchanged = false;
  std::string invoice_json;  // the invoice it now belongs to
  std::string from_json;     // the one it left (a reassignment); empty otherwise
};

Result<AssignResult> Assign(storage::WriteTxn& txn, rest::Actor& actor, const BillingOptions& o,
                            const std::string& rec_id, const std::string& invoice_id,
                            const std::string& reason) {
  AssignResult out;
  auto rec = txn.Read("PaymentReconciliation", rec_id);
  if (!rec.ok() || rec->deleted) {
    return Status(ErrorCode::kNotFound, "PaymentReconciliation/" + rec_id + " is not known");
  }
  HB_ASSIGN_OR_RETURN(out.facts, payments::ReadReconciliation(rec->json));
  const payments::ReconciliationFacts& f = out.facts;
  if (f.amount <= 0 || f.kind == "adjustment") {
    return Status(ErrorCode::kUnprocessable,
                  "PaymentReconciliation/" + rec_id +
                      " is a refund: only money received can be assigned to an invoice");
  }
  HB_ASSIGN_OR_RETURN(auto target, ReadInvoiceVersion(txn, invoice_id));
  HB_ASSIGN_OR_RETURN(payments::InvoiceState to, payments::ReadInvoice(target.json));
  if (f.invoice_id == to.id) {  // already there: a repeated click changes nothing
    out.unchanged = true;
    out.invoice_json = target.json;
    return out;
  }
  if (to.Cancelled()) {
    return payments::CancelledInvoiceError(to, "choose the patient's open invoice");
  }
  if (to.Balance() <= 0) {
    return Status(ErrorCode::kUnprocessable,
                  "Invoice/" + to.id + " (" + to.reference +
                      ") has nothing left to pay: choose the patient's open invoice");
  }
  payments::Assignment a;
  a.to_invoice = to.id;
  a.to_reference = to.reference;
  a.from_invoice = f.invoice_id;
  a.by = ByWhom(*actor.principal);
  a.reason = reason;
  a.at = FormatInstant(txn.Now());
  a.date = LocalDate(txn.Now(), o.utc_offset_minutes);
  const payments::PaymentKind kind =
      f.kind == "advance" ? payments::PaymentKind::kDeposit : payments::PaymentKind::kPayment;

  if (!f.invoice_id.empty()) {  // taken back from the invoice it was wrongly matched to
    HB_ASSIGN_OR_RETURN(auto source, ReadInvoiceVersion(txn, f.invoice_id));
    HB_ASSIGN_OR_RETURN(payments::InvoiceState from, payments::ReadInvoice(source.json));
    if (from.paid < f.amount) {
      return Status(ErrorCode::kUnprocessable,
                    "Invoice/" + from.id + " now holds " + payments::FormatVnd(from.paid) +
                        " đồng, less than this transfer's " + payments::FormatVnd(f.amount) +
                        " (part was refunded): it cannot be moved");
    }
    a.from_reference = from.reference;
    HB_ASSIGN_OR_RETURN(out.from_json, AddToPaid(txn, &actor, source, -f.amount));
  }
  a.allocation = payments::AllocatePayment(f.amount, to.Balance(), kind, to.id);
  HB_ASSIGN_OR_RETURN(std::string updated, payments::AssignedReconciliation(rec->json, a));
  HB_ASSIGN_OR_RETURN(auto rv, UpdateResource(txn, &actor, updated, rec_id, rec->version));
  HB_ASSIGN_OR_RETURN(out.facts, payments::ReadReconciliation(rv.json));

  // The PaymentNotice of the same arrival follows the money (receipts list notices).
  HB_ASSIGN_OR_RETURN(auto notices,
                      reception::SearchResources(
                          txn, "PaymentNotice",
                          {{"identifier", fhir::EscapeToken(payments::Uris().bank_transaction, f.key)}}, 10));
  for (const auto& n : notices) {
    HB_ASSIGN_OR_RETURN(std::string moved, payments::NoticeForInvoice(n.json, to.id));
    HB_RETURN_IF_ERROR(UpdateResource(txn, &actor, moved, n.id, n.version).status());
  }
  HB_ASSIGN_OR_RETURN(out.invoice_json, AddToPaid(txn, &actor, target, f.amount));
  actor.audit.push_back(access::MakeAudit(
      *actor.principal, "U", "assign-transfer", 0,
      to.patient_ref.substr(to.patient_ref.find('/') + 1), "PaymentReconciliation/" + rec_id,
      "to Invoice/" + to.id + (a.from_invoice.empty() ? "" : " from Invoice/" + a.from_invoice) +
          (reason.empty() ? "" : ": " + reason)));
  return out;
}

class AssignOperation : public rest::Operation {
 public:
  explicit AssignOperation(BillingContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "assign"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kInstance && type == "PaymentReconciliation";
  }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/PaymentReconciliation-assign";
  }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    // As for $pay: whoever may take money on invoices (the ledger's records follow).
    Status allowed = call.policy->CheckInteraction(*call.principal, "Invoice", access::Op::kUpdate);
    if (!Permit(call, respond, allowed, "Invoice")) return;
    auto in = ParametersIn::FromBody(call.req.body);
    if (!in.ok()) return RespondError(respond, in.status());
    auto ref = in->Reference("invoice");
    if (!ref.ok()) return RespondError(respond, ref.status());
    auto reason = in->Text("reason");
    if (!reason.ok()) return RespondError(respond, reason.status());
    if (!*ref || (*ref)->empty()) {
      return RespondError(respond, Status(ErrorCode::kInvalidArgument,
                                          "invoice (valueReference Invoice/<id>) is required"));
    }
    auto invoice_id = IdFromReference(**ref, "Invoice", "invoice");
    if (!invoice_id.ok()) return RespondError(respond, invoice_id.status());
    const std::string why = reason->value_or("");
    if (why.size() > 500) {
      return RespondError(
          respond, Status(ErrorCode::kInvalidArgument, "reason is longer than 500 characters"));
    }
    auto result = std::make_shared<AssignResult>();
    BillingOptions o = ctx_->options;
    WriteAsCaller(
        call,
        [result, o, rec_id = call.id, inv = *invoice_id, why](storage::WriteTxn& txn,
                                                              rest::Actor& actor) -> Status {
          HB_ASSIGN_OR_RETURN(*result, Assign(txn, actor, o, rec_id, inv, why));
          return Status::Ok();
        },
        [result, ctx = ctx_, call, respond = std::move(respond)](Status st) {
          if (!st.ok()) return respond(rest::ErrorResponse(st));
          if (!result->unchanged) {
            PublishInvoice(*ctx, result->from_json);
            PublishInvoice(*ctx, result->invoice_json);
          }
          ParametersOut out;
          out.Reference("reconciliation", "PaymentReconciliation/" + result->facts.id);
          out.Code("outcome", result->facts.outcome);
          out.Bool("unchanged", result->unchanged);
          out.Decimal("applied", std::to_string(result->facts.applied));
          out.Decimal("unapplied", std::to_string(result->facts.amount - result->facts.applied));
          if (auto s = payments::ReadInvoice(result->invoice_json); s.ok()) {
            out.Reference("invoice", "Invoice/" + s->id, s->reference);
            out.Code("status", s->status);
            out.Decimal("balance", std::to_string(s->Balance()));
          }
          if (auto s = payments::ReadInvoice(result->from_json); s.ok()) {
            out.Reference("from", "Invoice/" + s->id, s->reference);
            out.Code("from-status", s->status);
            out.Decimal("from-balance", std::to_string(s->Balance()));
          }
          RespondJson(call, respond, 200, out.Finish());
        });
  }

 private:
  BillingContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeAssignOperation(BillingContextPtr ctx) {
  return std::make_unique<AssignOperation>(std::move(ctx));
}

}  // namespace hb::operations
