// POST Encounter/{id}/$invoice: the encounter's Invoice from its ChargeItems, priced from the
// facility price list (payments/price_catalog.h; ChargeItem.priceOverride wins over it), split
// between BHYT and the patient by the patient's active Coverage (payments/billing_split.h).
// Calling it again refreshes the lines and keeps the invoice id, its payment reference and
// what has been paid (deposits), so settlement at discharge is one more call.
//
// GET Invoice/{id}/$vietqr: Parameters payload (dynamic VietQR for the open balance, the
// invoice reference as bill number and in the purpose), svg, png, amount, reference.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "common/clock.h"
#include "identity/bhyt_qr.h"
#include "operations/billing_support.h"
#include "operations/factories.h"
#include "operations/op_support.h"
#include "payments/payment_security.h"
#include "payments/price_catalog.h"
#include "payments/qr_image.h"
#include "payments/vietqr.h"
#include "payments/vnd.h"
#include "reception/candidate_search.h"
#include "reception/insurance_check.h"
#include "rest/outcome.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

using fhir::JsonValue;

const JsonValue* Path(const JsonValue& v, std::initializer_list<const char*> keys) {
  const JsonValue* at = &v;
  for (const char* k : keys) {
    if (at->IsArray()) at = at->Empty() ? nullptr : &(*at)[0];
    if (!at || !at->IsObject()) return nullptr;
    at = fhir::Member(*at, k);
    if (!at) return nullptr;
  }
  return at;
}
std::string Text(const JsonValue* v) {
  if (!v) return {};
  if (fhir::IsNumber(*v)) return std::string(fhir::NumberText(*v));
  return v->IsString() ? std::string(fhir::StringView(*v)) : std::string();
}
// Any extension (nested too) with this url ending, as a boolean.
std::optional<bool> BoolExtension(const JsonValue& v, std::string_view url_end) {
  const JsonValue* exts = v.IsObject() ? fhir::Member(v, "extension") : nullptr;
  if (!exts || !exts->IsArray()) return std::nullopt;
  for (const auto& e : exts->GetArray()) {
    std::string_view url = fhir::MemberString(e, "url");
    const JsonValue* b = fhir::Member(e, "valueBoolean");
    if (url.ends_with(url_end) && b && b->IsBool()) return b->GetBool();
    if (auto nested = BoolExtension(e, url_end)) return nested;
  }
  return std::nullopt;
}

Result<payments::ChargeLine> LineOf(const storage::ResourceVersion& v, const BillingOptions& o,
                                    const std::string& date) {
  HB_ASSIGN_OR_RETURN(auto doc, fhir::ParseJson(v.json));
  payments::ChargeLine line;
  line.charge_item_id = v.id;
  line.code = Text(Path(doc, {"code", "coding", "code"}));
  line.display = Text(Path(doc, {"code", "coding", "display"}));
  if (line.display.empty()) line.display = Text(Path(doc, {"code", "text"}));
  if (const JsonValue* q = Path(doc, {"quantity", "value"})) {
    auto milli = payments::ParseMilli(Text(q));
    if (!milli || *milli <= 0) {
      return Status(ErrorCode::kUnprocessable, "ChargeItem/" + v.id + ": bad quantity");
    }
    line.quantity_milli = *milli;
  }
  auto listed = payments::FindCatalogPrice(line.code, o.facility_code, date);
  if (listed) {
    line.unit_price = listed->unit_price;
    line.insurance_ratio = listed->insurance_ratio;
    line.in_scope = listed->in_scope;
    line.priced_from_catalog = true;
    if (line.display.empty()) line.display = listed->display;
  } else {
    // Outside the price list BHYT pays nothing unless the item says it is covered.
    line.in_scope = BoolExtension(doc, "bhyt-covered").value_or(false);
  }
  if (const JsonValue* p = Path(doc, {"priceOverride", "value"})) {
    auto price = payments::ParseVnd(Text(p));
    if (!price || *price < 0) {
      return Status(ErrorCode::kUnprocessable, "ChargeItem/" + v.id + ": bad priceOverride");
    }
    line.unit_price = *price;
  } else if (!listed) {
    return Status(ErrorCode::kUnprocessable,
                  "ChargeItem/" + v.id + ": code '" + line.code +
                      "' is not in the facility price list and has no priceOverride");
  }
  return line;
}

Result<payments::CoverageTerms> TermsOf(storage::ReadTxn& txn, const std::string& patient_ref,
                                        const BillingOptions& o) {
  payments::CoverageTerms t;
  t.out_of_network_percent = o.out_of_network_percent;
  HB_ASSIGN_OR_RETURN(
      auto found, reception::SearchResources(
                      txn, "Coverage", {{"beneficiary", patient_ref}, {"status", "active"}}, 1));
  if (found.empty()) return t;
  HB_ASSIGN_OR_RETURN(auto doc, fhir::ParseJson(found[0].json));
  if (const JsonValue* classes = fhir::Member(doc, "class"); classes && classes->IsArray()) {
    for (const auto& c : classes->GetArray()) {
      if (Text(Path(c, {"type", "coding", "code"})) != "plan") continue;
      std::string level = Text(fhir::Member(c, "value"));
      if (level.size() == 1 && level[0] >= '1' && level[0] <= '5') {
        t.benefit_percent = identity::BenefitPercent(level[0] - '0');
        t.insured = true;
      }
    }
  }
  t.coverage_id = found[0].id;
  t.in_network = BoolExtension(doc, "in-network").value_or(true);
  return t;
}

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
    auto result = std::make_shared<storage::ResourceVersion>();
    auto created = std::make_shared<bool>(false);
    BillingOptions o = ctx_->options;
    WriteAsCaller(
        call,
        [result, created, o, enc_id = call.id](storage::WriteTxn& txn,
                                               rest::Actor& actor) -> Status {
          auto enc = txn.Read("Encounter", enc_id);
          if (!enc.ok() || enc->deleted) {
            return Status(ErrorCode::kNotFound, "Encounter/" + enc_id + " is not known");
          }
          HB_ASSIGN_OR_RETURN(auto enc_doc, fhir::ParseJson(enc->json));
          std::string patient = Text(Path(enc_doc, {"subject", "reference"}));
          if (!patient.starts_with("Patient/")) {
            return Status(ErrorCode::kUnprocessable, "Encounter/" + enc_id + " has no patient");
          }
          std::string today = LocalDate(txn.Now(), o.utc_offset_minutes);
          std::string catalog_date = today.substr(0, 4) + today.substr(5, 2) + today.substr(8);
          HB_ASSIGN_OR_RETURN(
              auto items, reception::SearchResources(txn, "ChargeItem",
                                                     {{"context", "Encounter/" + enc_id}}, 1000));
          std::sort(items.begin(), items.end(), [](auto& a, auto& b) { return a.id < b.id; });
          std::vector<payments::ChargeLine> lines;
          for (const auto& item : items) {
            HB_ASSIGN_OR_RETURN(fhir::JsonDoc charge, fhir::ParseJson(item.json));
            std::string_view status = fhir::MemberString(charge, "status");
            if (status != "billable" && status != "billed") continue;
            HB_ASSIGN_OR_RETURN(auto line, LineOf(item, o, catalog_date));
            lines.push_back(std::move(line));
          }
          payments::InvoiceDraft d;
          HB_ASSIGN_OR_RETURN(d.terms, TermsOf(txn, patient, o));
          d.split = payments::SplitCharges(lines, d.terms);
          d.encounter_id = enc_id;
          d.patient_ref = patient;
          d.facility_code = o.facility_code;
          d.facility_name = o.facility_name;
          d.date = FormatInstant(txn.Now());
          HB_ASSIGN_OR_RETURN(
              auto existing,
              reception::SearchResources(
                  txn, "Invoice",
                  {{"identifier", reception::EscapeSearchValue(payments::Uris().invoice_encounter) +
                                      "|" + reception::EscapeSearchValue(enc_id)}},
                  1));
          if (existing.empty()) {
            d.reference = payments::NewPaymentReference();
            HB_ASSIGN_OR_RETURN(*result, CreateResource(txn, &actor, payments::InvoiceJson(d)));
            *created = true;
            return Status::Ok();
          }
          HB_ASSIGN_OR_RETURN(auto state, payments::ReadInvoice(existing[0].json));
          d.id = state.id;
          d.reference = state.reference;
          d.paid = state.paid;  // deposits and earlier payments carry over to the settlement
          HB_ASSIGN_OR_RETURN(*result, UpdateResource(txn, &actor, payments::InvoiceJson(d), d.id,
                                                      existing[0].version));
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

std::string Base64(std::string_view bytes) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(t[(n >> s) & 63]);
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (rest == 2) n |= uint8_t(bytes[i + 1]) << 8;
    out.push_back(t[(n >> 18) & 63]);
    out.push_back(t[(n >> 12) & 63]);
    out.push_back(rest == 2 ? t[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

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
    txn.reset();
    if (!v.ok()) return RespondError(respond, v.status());
    auto s = payments::ReadInvoice(v->json);
    if (!s.ok()) return RespondError(respond, s.status());
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
    param("png", "valueBase64Binary", Base64(*png));
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
