// The audit trail served as FHIR AuditEvent resources (read only):
//   GET /fhir/AuditEvent?patient=<id or Patient/id>[&_count=n][&_cursor=seq]
// A citizen sees who accessed their own record; administrators and operator
// tokens see any patient's trail, or the whole trail without `patient`.
// Mapping: https://hl7.org/fhir/R4/auditevent.html; docs/implementation/access.md.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>

#include "access/audit_sink.h"
#include "common/base64.h"
#include "common/clock.h"
#include "rest/bundle_writer.h"
#include "rest/fhir_service.h"
#include "rest/outcome.h"
#include "rest/responses.h"

namespace hb::rest {

namespace {

std::string_view InteractionCode(std::string_view interaction) {
  // http://hl7.org/fhir/restful-interaction codes where they exist.
  if (interaction == "search") return "search-type";
  if (interaction == "history") return "history-instance";
  return interaction;
}

std::string RenderAuditEvent(const storage::AuditRecord& r) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](std::string_view v) { w.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); };
  auto coding = [&](std::string_view system, std::string_view code) {
    w.StartObject();
    w.Key("system");
    str(system);
    w.Key("code");
    str(code);
    w.EndObject();
  };
  w.StartObject();
  w.Key("resourceType");
  w.String("AuditEvent");
  w.Key("id");
  str(std::to_string(r.seq));
  if (r.flagged) {
    w.Key("meta");
    w.StartObject();
    w.Key("tag");
    w.StartArray();
    w.StartObject();
    w.Key("system");
    w.String("http://terminology.hl7.org/CodeSystem/v3-ActReason");
    w.Key("code");
    w.String("BTG");
    w.Key("display");
    w.String("break the glass: to be reviewed");
    w.EndObject();
    w.EndArray();
    w.EndObject();
  }
  w.Key("type");
  bool login = r.interaction == "login" || r.interaction == "token";
  if (login) {
    coding("http://dicom.nema.org/resources/ontology/DCM", "110114");  // User Authentication
  } else {
    coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest");
  }
  w.Key("subtype");
  w.StartArray();
  coding(login ? "https://fhir.healthbook.vn/sid/audit-subtype" : "http://hl7.org/fhir/restful-interaction",
         InteractionCode(r.interaction));
  w.EndArray();
  w.Key("action");
  str(r.action);
  w.Key("recorded");
  str(FormatInstant(r.recorded));
  w.Key("outcome");
  str(std::to_string(r.outcome));
  if (!r.reason.empty()) {
    w.Key("outcomeDesc");
    str(r.reason);
  }
  if (r.flagged) {
    w.Key("purposeOfEvent");
    w.StartArray();
    w.StartObject();
    w.Key("coding");
    w.StartArray();
    coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "ETREAT");
    w.EndArray();
    w.Key("text");
    str(r.reason);
    w.EndObject();
    w.EndArray();
  }
  w.Key("agent");
  w.StartArray();
  w.StartObject();
  w.Key("type");
  w.StartObject();
  w.Key("text");
  str(r.role);
  w.EndObject();
  w.Key("who");
  w.StartObject();
  w.Key("identifier");
  w.StartObject();
  w.Key("value");
  str(r.agent);
  w.EndObject();
  if (!r.facility.empty()) {
    w.Key("display");
    str(r.agent + " (" + r.facility + ")");
  }
  w.EndObject();
  w.Key("requestor");
  w.Bool(true);
  if (!r.address.empty()) {
    w.Key("network");
    w.StartObject();
    w.Key("address");
    str(r.address);
    w.Key("type");
    w.String("2");
    w.EndObject();
  }
  w.EndObject();
  w.EndArray();
  w.Key("source");
  w.StartObject();
  w.Key("observer");
  w.StartObject();
  w.Key("display");
  w.String("healthbook");
  w.EndObject();
  w.EndObject();
  if (!r.patient.empty() || !r.what.empty()) {
    w.Key("entity");
    w.StartArray();
    if (!r.patient.empty()) {
      w.StartObject();
      w.Key("what");
      w.StartObject();
      w.Key("reference");
      str("Patient/" + r.patient);
      w.EndObject();
      w.Key("type");
      coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1");
      w.EndObject();
    }
    if (!r.what.empty() && r.what.find('?') == std::string::npos &&
        r.what.find('/') != std::string::npos) {
      // The records read: one, or several of one patient's read by the agent within one
      // batch of the trail ("Type/id" separated by spaces, access::AuditSink::Merge).
      for (std::string_view target : access::AuditSink::Targets(r.what)) {
        w.StartObject();
        w.Key("what");
        w.StartObject();
        w.Key("reference");
        str(target);
        w.EndObject();
        w.EndObject();
      }
    } else if (!r.what.empty()) {
      w.StartObject();
      {
        w.Key("query");
        str(Base64Encode(r.what));
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

namespace {

// Whether `who` may see the audit trail of `patient` ("" = the whole trail).
Result<bool> MaySeeTrail(const access::Principal& who, const std::string& patient,
                         storage::ReadTxn& txn) {
  switch (who.role) {
    case access::Role::kSystem:
    case access::Role::kSystemAdmin:
      return true;
    case access::Role::kCitizen:
      return !patient.empty() && patient == who.patient;
    case access::Role::kFacilityAdmin:
      // The patients their facility has ever cared for.
      if (patient.empty() || who.facility_org.empty()) return false;
      return txn.HasCare(patient, who.facility_org, 0);
    default:
      return false;
  }
}

Status TrailRefusal(const access::Principal& who) {
  return Status(ErrorCode::kForbidden,
                who.role == access::Role::kCitizen
                    ? "citizens see the audit trail of their own record: AuditEvent?patient=" +
                          who.patient
                    : "the audit trail is for administrators and for the patient it concerns");
}

}  // namespace

void FhirService::AuditEventRead(Call& call, const std::string& id) {
  int64_t seq = 0;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), seq);
  if (ec != std::errc() || seq < 1) {
    return call.respond(ErrorResponse(Status(ErrorCode::kNotFound, "no AuditEvent/" + id)));
  }
  if (sink_) sink_->Flush();
  auto txn = store_.BeginRead();
  auto found = txn->AuditTrail("", 1, seq + 1);
  if (!found.ok()) return call.respond(ErrorResponse(found.status()));
  if (found->empty() || found->front().seq != seq) {
    return call.respond(ErrorResponse(Status(ErrorCode::kNotFound, "no AuditEvent/" + id)));
  }
  auto may = MaySeeTrail(*call.principal, found->front().patient, *txn);
  txn.reset();
  if (!may.ok()) return call.respond(ErrorResponse(may.status()));
  if (!*may) return call.respond(ErrorResponse(TrailRefusal(*call.principal)));
  call.respond(JsonResponse(200, RenderAuditEvent(found->front()), call.ctx));
}

void FhirService::AuditEvents(Call& call) {
  std::string patient;
  int count = 50;
  std::optional<int64_t> cursor;
  for (const auto& [k, v] : call.ctx.query) {
    if (k == "patient") {
      patient = v.starts_with("Patient/") ? v.substr(8) : v;
    } else if (k == "_count") {
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), count);
      if (ec != std::errc() || count < 1) count = 50;
      count = std::min(count, 1000);
    } else if (k == "_cursor") {
      int64_t c = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), c);
      if (ec == std::errc()) cursor = c;
    }
  }
  // Reads of the last moments may still be in the sink's journal: the first page puts
  // them into the trail first (access/audit_sink.h).
  if (sink_ && !cursor) sink_->Flush();
  auto txn = store_.BeginRead();
  auto may = MaySeeTrail(*call.principal, patient, *txn);
  if (!may.ok()) return call.respond(ErrorResponse(may.status()));
  if (!*may) return call.respond(ErrorResponse(TrailRefusal(*call.principal)));
  auto trail = txn->AuditTrail(patient, count + 1, cursor);
  txn.reset();
  if (!trail.ok()) return call.respond(ErrorResponse(trail.status()));
  std::vector<std::pair<std::string, std::string>> links;
  std::string self = call.ctx.base_url + "/AuditEvent?_count=" + std::to_string(count) +
                     (patient.empty() ? "" : "&patient=" + patient);
  links.emplace_back("self", self + (cursor ? "&_cursor=" + std::to_string(*cursor) : ""));
  if (static_cast<int>(trail->size()) > count) {
    trail->pop_back();
    links.emplace_back("next", self + "&_cursor=" + std::to_string(trail->back().seq));
  }
  BundleWriter bw("searchset", -1, links);
  for (const auto& r : *trail) {
    storage::ResourceVersion v;
    v.type = "AuditEvent";
    v.id = std::to_string(r.seq);
    v.json = RenderAuditEvent(r);
    bw.SearchEntry(call.ctx.base_url, v);
  }
  call.respond(JsonResponse(200, bw.Finish(), call.ctx));
}

}  // namespace hb::rest
