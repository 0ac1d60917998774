#include "operations/op_support.h"

#include <mutex>
#include <unordered_map>
#include <utility>

#include "auth/scopes.h"
#include "common/clock.h"
#include "common/ids.h"
#include "fhir/json.h"
#include "fhir/vn_facility_level.h"
#include "reception/patient_features.h"
#include "reception/queue_ticket.h"
#include "rest/outcome.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

auth::Interaction InteractionOf(access::Op op) {
  switch (op) {
    case access::Op::kRead:
      return auth::Interaction::kRead;
    case access::Op::kSearch:
      return auth::Interaction::kSearch;
    case access::Op::kCreate:
      return auth::Interaction::kCreate;
    case access::Op::kUpdate:
      return auth::Interaction::kUpdate;
    case access::Op::kDelete:
      return auth::Interaction::kDelete;
  }
  return auth::Interaction::kRead;
}

Status Deny(std::string why) { return Status(ErrorCode::kForbidden, std::move(why)); }

}  // namespace

bool Permit(const rest::OperationCall& call, const http::Responder& respond, const Status& st,
            std::string_view audit_type) {
  if (st.ok()) return true;
  if (call.sink && access::IsPatientData(audit_type)) {
    call.sink->Add(
        access::MakeAudit(*call.principal, "E", "operation", 4, "", call.req.target, st.message()));
  }
  respond(rest::ErrorResponse(st));
  return false;
}

Status CheckReception(const rest::OperationCall& call, std::string_view type, access::Op op) {
  const access::Principal& p = *call.principal;
  if (p.role != access::Role::kSystem && !access::MayFindPatients(p.role)) {
    return Deny("only a reception desk (receptionist) or an operator may do this; the role " +
                std::string(access::RoleName(p.role)) + " may not");
  }
  return call.policy->CheckInteraction(p, type, op);
}

Status CheckDataSteward(const rest::OperationCall& call, access::Op op) {
  const access::Principal& p = *call.principal;
  if (p.role == access::Role::kSystem) return call.policy->CheckInteraction(p, "Patient", op);
  if (p.role != access::Role::kFacilityAdmin) {
    return Deny("only an operator or a facility administrator looks after duplicate records");
  }
  // The access policy keeps administrators away from clinical writes; merging records is
  // their data-quality task, limited by the token's scopes and by the patients they can see.
  if (!auth::Allows(p.scopes, "", "Patient", InteractionOf(op))) {
    return Deny("the token's scopes do not allow this on Patient");
  }
  return Status::Ok();
}

namespace {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool NamesCommuneStation(std::string_view text) {
  const std::string t = LowerAscii(text);
  // "Trạm y tế" (the station), "tuyến xã" (the commune level), in Vietnamese or English.
  return t.find("trạm y tế") != std::string::npos || t.find("tuyến xã") != std::string::npos ||
         t.find("commune health station") != std::string::npos;
}

}  // namespace

bool IsCommuneStation(const fhir::JsonValue& org) {
  const fhir::JsonValue* types = fhir::Member(org, "type");
  if (!types || !types->IsArray()) return false;
  // The coded level decides when there is one; the text only for a facility written
  // without it (registers that carry the name of the level alone).
  const std::string level_system = fhir::vn::FacilityLevelSystem();
  bool coded_level = false;
  bool named = false;
  for (const auto& t : types->GetArray()) {
    named = named || NamesCommuneStation(fhir::MemberString(t, "text"));
    const fhir::JsonValue* codings = fhir::Member(t, "coding");
    if (!codings || !codings->IsArray()) continue;
    for (const auto& c : codings->GetArray()) {
      if (fhir::MemberString(c, "system") == level_system) {
        if (fhir::MemberString(c, "code") == fhir::vn::kFacilityLevelCommune) return true;
        coded_level = true;
      }
      named = named || NamesCommuneStation(fhir::MemberString(c, "display"));
    }
  }
  return !coded_level && named;
}

namespace {

// The verdicts of IsCommuneStation per facility Organization, with the JSON they were made
// from: an entry serves only a read that returns the very same bytes, so a changed (or
// another store's) Organization is judged afresh and nothing stale is ever answered.
// The read itself stays: in the writer it must see the transaction's own changes (a group
// commit may change the Organization in an earlier write of the same transaction), and a
// read transaction's current-version read is served by the store's resource cache. What is
// saved is parsing and walking the Organization on every write of a commune health worker.
class StationVerdicts {
 public:
  bool Judge(const std::string& org, const std::string& json) {
    {
      std::lock_guard lock(mu_);
      auto it = verdicts_.find(org);
      if (it != verdicts_.end() && it->second.first == json) return it->second.second;
    }
    auto doc = fhir::ParseJson(json);
    const bool station = doc.ok() && IsCommuneStation(*doc);
    std::lock_guard lock(mu_);
    if (verdicts_.size() >= kMaxFacilities) verdicts_.clear();  // a province has a few hundred
    verdicts_[org] = {json, station};
    return station;
  }

 private:
  static constexpr size_t kMaxFacilities = 4096;
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<std::string, bool>> verdicts_;
};

StationVerdicts& Verdicts() {
  static StationVerdicts verdicts;
  return verdicts;
}

}  // namespace

Result<bool> AtCommuneStation(storage::ReadTxn& txn, const access::Principal& p) {
  if (p.facility_org.empty()) return false;
  auto v = txn.Read("Organization", p.facility_org);
  if (!v.ok()) {
    if (v.status().code() == ErrorCode::kNotFound) return false;
    return v.status();
  }
  if (v->deleted) return false;
  return Verdicts().Judge(p.facility_org, v->json);
}

Status CheckClinicalRole(const rest::OperationCall& call,
                         std::initializer_list<access::Role> roles, std::string_view task) {
  using access::Role;
  const access::Principal& p = *call.principal;
  if (p.role == Role::kSystem) return Status::Ok();
  if (p.role == Role::kCommuneHealthWorker) {
    // The role covers every clinical task of a commune station, and only there.
    bool station = false;
    if (call.store) {
      auto txn = call.store->BeginRead();
      HB_ASSIGN_OR_RETURN(station, AtCommuneStation(*txn, p));
    }
    if (station) return Status::Ok();
    return Deny("a commune health worker does " + std::string(task) +
                " only at a commune health station; the facility " +
                (p.facility.empty() ? std::string("(none)") : p.facility) +
                " of this account is not one (Organization.type)");
  }
  std::string names;
  for (Role r : roles) {
    if (r == p.role) return Status::Ok();
    names += names.empty() ? "" : ", ";
    names += access::RoleName(r);
  }
  return Deny(std::string(task) + " is done by " + names +
              " (or a commune health worker at a commune health station, or an operator); the "
              "role " + std::string(access::RoleName(p.role)) + " may not");
}

Status CheckPlaceOfFacility(storage::ReadTxn& txn, const access::Principal& p, std::string_view id) {
  std::string at(id);
  for (int depth = 0; depth < 16 && !at.empty(); ++depth) {
    auto v = txn.Read("Location", at);
    if (!v.ok()) return v.status();
    if (v->deleted) return Status(ErrorCode::kNotFound, "Location/" + at + " is deleted");
    if (p.role == access::Role::kSystem) return Status::Ok();  // it exists: enough for an operator
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(v->json));
    std::string_view org;
    if (const fhir::JsonValue* m = fhir::Member(doc, "managingOrganization")) {
      org = fhir::MemberString(*m, "reference");
    }
    if (!org.empty()) {
      if (!p.facility_org.empty() && org == "Organization/" + p.facility_org) return Status::Ok();
      return Deny("Location/" + std::string(id) + " belongs to another facility (" +
                  std::string(org) + "): only its own staff may use it");
    }
    std::string parent;
    if (const fhir::JsonValue* po = fhir::Member(doc, "partOf")) {
      std::string_view ref = fhir::MemberString(*po, "reference");
      if (ref.starts_with("Location/")) parent = std::string(ref.substr(9));
    }
    at = parent;
  }
  return Deny("Location/" + std::string(id) +
              " has no managingOrganization (on it or the places it is part of): only an "
              "operator may use it");
}

void WriteAsCaller(const rest::OperationCall& call, WriteWork work,
                   std::function<void(Status)> done) {
  auto principal = call.principal;
  const access::AccessPolicy* policy = call.policy;
  call.store->Write(
      [principal, policy, work = std::move(work)](storage::WriteTxn& txn) {
        rest::Actor actor{principal.get(), policy, {}, false};
        HB_RETURN_IF_ERROR(work(txn, actor));
        return rest::FlushAudit(txn, &actor);
      },
      std::move(done));
}

Result<storage::ResourceVersion> CreateResource(storage::WriteTxn& txn, rest::Actor* actor,
                                                const std::string& json, std::string assigned_id) {
  HB_ASSIGN_OR_RETURN(auto in, rest::PrepareInput(json, ""));
  HB_ASSIGN_OR_RETURN(rest::WriteOutcome out,
                      rest::Create(txn, actor, in->input, std::nullopt, std::move(assigned_id)));
  return std::move(out.version);
}

Result<storage::ResourceVersion> UpdateResource(storage::WriteTxn& txn, rest::Actor* actor,
                                                const std::string& json, std::string_view id,
                                                int64_t version) {
  HB_ASSIGN_OR_RETURN(auto in, rest::PrepareInput(json, ""));
  HB_ASSIGN_OR_RETURN(rest::WriteOutcome out, rest::Update(txn, actor, in->input, id, version));
  return std::move(out.version);
}

Result<std::string> IdFromReference(std::string_view ref, std::string_view type,
                                    std::string_view param) {
  std::string prefix = std::string(type) + "/";
  size_t at = ref.rfind(prefix);
  if (at != std::string_view::npos && (at == 0 || ref[at - 1] == '/')) {
    std::string_view id = ref.substr(at + prefix.size());
    id = id.substr(0, id.find('/'));
    if (IsValidFhirId(id)) return std::string(id);
  }
  return Status(ErrorCode::kInvalidArgument,
                "parameter '" + std::string(param) + "' must reference a " + std::string(type) +
                    " (" + std::string(type) + "/id), got '" + std::string(ref) + "'",
                "Parameters.parameter");
}

Result<std::string> FacilityOrg(const rest::OperationCall& call, const ParametersIn& in) {
  if (!call.principal->facility_org.empty()) return call.principal->facility_org;
  HB_ASSIGN_OR_RETURN(auto ref, in.Reference("serviceProvider"));
  if (!ref) {
    return Status(ErrorCode::kInvalidArgument,
                  "the caller belongs to no registered facility: give 'serviceProvider' "
                  "(Organization/id) or use a token of a facility's staff");
  }
  return IdFromReference(*ref, "Organization", "serviceProvider");
}

Result<ParametersIn> ReadParameters(const rest::OperationCall& call) {
  if (call.req.method == "GET" || call.req.method == "HEAD") {
    return ParametersIn::FromQuery(call.ctx.query);
  }
  return ParametersIn::FromBody(call.req.body);
}

identity::CardDate Today(const Context& ctx) {
  std::string day = reception::LocalDay(NowMicros(), ctx.options.utc_offset_minutes);
  return identity::CardDate{std::stoi(day.substr(0, 4)), std::stoi(day.substr(4, 2)),
                            std::stoi(day.substr(6, 2))};
}

void RespondJson(const rest::OperationCall& call, const http::Responder& respond, int status,
                 std::string body) {
  respond(rest::JsonResponse(status, std::move(body), call.ctx));
}

void RespondError(const http::Responder& respond, const Status& st) {
  respond(rest::ErrorResponse(st));
}

std::string PatientDisplay(std::string_view patient_json) {
  auto f = reception::FeaturesOfJson(patient_json);
  return f.ok() ? f->display_name : std::string();
}

}  // namespace hb::operations
