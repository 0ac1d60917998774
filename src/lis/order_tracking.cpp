#include "lis/order_tracking.h"

#include <cstdint>

#include "common/hash.h"
#include "fhir/vn_systems.h"
#include "lis/json_build.h"
#include "lis/lis_systems.h"

namespace hb::lis {

namespace {

bool HasCoding(const fhir::JsonValue* concepts, std::string_view system, std::string_view code) {
  if (concepts == nullptr || !concepts->IsArray()) return false;
  for (const fhir::JsonValue& cc : concepts->GetArray()) {
    const fhir::JsonValue* codings = fhir::Member(cc, "coding");
    if (codings == nullptr || !codings->IsArray()) continue;
    for (const fhir::JsonValue& c : codings->GetArray()) {
      if (fhir::MemberString(c, "system") == system && fhir::MemberString(c, "code") == code)
        return true;
    }
  }
  return false;
}

std::string_view IdentifierValue(const fhir::JsonValue& r, std::string_view system) {
  const fhir::JsonValue* ids = fhir::Member(r, "identifier");
  if (ids == nullptr || !ids->IsArray()) return {};
  for (const fhir::JsonValue& id : ids->GetArray()) {
    if (fhir::MemberString(id, "system") == system) return fhir::MemberString(id, "value");
  }
  return {};
}

// The sub-extension `name` of a complex extension instance, as a string value.
std::string_view Part(const fhir::JsonValue& ext, std::string_view name) {
  const fhir::JsonValue* parts = fhir::Member(ext, "extension");
  if (parts == nullptr || !parts->IsArray()) return {};
  for (const fhir::JsonValue& p : parts->GetArray()) {
    if (fhir::MemberString(p, "url") != name) continue;
    for (auto it = p.MemberBegin(); it != p.MemberEnd(); ++it) {
      if (fhir::StringView(it->name).starts_with("value") && fhir::IsString(it->value))
        return fhir::StringView(it->value);
    }
  }
  return {};
}

bool Sent(const fhir::JsonValue& sr, std::string_view control) {
  const fhir::JsonValue* exts = fhir::Member(sr, "extension");
  if (exts == nullptr || !exts->IsArray()) return false;
  const std::string url = OrderExtension();
  for (const fhir::JsonValue& e : exts->GetArray()) {
    if (fhir::MemberString(e, "url") == url && Part(e, "control") == control) return true;
  }
  return false;
}

}  // namespace

std::string OrderExtension() { return fhir::vn::Systems().base + "extension/lis-order"; }

OrderAction DecideOrderAction(const fhir::JsonValue& sr, std::string_view facility,
                              std::string_view facility_org, std::string_view owner) {
  OrderAction a;
  const fhir::JsonValue* category = fhir::Member(sr, "category");
  if (!HasCoding(category, kSnomedSystem, "108252007") &&
      !HasCoding(category, kObservationCategorySystem, "laboratory") &&
      !HasCoding(category, kDiagnosticServiceSystem, "LAB")) {
    a.reason = "not a laboratory order";
    return a;
  }
  std::string_view intent = fhir::MemberString(sr, "intent");
  if (intent != "order" && intent != "original-order" && intent != "reflex-order") {
    a.reason = "intent " + std::string(intent) + " is not an order";
    return a;
  }
  if (!IdentifierValue(sr, FillerOrderSystem(facility)).empty()) {
    a.reason = "the laboratory numbered it (filler order number): it came from the LIS";
    return a;
  }
  const std::string ours = "Organization/" + std::string(facility_org);
  bool any_performer = false, ours_performs = false;
  if (const fhir::JsonValue* p = fhir::Member(sr, "performer"); p != nullptr && p->IsArray()) {
    for (const fhir::JsonValue& r : p->GetArray()) {
      any_performer = true;
      ours_performs |= !facility_org.empty() && fhir::MemberString(r, "reference") == ours;
    }
  }
  if (facility_org.empty() || (any_performer ? !ours_performs : owner != facility_org)) {
    a.reason = "not for this facility's laboratory";
    return a;
  }
  std::string_view status = fhir::MemberString(sr, "status");
  if (status == "active" && !Sent(sr, "NW")) {
    a.control = "NW";
  } else if ((status == "revoked" || status == "entered-in-error") && Sent(sr, "NW") &&
             !Sent(sr, "CA")) {
    a.control = "CA";
  } else {
    a.reason = "nothing to tell the LIS (status " + std::string(status) + ")";
    return a;
  }
  a.placer = std::string(IdentifierValue(sr, PlacerOrderSystem(facility)));
  if (a.placer.empty()) {
    a.placer = std::string(fhir::MemberString(sr, "id"));
    a.add_placer_identifier = true;
  }
  return a;
}

std::string OrderOutboxKey(std::string_view id, std::string_view control) {
  return std::string(id) + ":" + std::string(control);
}

std::string OrderControlId(std::string_view key) {
  // FNV-1a 64 of the key in base32 (13 characters), "HB" in front: 15 characters, stable.
  uint64_t h = Fnv1a64(key);
  static constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out = "HB";
  for (int i = 0; i < 13; ++i) {
    out.push_back(kBase32[h & 31]);
    h >>= 5;
  }
  return out;
}

void RecordOrderQueued(fhir::JsonValue& sr, fhir::JsonAlloc& alloc, const OrderAction& action,
                       std::string_view facility, std::string_view control_id,
                       std::string_view queued_at) {
  JsonNode order(&sr, &alloc);
  if (action.add_placer_identifier) {
    JsonNode id = order.Arr("identifier").Add();
    {
      JsonNode type = id.Obj("type");
      type.Arr("coding").Add().Coding(kIdentifierTypeSystem, "PLAC", "Placer Identifier");
    }
    id.Str("system", PlacerOrderSystem(facility)).Str("value", action.placer);
  }
  JsonNode ext = order.Arr("extension").Add();
  ext.Str("url", OrderExtension());
  JsonNode parts = ext.Arr("extension");
  parts.Add().Str("url", "control").Str("valueCode", action.control);
  parts.Add().Str("url", "controlId").Str("valueString", control_id);
  parts.Add().Str("url", "queued").Str("valueDateTime", queued_at);
}

bool RecordOrderAck(fhir::JsonValue& sr, fhir::JsonAlloc& alloc, std::string_view control_id,
                    std::string_view ack_code, std::string_view detail, std::string_view at) {
  fhir::JsonValue* exts = fhir::Member(sr, "extension");
  if (exts == nullptr || !exts->IsArray()) return false;
  const std::string url = OrderExtension();
  for (fhir::JsonValue& e : exts->GetArray()) {
    if (fhir::MemberString(e, "url") != url || Part(e, "controlId") != control_id) continue;
    fhir::JsonValue* parts = fhir::Member(e, "extension");
    // A later answer (a resend's) replaces an earlier one.
    for (auto it = parts->Begin(); it != parts->End();) {
      std::string_view name = fhir::MemberString(*it, "url");
      it = name == "ack" || name == "ackTime" || name == "detail" ? parts->Erase(it) : it + 1;
    }
    JsonNode p(parts, &alloc);
    p.Add().Str("url", "ack").Str("valueCode", ack_code);
    p.Add().Str("url", "ackTime").Str("valueDateTime", at);
    if (!detail.empty()) p.Add().Str("url", "detail").Str("valueString", detail);
    return true;
  }
  return false;
}

}  // namespace hb::lis
