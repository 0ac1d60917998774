#include "payments/billing_records.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "fhir/json.h"
#include "fhir/vn_systems.h"
#include "payments/vnd.h"

namespace hb::payments {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void Money(Writer& w, std::string_view key, int64_t value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartObject();
  w.Key("value");
  w.Int64(value);
  Str(w, "currency", "VND");
  w.EndObject();
}
// An exact decimal amount, written from its text.
void MoneyText(Writer& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartObject();
  w.Key("value");
  w.RawValue(value.data(), value.size(), rapidjson::kNumberType);
  Str(w, "currency", "VND");
  w.EndObject();
}
void Ref(Writer& w, std::string_view key, std::string_view ref, std::string_view display = {}) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartObject();
  Str(w, "reference", ref);
  if (!display.empty()) Str(w, "display", display);
  w.EndObject();
}
void Ident(Writer& w, std::string_view system, std::string_view value) {
  w.StartObject();
  Str(w, "system", system);
  Str(w, "value", value);
  w.EndObject();
}
void Coded(Writer& w, std::string_view key, std::string_view system, std::string_view code) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartObject();
  w.Key("coding");
  w.StartArray();
  w.StartObject();
  Str(w, "system", system);
  Str(w, "code", code);
  w.EndObject();
  w.EndArray();
  w.EndObject();
}
void Component(Writer& w, std::string_view type, std::string_view code, std::string_view amount) {
  w.StartObject();
  Str(w, "type", type);
  Coded(w, "code", Uris().price_component, code);
  MoneyText(w, "amount", amount);
  w.EndObject();
}

// Money.value (kept as text by fhir::ParseJson) to the whole đồng.
int64_t MoneyValue(const rapidjson::Value* v) {
  if (!v || !v->IsObject() || !v->HasMember("value")) return 0;
  return ParseVnd(fhir::NumberText((*v)["value"])).value_or(0);
}
std::string StringOf(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject() || !obj.HasMember(name) || !obj[name].IsString()) return {};
  return obj[name].GetString();
}
const rapidjson::Value* Extension(const rapidjson::Value& obj, std::string_view url) {
  if (!obj.HasMember("extension") || !obj["extension"].IsArray()) return nullptr;
  for (const auto& e : obj["extension"].GetArray()) {
    if (StringOf(e, "url") == url) return &e;
  }
  return nullptr;
}
// Decimals keep their text (fhir/json.h), so amounts are never doubles.
Result<rapidjson::Document> Parse(std::string_view json, std::string_view type) {
  auto d = fhir::ParseJson(json);
  if (!d.ok() || !d->IsObject() || StringOf(*d, "resourceType") != type) {
    return Status(ErrorCode::kInvalidResource, "not a stored " + std::string(type));
  }
  return std::move(d).value();
}
std::string_view KindCode(PaymentKind k) {
  return k == PaymentKind::kDeposit  ? "advance"
         : k == PaymentKind::kRefund ? "adjustment"
                                     : "payment";
}

}  // namespace

const BillingUris& Uris() {
  static const BillingUris* u = [] {
    const std::string& b = fhir::vn::Systems().base;
    return new BillingUris{b + "invoice-reference",
                           b + "invoice-encounter",
                           b + "bank-transaction",
                           b + "payment-method",
                           b + "price-component",
                           b + "extension/billing-paid",
                           b + "extension/payment-method",
                           b + "extension/payment-unapplied",
                           b + "extension/billing-coverage",
                           b + "invoice-day",
                           b + "extension/payment-assignment"};
  }();
  return *u;
}

std::string_view InvoiceStatusFor(int64_t patient_share, int64_t paid) {
  return paid >= patient_share ? "balanced" : "issued";
}

std::string InvoiceJson(const InvoiceDraft& d) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Str(w, "resourceType", "Invoice");
  if (!d.id.empty()) Str(w, "id", d.id);
  w.Key("extension");
  w.StartArray();
  w.StartObject();
  Str(w, "url", Uris().ext_paid);
  Money(w, "valueMoney", d.paid);
  w.EndObject();
  if (!d.coverage_id.empty()) {
    w.StartObject();
    Str(w, "url", Uris().ext_coverage);
    Ref(w, "valueReference", "Coverage/" + d.coverage_id, d.coverage_display);
    w.EndObject();
  }
  w.EndArray();
  w.Key("identifier");
  w.StartArray();
  Ident(w, Uris().invoice_reference, d.reference);
  Ident(w, Uris().invoice_encounter, d.encounter_id);
  for (const std::string& e : d.more_encounters) Ident(w, Uris().invoice_encounter, e);
  if (!d.day.empty()) {
    Ident(w, Uris().invoice_day, d.patient_ref.substr(d.patient_ref.find('/') + 1) + "/" + d.day);
  }
  w.EndArray();
  Str(w, "status", InvoiceStatusFor(d.patient_due, d.paid));
  Ref(w, "subject", d.patient_ref);
  Str(w, "date", d.date);
  w.Key("issuer");
  w.StartObject();
  w.Key("identifier");
  Ident(w, fhir::vn::Systems().facility, d.facility_code);
  if (!d.facility_name.empty()) Str(w, "display", d.facility_name);
  w.EndObject();
  if (!d.lines.empty()) {
    w.Key("lineItem");
    w.StartArray();
    int seq = 1;
    for (const InvoiceLine& l : d.lines) {
      w.StartObject();
      w.Key("sequence");
      w.Int(seq++);
      Ref(w, "chargeItemReference", "ChargeItem/" + l.charge_item_id,
          l.display.empty() ? l.code : l.code + " " + l.display);
      w.Key("priceComponent");
      w.StartArray();
      Component(w, "base", "gross", l.gross);
      Component(w, "deduction", "insurance", l.insurance);
      Component(w, "informational", "patient", l.patient);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("totalPriceComponent");
  w.StartArray();
  Component(w, "base", "gross", d.gross);
  Component(w, "deduction", "insurance", d.insurance);
  w.EndArray();
  MoneyText(w, "totalGross", d.gross);
  MoneyText(w, "totalNet", d.patient);
  w.EndObject();
  return buf.GetString();
}

Result<InvoiceState> ReadInvoice(std::string_view json) {
  HB_ASSIGN_OR_RETURN(rapidjson::Document d, Parse(json, "Invoice"));
  InvoiceState s;
  s.id = StringOf(d, "id");
  s.status = StringOf(d, "status");
  if (d.HasMember("identifier") && d["identifier"].IsArray()) {
    for (const auto& i : d["identifier"].GetArray()) {
      if (StringOf(i, "system") == Uris().invoice_reference) s.reference = StringOf(i, "value");
      if (StringOf(i, "system") == Uris().invoice_encounter) {
        s.encounter_ids.push_back(StringOf(i, "value"));
      }
      if (StringOf(i, "system") == Uris().invoice_day) {
        const std::string v = StringOf(i, "value");
        s.day = v.substr(v.rfind('/') + 1);
      }
    }
  }
  if (!s.encounter_ids.empty()) s.encounter_id = s.encounter_ids.front();
  s.cancelled_reason = StringOf(d, "cancelledReason");
  if (d.HasMember("subject")) s.patient_ref = StringOf(d["subject"], "reference");
  s.gross = MoneyValue(d.HasMember("totalGross") ? &d["totalGross"] : nullptr);
  s.patient_share = MoneyValue(d.HasMember("totalNet") ? &d["totalNet"] : nullptr);
  s.insurance = s.gross - s.patient_share;
  const rapidjson::Value* paid = Extension(d, Uris().ext_paid);
  if (s.reference.empty() || !paid) {
    return Status(ErrorCode::kInvalidResource,
                  "Invoice/" + s.id + " was not made by $invoice (no payment reference)");
  }
  s.paid = MoneyValue(paid->HasMember("valueMoney") ? &(*paid)["valueMoney"] : nullptr);
  return s;
}

Status CancelledInvoiceError(const InvoiceState& s, std::string_view advice) {
  return Status(ErrorCode::kUnprocessable, "Invoice/" + s.id + " (" + s.reference +
                                               ") was cancelled (" + s.cancelled_reason +
                                               "): " + std::string(advice));
}

Result<std::string> InvoiceWithPaid(std::string_view json, int64_t paid) {
  HB_ASSIGN_OR_RETURN(InvoiceState s, ReadInvoice(json));
  if (s.Cancelled()) {
    return CancelledInvoiceError(
        s, "no money can be taken or returned on it; bill the visit again and use its new invoice");
  }
  HB_ASSIGN_OR_RETURN(rapidjson::Document d, Parse(json, "Invoice"));
  auto* ext = const_cast<rapidjson::Value*>(Extension(d, Uris().ext_paid));
  fhir::SetNumber((*ext)["valueMoney"]["value"], std::to_string(paid), d.GetAllocator());
  fhir::SetString(d["status"], InvoiceStatusFor(s.patient_share, paid), d.GetAllocator());
  return fhir::Serialize(d);
}

Result<std::string> CancelledInvoice(std::string_view json, const Cancellation& c) {
  HB_ASSIGN_OR_RETURN(InvoiceState s, ReadInvoice(json));
  if (s.Cancelled()) {
    return Status(ErrorCode::kUnprocessable,
                  "Invoice/" + s.id + " (" + s.reference + ") is already cancelled");
  }
  if (s.paid != 0) {
    return Status(ErrorCode::kUnprocessable,
                  "Invoice/" + s.id + " (" + s.reference + ") holds " + FormatVnd(s.paid) +
                      " đồng received: refund it ($refund) or move the payments to the right "
                      "invoice ($assign) before cancelling");
  }
  HB_ASSIGN_OR_RETURN(rapidjson::Document d, Parse(json, "Invoice"));
  auto& alloc = d.GetAllocator();
  auto text = [&](std::string_view v) {
    rapidjson::Value out;
    fhir::SetString(out, v, alloc);
    return out;
  };
  fhir::SetString(d["status"], "cancelled", alloc);
  d.RemoveMember("cancelledReason");
  d.AddMember("cancelledReason", text(c.reason), alloc);
  rapidjson::Value note(rapidjson::kObjectType);
  note.AddMember("authorString", text(c.by), alloc);
  note.AddMember("time", text(c.at), alloc);
  note.AddMember("text", text("Hủy hóa đơn / invoice cancelled: " + c.reason), alloc);
  if (!d.HasMember("note") || !d["note"].IsArray()) {
    d.RemoveMember("note");
    d.AddMember("note", rapidjson::Value(rapidjson::kArrayType), alloc);
  }
  d["note"].PushBack(note, alloc);
  return fhir::Serialize(d);
}

std::string ReconciliationJson(const PaymentEntry& e) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Str(w, "resourceType", "PaymentReconciliation");
  w.Key("extension");
  w.StartArray();
  w.StartObject();
  Str(w, "url", Uris().ext_method);
  w.Key("valueCoding");
  w.StartObject();
  Str(w, "system", Uris().payment_method);
  Str(w, "code", e.method);
  w.EndObject();
  w.EndObject();
  w.StartObject();
  Str(w, "url", Uris().ext_unapplied);
  Money(w, "valueMoney", e.amount - e.applied);
  w.EndObject();
  w.EndArray();
  w.Key("identifier");
  w.StartArray();
  Ident(w, Uris().bank_transaction, e.bank + ":" + e.txn_id);
  w.EndArray();
  Str(w, "status", "active");
  Str(w, "created", e.created);
  Str(w, "outcome", e.outcome);
  if (!e.disposition.empty()) Str(w, "disposition", e.disposition);
  Str(w, "paymentDate", e.payment_date);
  Money(w, "paymentAmount", e.amount);
  w.Key("paymentIdentifier");
  Ident(w, Uris().bank_transaction, e.bank + ":" + e.txn_id);
  w.Key("detail");
  w.StartArray();
  w.StartObject();
  Coded(w, "type", "http://terminology.hl7.org/CodeSystem/payment-type", KindCode(e.kind));
  if (!e.invoice_id.empty()) Ref(w, "request", "Invoice/" + e.invoice_id);
  Str(w, "date", e.payment_date);
  Money(w, "amount", e.applied);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

std::string NoticeJson(const PaymentEntry& e, std::string_view reconciliation_id,
                       std::string_view facility_code, std::string_view facility_name) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Str(w, "resourceType", "PaymentNotice");
  w.Key("identifier");
  w.StartArray();
  Ident(w, Uris().bank_transaction, e.bank + ":" + e.txn_id);
  w.EndArray();
  Str(w, "status", "active");
  if (!e.invoice_id.empty()) Ref(w, "request", "Invoice/" + e.invoice_id);
  Str(w, "created", e.created);
  Ref(w, "payment", "PaymentReconciliation/" + std::string(reconciliation_id));
  Str(w, "paymentDate", e.payment_date);
  w.Key("recipient");
  w.StartObject();
  w.Key("identifier");
  Ident(w, fhir::vn::Systems().facility, facility_code);
  if (!facility_name.empty()) Str(w, "display", facility_name);
  w.EndObject();
  Money(w, "amount", e.amount);
  Coded(w, "paymentStatus", "http://terminology.hl7.org/CodeSystem/paymentstatus",
        e.kind == PaymentKind::kRefund ? "cleared" : "paid");
  w.EndObject();
  return buf.GetString();
}

Result<ReconciliationFacts> ReadReconciliation(std::string_view json) {
  HB_ASSIGN_OR_RETURN(rapidjson::Document d, Parse(json, "PaymentReconciliation"));
  ReconciliationFacts f;
  f.id = StringOf(d, "id");
  f.outcome = StringOf(d, "outcome");
  f.disposition = StringOf(d, "disposition");
  f.created = StringOf(d, "created");
  if (d.HasMember("identifier") && d["identifier"].IsArray() && !d["identifier"].Empty()) {
    const std::string id = StringOf(d["identifier"][0], "value");  // bank:transaction
    f.transaction = id.substr(id.find(':') == std::string::npos ? 0 : id.find(':') + 1);
    f.key = id;
  }
  f.amount = MoneyValue(d.HasMember("paymentAmount") ? &d["paymentAmount"] : nullptr);
  if (const auto* m = Extension(d, Uris().ext_method); m && m->HasMember("valueCoding")) {
    f.method = StringOf((*m)["valueCoding"], "code");
  }
  if (d.HasMember("detail") && d["detail"].IsArray() && !d["detail"].Empty()) {
    const auto& det = d["detail"][0];
    f.applied = MoneyValue(det.HasMember("amount") ? &det["amount"] : nullptr);
    if (det.HasMember("request")) {
      std::string ref = StringOf(det["request"], "reference");
      if (ref.starts_with("Invoice/")) f.invoice_id = ref.substr(8);
    }
    if (det.HasMember("type") && det["type"].HasMember("coding")) {
      f.kind = StringOf(det["type"]["coding"][0], "code");
    }
  }
  if (f.method.empty()) {
    return Status(ErrorCode::kInvalidResource,
                  "PaymentReconciliation/" + f.id + " has no payment method extension");
  }
  return f;
}

}  // namespace hb::payments
