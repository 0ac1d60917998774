#include "reception/queue_ticket.h"

#include <charconv>

#include "common/clock.h"
#include "reception/json_out.h"
#include "reception/uris.h"

namespace hb::reception {

namespace {

using fhir::JsonValue;
using fhir::Member;
using fhir::MemberString;

int ToInt(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

const JsonValue* TicketExtension(const JsonValue& encounter) {
  const JsonValue* exts = Member(encounter, "extension");
  if (!exts || !exts->IsArray()) return nullptr;
  const std::string url = QueueTicketExtension();
  for (const auto& e : exts->GetArray()) {
    if (e.IsObject() && MemberString(e, "url") == url) return &e;
  }
  return nullptr;
}

}  // namespace

std::string LocalDay(int64_t micros, int utc_offset_minutes) {
  std::string iso = LocalDate(micros, utc_offset_minutes);
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

std::string DayIso(std::string_view day) {
  if (day.size() != 8) return std::string(day);
  return std::string(day.substr(0, 4)) + "-" + std::string(day.substr(4, 2)) + "-" +
         std::string(day.substr(6, 2));
}

std::string TicketValue(const QueueKey& key, int number) {
  return key.Text() + ":" + std::to_string(number);
}

int PriorityRank(std::string_view code) {
  if (code == "S" || code == "EM") return 0;
  if (code == "UR" || code == "A" || code == "T") return 1;
  return 2;
}

std::optional<QueueTicket> TicketOf(const JsonValue& enc) {
  const JsonValue* ext = enc.IsObject() ? TicketExtension(enc) : nullptr;
  const JsonValue* parts = ext ? Member(*ext, "extension") : nullptr;
  if (!parts || !parts->IsArray()) return std::nullopt;
  QueueTicket t;
  for (const auto& p : parts->GetArray()) {
    if (!p.IsObject()) continue;
    std::string_view url = MemberString(p, "url");
    if (url == "department") t.key.department = std::string(MemberString(p, "valueString"));
    if (url == "date") {
      std::string_view iso = MemberString(p, "valueDate");
      for (char c : iso) {
        if (c != '-') t.key.day.push_back(c);
      }
    }
    if (url == "number") {
      const JsonValue* n = Member(p, "valueInteger");
      if (n && fhir::IsNumber(*n)) t.number = ToInt(fhir::NumberText(*n));
    }
    if (url == "called") t.called = std::string(MemberString(p, "valueDateTime"));
  }
  if (t.number <= 0 || t.key.department.empty() || t.key.day.size() != 8) return std::nullopt;
  if (const JsonValue* sp = Member(enc, "serviceProvider"); sp && sp->IsObject()) {
    std::string_view ref = MemberString(*sp, "reference");
    if (ref.starts_with("Organization/")) t.key.facility_org = std::string(ref.substr(13));
  }
  t.encounter_id = std::string(MemberString(enc, "id"));
  if (const JsonValue* meta = Member(enc, "meta"); meta && meta->IsObject()) {
    t.version = ToInt(MemberString(*meta, "versionId"));
  }
  t.status = std::string(MemberString(enc, "status"));
  if (const JsonValue* pr = Member(enc, "priority"); pr && pr->IsObject()) {
    const JsonValue* codings = Member(*pr, "coding");
    for (size_t i = 0; codings && codings->IsArray() && i < codings->Size(); ++i) {
      const JsonValue& c = (*codings)[static_cast<rapidjson::SizeType>(i)];
      if (c.IsObject() && MemberString(c, "system") == kActPrioritySystem) {
        t.priority = std::string(MemberString(c, "code"));
      }
    }
  }
  if (const JsonValue* s = Member(enc, "subject"); s && s->IsObject()) {
    t.patient_ref = std::string(MemberString(*s, "reference"));
    t.patient_display = std::string(MemberString(*s, "display"));
  }
  if (const JsonValue* p = Member(enc, "period"); p && p->IsObject()) {
    t.arrived = std::string(MemberString(*p, "start"));
  }
  return t;
}

std::string EncounterJson(const VisitRequest& v, const QueueKey& key, int number, int64_t now) {
  JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Encounter");
  j.Key("meta");
  j.BeginObject();
  j.Key("tag");
  j.BeginArray();
  j.Coding(QueueTagSystem(), key.Text(),
           "Hàng đợi " + v.department_display + " " + DayIso(key.day));
  j.EndArray();
  j.EndObject();
  j.Key("extension");
  j.BeginArray();
  j.BeginObject();
  j.Put("url", QueueTicketExtension());
  j.Key("extension");
  j.BeginArray();
  j.Extension("department", "valueString", key.department);
  j.Extension("date", "valueDate", DayIso(key.day));
  j.BeginObject();
  j.Put("url", "number");
  j.PutInt("valueInteger", number);
  j.EndObject();
  j.EndArray();
  j.EndObject();
  if (!v.coverage_id.empty()) {
    j.BeginObject();
    j.Put("url", EncounterCoverageExtension());
    j.PutReference("valueReference", "Coverage/" + v.coverage_id);
    j.EndObject();
  }
  j.EndArray();
  j.Key("identifier");
  j.BeginArray();
  j.BeginObject();
  j.Put("use", "usual");
  j.Key("type");
  j.BeginObject();
  j.Put("text", "Số thứ tự " + std::to_string(number));
  j.EndObject();
  j.Put("system", QueueNumberSystem());
  j.Put("value", TicketValue(key, number));
  j.EndObject();
  j.EndArray();
  j.Put("status", "arrived");
  j.Key("class");
  j.Coding(kActCodeSystem, "AMB", "ambulatory");
  if (!v.priority.empty()) j.PutConcept("priority", kActPrioritySystem, v.priority);
  j.PutConcept("serviceType", DepartmentSystem(), key.department, {}, v.department_display);
  j.PutReference("subject", "Patient/" + v.patient_id, v.patient_display);
  j.Key("period");
  j.BeginObject();
  j.Put("start", FormatInstant(now));
  j.EndObject();
  if (!v.location_id.empty()) {
    j.Key("location");
    j.BeginArray();
    j.BeginObject();
    j.PutReference("location", "Location/" + v.location_id, v.department_display);
    j.Put("status", "active");
    j.EndObject();
    j.EndArray();
  }
  j.PutReference("serviceProvider", "Organization/" + v.facility_org);
  j.EndObject();
  return j.Take();
}

Result<std::string> CalledEncounterJson(std::string_view encounter, int64_t now) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(encounter));
  auto ticket = TicketOf(doc);
  if (!ticket || !ticket->Waiting()) {
    return Status(ErrorCode::kConflict, "Encounter/" + std::string(MemberString(doc, "id")) +
                                            " is not waiting in a queue");
  }
  auto& a = doc.GetAllocator();
  const std::string when = FormatInstant(now);
  JsonValue history(rapidjson::kObjectType);
  history.AddMember("status", JsonValue(ticket->status.c_str(), a), a);
  JsonValue period(rapidjson::kObjectType);
  if (!ticket->arrived.empty()) period.AddMember("start", JsonValue(ticket->arrived.c_str(), a), a);
  period.AddMember("end", JsonValue(when.c_str(), a), a);
  history.AddMember("period", period, a);
  JsonValue* sh = Member(doc, "statusHistory");
  if (!sh) {
    doc.AddMember("statusHistory", JsonValue(rapidjson::kArrayType), a);
    sh = Member(doc, "statusHistory");
  }
  sh->PushBack(history, a);
  fhir::SetString(*Member(doc, "status"), "in-progress", a);
  JsonValue called(rapidjson::kObjectType);
  called.AddMember("url", "called", a);
  called.AddMember("valueDateTime", JsonValue(when.c_str(), a), a);
  JsonValue* ext = const_cast<JsonValue*>(TicketExtension(doc));
  Member(*ext, "extension")->PushBack(called, a);
  return fhir::Serialize(doc);
}

}  // namespace hb::reception
