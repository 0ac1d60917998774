// The cashier's operations on an invoice:
//   POST Invoice/{id}/$pay     Parameters method (cash | pos-card | mobile-money | vietqr),
//                              amount (đồng), kind (payment | deposit), transaction (the POS
//                              slip or wallet id; a desk id otherwise): one ledger entry.
//   POST Invoice/{id}/$refund  Parameters amount, method, transaction: money back.
//   GET  Invoice/{id}/$receipt the printable receipt (text/html) with its verification QR.
#include "common/clock.h"
#include "common/ids.h"
#include "operations/billing_support.h"
#include "operations/factories.h"
#include "operations/op_support.h"
#include "payments/payment_security.h"
#include "payments/receipt_html.h"
#include "reception/candidate_search.h"
#include "rest/read_access.h"
#include "rest/outcome.h"

namespace hb::operations {

namespace {

class PayOperation : public rest::Operation {
 public:
  PayOperation(BillingContextPtr ctx, bool refund) : ctx_(std::move(ctx)), refund_(refund) {}
  std::string_view Name() const override { return refund_ ? "refund" : "pay"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kInstance && type == "Invoice";
  }
  std::string_view Definition() const override {
    return refund_ ? "https://fhir.healthbook.vn/OperationDefinition/Invoice-refund"
                   : "https://fhir.healthbook.vn/OperationDefinition/Invoice-pay";
  }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    Status allowed = call.policy->CheckInteraction(*call.principal, "Invoice", access::Op::kUpdate);
    if (!Permit(call, respond, allowed, "Invoice")) return;
    auto in = ParametersIn::FromBody(call.req.body);
    if (!in.ok()) return RespondError(respond, in.status());
    TransferIn t;
    t.bank = "cashier";
    t.invoice_id = call.id;
    t.kind = refund_ ? payments::PaymentKind::kRefund : payments::PaymentKind::kPayment;
    auto amount = in->Integer("amount");
    auto method = in->Text("method");
    auto kind = in->Text("kind");
    auto txn_id = in->Text("transaction");
    for (const Status& st : {amount.status(), method.status(), kind.status(), txn_id.status()}) {
      if (!st.ok()) return RespondError(respond, st);
    }
    if (!*amount) {
      return RespondError(respond, Status(ErrorCode::kInvalidArgument, "amount is required"));
    }
    t.amount = **amount;
    t.method = method->value_or("cash");
    if (t.method != "cash" && t.method != "pos-card" && t.method != "mobile-money" &&
        t.method != "vietqr") {
      return RespondError(respond, Status(ErrorCode::kInvalidArgument,
                                          "method must be cash, pos-card, mobile-money or vietqr"));
    }
    if (!refund_ && kind->value_or("payment") == "deposit") {
      t.kind = payments::PaymentKind::kDeposit;
    }
    t.txn_id = txn_id->value_or(NewResourceId());  // without a slip number, every call counts
    auto result = std::make_shared<LedgerOutcome>();
    BillingOptions o = ctx_->options;
    WriteAsCaller(
        call,
        [result, o, t](storage::WriteTxn& txn, rest::Actor& actor) -> Status {
          HB_ASSIGN_OR_RETURN(*result, ApplyTransfer(txn, &actor, o, t));
          return Status::Ok();
        },
        [result, ctx = ctx_, call, respond = std::move(respond)](Status st) {
          if (!st.ok()) return respond(rest::ErrorResponse(st));
          PublishInvoice(*ctx, result->invoice_json);
          ParametersOut out;
          out.Reference("reconciliation", "PaymentReconciliation/" + result->reconciliation_id);
          out.Code("outcome", result->outcome);
          out.Bool("duplicate", result->duplicate);
          if (auto s = payments::ReadInvoice(result->invoice_json); s.ok()) {
            out.Code("status", s->status);
            out.Decimal("balance", std::to_string(s->Balance()));
          }
          RespondJson(call, respond, 200, out.Finish());
        });
  }

 private:
  BillingContextPtr ctx_;
  bool refund_;
};

class ReceiptOperation : public rest::Operation {
 public:
  explicit ReceiptOperation(BillingContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "receipt"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kInstance && type == "Invoice";
  }
  bool AllowsGet() const override { return true; }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Invoice-receipt";
  }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    Status allowed = call.policy->CheckInteraction(*call.principal, "Invoice", access::Op::kRead);
    if (!Permit(call, respond, allowed, "Invoice")) return;
    const BillingOptions& o = ctx_->options;
    auto txn = call.store->BeginRead();
    auto v = ReadInvoiceVersion(*txn, call.id);
    if (!v.ok()) return RespondError(respond, v.status());
    {  // the invoice is patient data: need-to-know (a citizen: their own), audited
      rest::ReadAccess reading(*call.principal, *call.policy, call.sink, "operation");
      Status seen = reading.Check(*txn, *v);
      reading.Commit();
      if (!seen.ok()) return RespondError(respond, seen);
    }
    auto s = payments::ReadInvoice(v->json);
    if (!s.ok()) return RespondError(respond, s.status());
    payments::ReceiptInput in;
    in.facility_name = o.facility_name;
    in.facility_code = o.facility_code;
    in.invoice = *s;
    auto notices =
        reception::SearchResources(*txn, "PaymentNotice", {{"request", "Invoice/" + s->id}}, 500);
    if (!notices.ok()) return RespondError(respond, notices.status());
    for (const auto& n : *notices) {
      auto doc = fhir::ParseJson(n.json);
      if (!doc.ok()) continue;
      std::string_view rec = fhir::MemberString(*fhir::Member(*doc, "payment"), "reference");
      auto r = txn->Read("PaymentReconciliation", rec.substr(rec.find('/') + 1));
      if (!r.ok()) continue;
      auto f = payments::ReadReconciliation(r->json);
      if (!f.ok()) continue;
      in.payments.push_back({f->created.substr(0, 10), f->method, "", f->amount});
    }
    in.verify_url = o.public_base_url + "/api/receipts/verify?invoice=" + s->id +
                    "&paid=" + std::to_string(s->paid) +
                    "&token=" + payments::ReceiptToken(o.receipt_secret, s->id, s->paid);
    http::Response r;
    r.status = 200;
    r.content_type = "text/html; charset=utf-8";
    r.body = payments::ReceiptHtml(in);
    respond(std::move(r));
  }

 private:
  BillingContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakePayOperation(BillingContextPtr ctx, bool refund) {
  return std::make_unique<PayOperation>(std::move(ctx), refund);
}
std::unique_ptr<rest::Operation> MakeReceiptOperation(BillingContextPtr ctx) {
  return std::make_unique<ReceiptOperation>(std::move(ctx));
}

}  // namespace hb::operations
