#include "claims/claim_task.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "claims/fhir_read.h"
#include "fhir/vn_systems.h"

namespace hb::claims {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void S(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void KV(Writer& w, std::string_view k, std::string_view v) {
  S(w, k);
  S(w, v);
}

void Text(Writer& w, std::string_view key, std::string_view text) {
  S(w, key);
  w.StartObject();
  KV(w, "text", text);
  w.EndObject();
}

void Param(Writer& w, std::string_view type, std::string_view value) {
  w.StartObject();
  Text(w, "type", type);
  KV(w, "valueString", value);
  w.EndObject();
}

}  // namespace

std::string ClaimTaskId(std::string_view portal, std::string_view encounter_id) {
  return std::string(portal == "national"  ? "claim-nat-"
                     : portal == "checkin" ? "claim-in-"
                                           : "claim-prov-") +
         std::string(encounter_id);
}

std::string ClaimTaskJson(const ClaimTask& t, std::string_view now) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  KV(w, "resourceType", "Task");
  KV(w, "id", ClaimTaskId(t.portal, t.encounter_id));
  KV(w, "status", t.status);
  Text(w, "businessStatus", t.business);
  if (!t.reason.empty()) Text(w, "statusReason", t.reason.substr(0, 8000));
  KV(w, "intent", "order");
  S(w, "code");
  w.StartObject();
  S(w, "coding");
  w.StartArray();
  w.StartObject();
  KV(w, "system", fhir::vn::Systems().base + "task-code");
  const bool checkin = t.portal == "checkin";
  KV(w, "code", checkin ? "claim-checkin" : "claim-submission");
  KV(w, "display", checkin ? "Gửi thông tin check-in (XML0)" : "Gửi hồ sơ giám định BHYT");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  KV(w, "description", "Hồ sơ " + t.ma_lk + " gửi cổng " + t.portal);
  S(w, "focus");
  w.StartObject();
  KV(w, "reference", "Encounter/" + t.encounter_id);
  w.EndObject();
  if (!t.patient_id.empty()) {
    S(w, "for");
    w.StartObject();
    KV(w, "reference", "Patient/" + t.patient_id);
    w.EndObject();
  }
  KV(w, "authoredOn", t.authored.empty() ? now : t.authored);
  KV(w, "lastModified", now);
  S(w, "input");
  w.StartArray();
  Param(w, "MA_LK", t.ma_lk);
  Param(w, "portal", t.portal);
  Param(w, "schema", t.schema);
  Param(w, "outbox-seq", std::to_string(t.outbox_seq));
  w.EndArray();
  if (!t.transaction.empty() || !t.answer.empty()) {
    S(w, "output");
    w.StartArray();
    if (!t.transaction.empty()) Param(w, "maGiaoDich", t.transaction);
    if (!t.answer.empty()) Param(w, "answer", t.answer.substr(0, 8000));
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<ClaimTask> ReadClaimTask(std::string_view json) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, fhir::ParseJson(json));
  ClaimTask t;
  t.encounter_id = std::string(RefId(At(d, {"focus"}), "Encounter"));
  t.patient_id = std::string(RefId(At(d, {"for"}), "Patient"));
  t.status = std::string(fhir::MemberString(d, "status"));
  t.business = std::string(Str(d, {"businessStatus", "text"}));
  t.reason = std::string(Str(d, {"statusReason", "text"}));
  t.authored = std::string(fhir::MemberString(d, "authoredOn"));
  for (const char* list : {"input", "output"}) {
    const fhir::JsonValue* a = fhir::Member(d, list);
    if (!a || !a->IsArray()) continue;
    for (const auto& p : a->GetArray()) {
      const std::string_view type = Str(p, {"type", "text"});
      const std::string value(Str(p, {"valueString"}));
      if (type == "MA_LK") t.ma_lk = value;
      if (type == "portal") t.portal = value;
      if (type == "schema") t.schema = value;
      if (type == "outbox-seq") t.outbox_seq = std::atoll(value.c_str());
      if (type == "maGiaoDich") t.transaction = value;
      if (type == "answer") t.answer = value;
    }
  }
  if (t.encounter_id.empty() || t.portal.empty())
    return Status(ErrorCode::kInvalidResource, "not a claim-submission Task");
  return t;
}

}  // namespace hb::claims
