// POST Invoice/{id}/$cancel  Parameters reason (valueString, required, at most 500): the
// cashier cancels an invoice made in error (the wrong patient, the wrong visits, one visit
// that belongs on the day's invoice). Hospital rules: only an invoice that holds no money
// (nothing received, or everything received refunded or moved to the right invoice with
// $assign) is cancelled; it keeps its lines and reference for the record, its status becomes
// `cancelled` with `cancelledReason`, a note says who cancelled it and when, and an audit
// record names the cashier and the reason. From then on it bills nothing: `$invoice` on its
// visits makes a new invoice (their own, or their day's), no payment lands on it (the desk is
// told, a bank transfer quoting its reference goes to the work list), `$vietqr` has nothing
// to show, and `$assign` does not offer it. Claims never read invoices (they are made from
// the visit's records), so a cancelled invoice is never claimed.
//
// Who: cashiers and operators (access.md "Operations: who may run which"), with update on
// Invoice and the invoice of their own facility (the write's usual checks). A repeated click
// answers the cancelled invoice again and changes nothing.
#include "access/roles.h"
#include "common/clock.h"
#include "operations/billing_support.h"
#include "operations/factories.h"
#include "operations/op_support.h"
#include "rest/outcome.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

struct CancelResult {
  storage::ResourceVersion version;
  bool unchanged = false;
};

Result<CancelResult> Cancel(storage::WriteTxn& txn, rest::Actor& actor, const std::string& id,
                            const std::string& reason) {
  CancelResult out;
  HB_ASSIGN_OR_RETURN(storage::ResourceVersion current, ReadInvoiceVersion(txn, id));
  HB_ASSIGN_OR_RETURN(payments::InvoiceState state, payments::ReadInvoice(current.json));
  if (state.Cancelled()) {  // a repeated click: nothing more to do
    out.version = std::move(current);
    out.unchanged = true;
    return out;
  }
  const access::Principal& p = *actor.principal;
  payments::Cancellation c;
  c.reason = reason;
  c.by = ByWhom(p);
  c.at = FormatInstant(txn.Now());
  HB_ASSIGN_OR_RETURN(std::string cancelled, payments::CancelledInvoice(current.json, c));
  HB_ASSIGN_OR_RETURN(out.version, UpdateResource(txn, &actor, cancelled, id, current.version));
  actor.audit.push_back(access::MakeAudit(p, "U", "cancel-invoice", 0,
                                          state.patient_ref.substr(state.patient_ref.find('/') + 1),
                                          "Invoice/" + id, state.reference + ": " + reason));
  return out;
}

class CancelOperation : public rest::Operation {
 public:
  explicit CancelOperation(BillingContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "cancel"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kInstance && type == "Invoice";
  }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Invoice-cancel";
  }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    const access::Principal& p = *call.principal;
    Status allowed = Status::Ok();
    if (p.role != access::Role::kCashier && p.role != access::Role::kSystem) {
      allowed = Status(ErrorCode::kForbidden,
                       "invoices are cancelled by cashiers (or operators); the role " +
                           std::string(access::RoleName(p.role)) + " may not");
    } else {
      allowed = call.policy->CheckInteraction(p, "Invoice", access::Op::kUpdate);
    }
    if (!Permit(call, respond, allowed, "Invoice")) return;
    auto in = ParametersIn::FromBody(call.req.body);
    if (!in.ok()) return RespondError(respond, in.status());
    auto reason = in->Text("reason");
    if (!reason.ok()) return RespondError(respond, reason.status());
    const std::string text = reason->value_or("");
    const size_t first = text.find_first_not_of(" \t\r\n");
    const std::string why = first == std::string::npos
                                ? std::string()
                                : text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    if (why.empty()) {
      return RespondError(respond,
                          Status(ErrorCode::kInvalidArgument,
                                 "reason (valueString) is required: say why the invoice is "
                                 "cancelled (it is kept on the invoice and in the audit trail)"));
    }
    if (why.size() > 500) {
      return RespondError(
          respond, Status(ErrorCode::kInvalidArgument, "reason is longer than 500 characters"));
    }
    auto result = std::make_shared<CancelResult>();
    WriteAsCaller(
        call,
        [result, id = call.id, why](storage::WriteTxn& txn, rest::Actor& actor) -> Status {
          HB_ASSIGN_OR_RETURN(*result, Cancel(txn, actor, id, why));
          return Status::Ok();
        },
        [result, ctx = ctx_, call_ctx = call.ctx, respond = std::move(respond)](Status st) {
          if (!st.ok()) return respond(rest::ErrorResponse(st));
          if (!result->unchanged) PublishInvoice(*ctx, result->version.json);
          rest::RequestContext rc = call_ctx;
          rc.prefer_return = rest::PreferReturn::kRepresentation;
          respond(rest::ResourceResponse(200, result->version, rc, false));
        });
  }

 private:
  BillingContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeCancelOperation(BillingContextPtr ctx) {
  return std::make_unique<CancelOperation>(std::move(ctx));
}

}  // namespace hb::operations
