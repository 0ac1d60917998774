// POST Encounter/{id}/$invoice [per = encounter | day]: the encounter's Invoice (or its
// day's: billing_invoice_build.cpp) from its ChargeItems, priced and split by the claims
// costing (operations/billing_pricing.h: the facility price list shared with claims, the
// card's benefit level and route, scope), so the invoice and the claim agree to the đồng. Calling
// it again refreshes the lines and keeps the invoice id, its payment reference and what has been
// paid (deposits), so settlement at discharge is one more call.
//
// GET Invoice/{id}/$vietqr: Parameters payload (dynamic VietQR for the open balance, the
// invoice reference as bill number and in the purpose), svg, png, amount, reference.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "common/base64.h"
#include "common/clock.h"
#include "operations/billing_support.h"
#include "operations/factories.h"
#include "operations/op_support.h"
#include "payments/payment_security.h"
#include "payments/qr_image.h"
#include "payments/vietqr.h"
#include "rest/outcome.h"
#include "rest/read_access.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

class InvoiceOperation : public rest::Operation {
 public:
  explicit InvoiceOperation(BillingContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "invoice"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kInstance && type == "Encounter";
  }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Encounter-invoice";
  }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    Status allowed = call.policy->CheckInteraction(*call.principal, "Invoice", access::Op::kCreate);
    if (!Permit(call, respond, allowed, "Invoice")) return;
    if (!ctx_->catalogs) {
      return RespondError(respond,
                          Status(ErrorCode::kUnavailable,
                                 "no facility price list is loaded (claims.price_list_dir): "
                                 "invoices cannot be priced"));
    }
    auto in = ReadParameters(call);
    if (!in.ok()) return RespondError(respond, in.status());
    auto per_param = in->Text("per");
    if (!per_param.ok()) return RespondError(respond, per_param.status());
    const std::string per = per_param->value_or("");
    if (!per.empty() && per != "encounter" && per != "day") {
      return RespondError(respond, Status(ErrorCode::kInvalidArgument,
                                          "per must be 'encounter' or 'day', got '" + per + "'"));
    }
    auto result = std::make_shared<storage::ResourceVersion>();
    auto created = std::make_shared<bool>(false);
    BillingOptions o = ctx_->options;
    WriteAsCaller(
        call,
        [result, created, o, per, catalogs = ctx_->catalogs, enc_id = call.id](
            storage::WriteTxn& txn, rest::Actor& actor) -> Status {
          HB_ASSIGN_OR_RETURN(BuiltInvoice built,
                              BuildInvoice(txn, &actor, o, *catalogs, enc_id, per));
          *result = std::move(built.version);
          *created = built.created;
          return Status::Ok();
        },
        [result, created, ctx = ctx_, call_ctx = call.ctx,
         respond = std::move(respond)](Status st) {
          if (!st.ok()) return respond(rest::ErrorResponse(st));
          PublishInvoice(*ctx, result->json);
          rest::RequestContext rc = call_ctx;
          rc.prefer_return = rest::PreferReturn::kRepresentation;
          respond(rest::ResourceResponse(*created ? 201 : 200, *result, rc, false));
        });
  }

 private:
  BillingContextPtr ctx_;
};

class VietQrOperation : public rest::Operation {
 public:
  explicit VietQrOperation(BillingContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "vietqr"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kInstance && type == "Invoice";
  }
  bool AllowsGet() const override { return true; }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Invoice-vietqr";
  }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    Status allowed = call.policy->CheckInteraction(*call.principal, "Invoice", access::Op::kRead);
    if (!Permit(call, respond, allowed, "Invoice")) return;
    const BillingOptions& o = ctx_->options;
    if (o.bank_bin.empty() || o.bank_account.empty()) {
      return RespondError(respond, Status(ErrorCode::kUnavailable,
                                          "payments.bank_bin and payments.bank_account are not "
                                          "configured: this facility cannot take transfers"));
    }
    auto txn = call.store->BeginRead();
    auto v = ReadInvoiceVersion(*txn, call.id);
    if (!v.ok()) return RespondError(respond, v.status());
    {  // the invoice is patient data: need-to-know (a citizen: their own), audited
      rest::ReadAccess reading(*call.principal, *call.policy, call.sink, "operation");
      Status seen = reading.Check(*txn, *v);
      reading.Commit();
      if (!seen.ok()) return RespondError(respond, seen);
    }
    txn.reset();
    auto s = payments::ReadInvoice(v->json);
    if (!s.ok()) return RespondError(respond, s.status());
    if (s->Cancelled()) {
      return RespondError(respond,
                          payments::CancelledInvoiceError(*s, "nothing is to be paid on it"));
    }
    if (s->Balance() <= 0) {
      return RespondError(respond, Status(ErrorCode::kUnprocessable,
                                          "Invoice/" + s->id + " has nothing left to pay"));
    }
    payments::VietQrTransfer t;
    t.bin = o.bank_bin;
    t.account = o.bank_account;
    t.amount = static_cast<uint64_t>(s->Balance());
    t.bill_number = s->reference;
    t.purpose = s->reference + " vien phi";
    auto payload = payments::EncodeVietQr(t);
    if (!payload.ok()) return RespondError(respond, payload.status());
    auto matrix = payments::MakeQrMatrix(*payload);
    if (!matrix.ok()) return RespondError(respond, matrix.status());
    auto png = payments::QrPng(*matrix);
    if (!png.ok()) return RespondError(respond, png.status());
    // Built here: ParametersOut has no base64Binary values.
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    auto param = [&](const char* name, const char* key, const std::string& value) {
      w.StartObject();
      w.Key("name");
      w.String(name);
      w.Key(key);
      w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
      w.EndObject();
    };
    w.StartObject();
    w.Key("resourceType");
    w.String("Parameters");
    w.Key("parameter");
    w.StartArray();
    param("payload", "valueString", *payload);
    param("svg", "valueString", payments::QrSvg(*matrix));
    param("png", "valueBase64Binary", Base64Encode(*png));
    w.StartObject();
    w.Key("name");
    w.String("amount");
    w.Key("valueDecimal");  // integer VND, may pass 2^31
    w.Int64(s->Balance());
    w.EndObject();
    param("reference", "valueString", s->reference);
    w.EndArray();
    w.EndObject();
    RespondJson(call, respond, 200, buf.GetString());
  }

 private:
  BillingContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeInvoiceOperation(BillingContextPtr ctx) {
  return std::make_unique<InvoiceOperation>(std::move(ctx));
}
std::unique_ptr<rest::Operation> MakeVietQrOperation(BillingContextPtr ctx) {
  return std::make_unique<VietQrOperation>(std::move(ctx));
}

}  // namespace hb::operations
