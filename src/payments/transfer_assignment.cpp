#include "payments/transfer_assignment.h"

#include <initializer_list>
#include <utility>

#include "fhir/json.h"
#include "payments/vnd.h"

namespace hb::payments {

namespace {

void SetMember(fhir::JsonValue& obj, std::string_view name, fhir::JsonValue&& value,
               fhir::JsonAlloc& alloc) {
  if (fhir::JsonValue* m = fhir::Member(obj, name)) {
    *m = std::move(value);
    return;
  }
  obj.AddMember(fhir::JsonValue(name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc),
                std::move(value), alloc);
}
fhir::JsonValue Text(std::string_view s, fhir::JsonAlloc& alloc) {
  fhir::JsonValue v;
  fhir::SetString(v, s, alloc);
  return v;
}
fhir::JsonValue Number(int64_t n, fhir::JsonAlloc& alloc) {
  fhir::JsonValue v;
  fhir::SetNumber(v, std::to_string(n), alloc);
  return v;
}

fhir::JsonValue Object(fhir::JsonAlloc& alloc,
                       std::initializer_list<std::pair<const char*, fhir::JsonValue*>> members) {
  fhir::JsonValue o(rapidjson::kObjectType);
  for (const auto& [name, value] : members) o.AddMember(rapidjson::StringRef(name), *value, alloc);
  return o;
}
fhir::JsonValue Ref(std::string_view ref, std::string_view display, fhir::JsonAlloc& alloc) {
  fhir::JsonValue r = Text(ref, alloc);
  fhir::JsonValue o = Object(alloc, {{"reference", &r}});
  if (!display.empty()) o.AddMember("display", Text(display, alloc), alloc);
  return o;
}
// One part of the payment-assignment extension: {"url": url, key: value}.
fhir::JsonValue Part(const char* url, const char* key, fhir::JsonValue value,
                     fhir::JsonAlloc& alloc) {
  fhir::JsonValue u = Text(url, alloc);
  return Object(alloc, {{"url", &u}, {key, &value}});
}

// The detail entry that records one assignment (type adjustment, request = the new invoice).
fhir::JsonValue HistoryDetail(const Assignment& a, fhir::JsonAlloc& alloc) {
  fhir::JsonValue parts(rapidjson::kArrayType);
  if (!a.from_invoice.empty()) {
    parts.PushBack(Part("from", "valueReference",
                        Ref("Invoice/" + a.from_invoice, a.from_reference, alloc), alloc),
                   alloc);
  }
  parts.PushBack(
      Part("to", "valueReference", Ref("Invoice/" + a.to_invoice, a.to_reference, alloc), alloc),
      alloc);
  parts.PushBack(Part("by", "valueString", Text(a.by, alloc), alloc), alloc);
  if (!a.reason.empty())
    parts.PushBack(Part("reason", "valueString", Text(a.reason, alloc), alloc), alloc);
  parts.PushBack(Part("at", "valueDateTime", Text(a.at, alloc), alloc), alloc);
  fhir::JsonValue url = Text(Uris().ext_assignment, alloc);
  fhir::JsonValue ext = Object(alloc, {{"url", &url}, {"extension", &parts}});
  fhir::JsonValue exts(rapidjson::kArrayType);
  exts.PushBack(ext, alloc);

  fhir::JsonValue system = Text("http://terminology.hl7.org/CodeSystem/payment-type", alloc);
  fhir::JsonValue code = Text("adjustment", alloc);
  fhir::JsonValue coding(rapidjson::kArrayType);
  coding.PushBack(Object(alloc, {{"system", &system}, {"code", &code}}), alloc);
  fhir::JsonValue type = Object(alloc, {{"coding", &coding}});
  fhir::JsonValue request = Ref("Invoice/" + a.to_invoice, a.to_reference, alloc);
  fhir::JsonValue date = Text(a.date, alloc);
  fhir::JsonValue value = Number(a.allocation.applied, alloc);
  fhir::JsonValue currency = Text("VND", alloc);
  fhir::JsonValue amount = Object(alloc, {{"value", &value}, {"currency", &currency}});
  return Object(alloc, {{"extension", &exts},
                        {"type", &type},
                        {"request", &request},
                        {"date", &date},
                        {"amount", &amount}});
}

Result<fhir::JsonDoc> ParseAs(std::string_view json, std::string_view type) {
  auto d = fhir::ParseJson(json);
  if (!d.ok() || !d->IsObject() || fhir::MemberString(*d, "resourceType") != type) {
    return Status(ErrorCode::kInvalidResource, "not a stored " + std::string(type));
  }
  return std::move(d).value();
}

}  // namespace

Allocation AllocatePayment(int64_t amount, int64_t balance, PaymentKind kind,
                           std::string_view invoice_id) {
  Allocation a;
  const int64_t open = std::max<int64_t>(0, balance);
  a.applied = std::min(amount, open);
  if (amount > open) {
    a.outcome = "partial";
    a.disposition = "overpaid by " + FormatVnd(amount - open) + " đồng on Invoice/" +
                    std::string(invoice_id) + ": refund with $refund or keep as credit";
  } else {
    a.outcome = "complete";
    if (amount < open) {
      a.disposition = (kind == PaymentKind::kDeposit ? "deposit; " : "partial payment; ") +
                      FormatVnd(open - amount) + " đồng still open";
    }
  }
  return a;
}

Result<std::string> AssignedReconciliation(std::string_view reconciliation_json,
                                           const Assignment& a) {
  HB_ASSIGN_OR_RETURN(ReconciliationFacts facts, ReadReconciliation(reconciliation_json));
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, ParseAs(reconciliation_json, "PaymentReconciliation"));
  auto& alloc = d.GetAllocator();
  fhir::JsonValue* details = fhir::Member(d, "detail");
  if (!details || !details->IsArray() || details->Empty()) {
    return Status(ErrorCode::kInvalidResource,
                  "PaymentReconciliation/" + facts.id + " has no detail to assign");
  }
  fhir::JsonValue& first = (*details)[0];
  fhir::JsonValue request(rapidjson::kObjectType);
  request.AddMember("reference", Text("Invoice/" + a.to_invoice, alloc), alloc);
  SetMember(first, "request", std::move(request), alloc);
  if (fhir::JsonValue* amount = fhir::Member(first, "amount"); amount && amount->IsObject()) {
    SetMember(*amount, "value", Number(a.allocation.applied, alloc), alloc);
  }
  if (fhir::JsonValue* exts = fhir::Member(d, "extension"); exts && exts->IsArray()) {
    for (auto& e : exts->GetArray()) {
      if (fhir::MemberString(e, "url") != Uris().ext_unapplied) continue;
      if (fhir::JsonValue* money = fhir::Member(e, "valueMoney")) {
        SetMember(*money, "value", Number(facts.amount - a.allocation.applied, alloc), alloc);
      }
    }
  }
  SetMember(d, "outcome", Text(a.allocation.outcome, alloc), alloc);
  std::string why = "assigned by hand to Invoice/" + a.to_invoice;
  if (!a.to_reference.empty()) why += " (" + a.to_reference + ")";
  if (!a.from_invoice.empty()) why += " from Invoice/" + a.from_invoice;
  why += " by " + a.by;
  if (!a.reason.empty()) why += ": " + a.reason;
  if (!a.allocation.disposition.empty()) why += "; " + a.allocation.disposition;
  SetMember(d, "disposition", Text(why, alloc), alloc);
  // Looked up again: adding members to the resource above may have moved the array.
  fhir::Member(d, "detail")->PushBack(HistoryDetail(a, alloc), alloc);
  return fhir::Serialize(d);
}

Result<std::string> NoticeForInvoice(std::string_view notice_json, std::string_view invoice_id) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, ParseAs(notice_json, "PaymentNotice"));
  auto& alloc = d.GetAllocator();
  fhir::JsonValue request(rapidjson::kObjectType);
  request.AddMember("reference", Text("Invoice/" + std::string(invoice_id), alloc), alloc);
  SetMember(d, "request", std::move(request), alloc);
  return fhir::Serialize(d);
}

}  // namespace hb::payments
