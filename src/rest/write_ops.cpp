#include "rest/write_ops.h"

#include "access/derived_links.h"
#include "common/clock.h"
#include "common/ids.h"
#include "fhir/json_patch.h"
#include "http/query.h"
#include "rest/terminology_source.h"
#include "rest/write_rules.h"
#include "search/indexer.h"
#include "search/query_parser.h"

namespace hb::rest {

namespace {

using storage::Method;
using storage::ResourceVersion;

storage::IndexRows BuildIndex(const ResourceInput& in, std::string_view id, int64_t now) {
  storage::IndexRows rows;
  rows.search = in.index;  // computed by PrepareNested
  search::RefreshReferences(&rows.search);
  if (in.type == "Patient") rows.patient_compartment.emplace_back(id);
  for (const auto& site : in.facts.references) {
    if (!site.patient_compartment || !fhir::IsString(*site.reference)) continue;
    std::string_view ref = fhir::StringView(*site.reference);
    if (!ref.starts_with("Patient/")) continue;
    std::string_view pid = ref.substr(8);
    pid = pid.substr(0, pid.find('/'));
    if (!IsValidFhirId(pid)) continue;
    bool seen = false;
    for (const auto& p : rows.patient_compartment) seen |= p == pid;
    if (!seen) rows.patient_compartment.emplace_back(pid);
  }
  access::DeriveLinks(in.type, id, *in.json, now, &rows.care_links, &rows.consent_denies);
  return rows;
}

std::string_view ActionOf(Method m) {
  switch (m) {
    case Method::kCreate: return "C";
    case Method::kDelete: return "D";
    default: return "U";
  }
}

std::string_view InteractionOf(Method m) {
  switch (m) {
    case Method::kCreate: return "create";
    case Method::kUpdate: return "update";
    case Method::kPatch: return "patch";
    case Method::kDelete: return "delete";
  }
  return "update";
}

// Records the change in the actor's audit (one record per patient concerned).
void AuditChange(Actor* actor, Method m, std::string_view type, std::string_view id,
                 const std::vector<std::string>& patients) {
  if (!actor || !actor->principal) return;
  std::string what = std::string(type) + "/" + std::string(id);
  bool flagged = actor->break_glass_used;
  if (patients.empty()) {
    actor->audit.push_back(access::MakeAudit(*actor->principal, ActionOf(m), InteractionOf(m), 0,
                                             "", what, {}, flagged));
  }
  for (const auto& p : patients) {
    actor->audit.push_back(access::MakeAudit(*actor->principal, ActionOf(m), InteractionOf(m), 0,
                                             p, what, {}, flagged));
  }
}

// Checks that the actor may write this content (and change `existing`, when given).
Status Authorize(storage::WriteTxn& txn, Actor* actor, std::string_view type,
                 const storage::IndexRows& rows, const storage::RecordFacts* existing,
                 access::Op op) {
  if (!actor || !actor->principal) return Status::Ok();
  access::AccessNote note;
  if (existing) {
    HB_RETURN_IF_ERROR(
        actor->policy->CheckRecord(*actor->principal, type, op, *existing, txn, &note));
  }
  if (op != access::Op::kDelete) {
    HB_RETURN_IF_ERROR(actor->policy->CheckCreate(*actor->principal, type,
                                                  rows.patient_compartment, rows.care_links, txn,
                                                  &note));
  }
  actor->break_glass_used |= note.break_glass;
  return Status::Ok();
}

// The facility a new record belongs to: the writer's, or for operator loads the
// facility the record itself names (an encounter's service provider...).
std::string OwnerFor(const Actor* actor, const storage::IndexRows& rows) {
  if (actor && actor->principal && !actor->principal->facility_org.empty()) {
    return actor->principal->facility_org;
  }
  return rows.care_links.empty() ? std::string() : rows.care_links.front().org;
}

// OperationDefinitions are the server's own (rest/operation_definitions.h), served
// read-only: interactions, Bundle entries and imports never store one.
Status RefuseOperationDefinitionChanges(std::string_view type) {
  if (type != "OperationDefinition") return Status::Ok();
  return Status(ErrorCode::kMethodNotAllowed,
                "OperationDefinitions are the server's own and read-only: they describe the "
                "operations it offers (resources/fhir/operations, named queries)");
}

// Writes `in` as version `version` of type/id.
Result<ResourceVersion> Store(storage::WriteTxn& txn, Actor* actor, ResourceInput& in,
                              std::string_view id, int64_t version, Method method) {
  HB_RETURN_IF_ERROR(RefuseOperationDefinitionChanges(in.type));
  ResourceVersion v;
  v.type = in.type;
  v.id = std::string(id);
  v.version = version;
  v.last_updated = txn.Now();
  v.method = method;
  HB_RETURN_IF_ERROR(RunWriteRuleAmends(txn, actor, in, version == 1));
  storage::IndexRows rows = BuildIndex(in, id, v.last_updated);
  std::optional<storage::RecordFacts> existing;
  if (version > 1 && actor && actor->principal) {
    HB_ASSIGN_OR_RETURN(existing, txn.Facts(in.type, id));
  }
  HB_RETURN_IF_ERROR(Authorize(txn, actor, in.type, rows, existing ? &*existing : nullptr,
                               version > 1 ? access::Op::kUpdate : access::Op::kCreate));
  HB_RETURN_IF_ERROR(RunWriteRuleChecks(txn, actor, in, id, version == 1));
  v.json = fhir::SerializeResource(*in.json, id, std::to_string(version),
                                   FormatInstant(v.last_updated));
  std::string owner = OwnerFor(actor, rows);
  storage::PutRequest put;
  put.type = v.type;
  put.id = v.id;
  put.version = version;
  put.last_updated = v.last_updated;
  put.method = method;
  put.json = v.json;
  put.index = &rows;
  put.owner = owner;
  HB_RETURN_IF_ERROR(txn.Put(put));
  AuditChange(actor, method, in.type, id, rows.patient_compartment);
  HB_RETURN_IF_ERROR(RunWriteRulesAfter(txn, actor, v, version == 1));
  return v;
}

// AuditEvents may be reported (POSTed) by other systems, never put, changed or deleted.
Status RefuseAuditEventChanges(std::string_view type) {
  if (type != "AuditEvent") return Status::Ok();
  return Status(ErrorCode::kMethodNotAllowed,
                "AuditEvents cannot be changed or deleted through the API");
}

Status CheckIfMatch(const ResourceVersion& cur, std::optional<int64_t> if_match) {
  if (if_match && *if_match != cur.version) {
    return Status(ErrorCode::kVersionConflict,
                  "If-Match asks for version " + std::to_string(*if_match) + " but " + cur.type +
                      "/" + cur.id + " is at version " + std::to_string(cur.version));
  }
  return Status::Ok();
}

std::string QueryText(const QueryParams& q) {
  std::string s;
  for (const auto& [k, v] : q) s += (s.empty() ? "" : "&") + k + "=" + v;
  return s;
}

}  // namespace

Result<std::shared_ptr<OwnedInput>> PrepareInput(std::string_view body,
                                                 std::string_view expected_type) {
  auto owned = std::make_shared<OwnedInput>();
  HB_ASSIGN_OR_RETURN(owned->doc, fhir::ParseJson(body));
  if (!owned->doc.IsObject()) {
    return Status(ErrorCode::kInvalidResource, "the body must be a JSON object (a FHIR resource)");
  }
  std::string_view type = fhir::MemberString(owned->doc, "resourceType");
  if (!expected_type.empty() && !type.empty() && type != expected_type) {
    return Status(ErrorCode::kInvalidResource,
                  "resourceType is " + std::string(type) + " but the URL is for " +
                      std::string(expected_type),
                  std::string(type) + ".resourceType");
  }
  HB_ASSIGN_OR_RETURN(owned->input, PrepareNested(owned->doc, owned->doc.GetAllocator(), ""));
  return owned;
}

Result<ResourceInput> PrepareNested(fhir::JsonValue& json, fhir::JsonAlloc& alloc,
                                    std::string_view location_prefix) {
  ResourceInput in;
  in.json = &json;
  in.alloc = &alloc;
  fhir::ValidateOptions options;
  options.root_location = location_prefix;
  HB_RETURN_IF_ERROR(fhir::ValidateResource(json, &in.facts, options));
  in.type = std::string(in.facts.resource_type);
  search::IndexResource(search::ParamRegistry::Default(), in.type, json, &in.index);
  in.body_id = std::string(fhir::MemberString(json, "id"));
  return in;
}

Result<std::vector<ResourceVersion>> FindMatches(storage::ReadTxn& txn, std::string_view type,
                                                 const QueryParams& query) {
  if (query.empty()) {
    return Status(ErrorCode::kInvalidArgument, "a conditional operation needs search criteria");
  }
  HB_ASSIGN_OR_RETURN(search::SearchQuery q,
                      search::ParseSearch(type, query, {.strict = true, .default_count = 2}));
  // Also when a named query (_query) brings it: the criteria of a conditional write or
  // reference pick a resource of `type`, and a contained match would name its container.
  if (q.contained != search::Contained::kFalse) {
    return Status(ErrorCode::kInvalidArgument,
                  "the criteria " + QueryText(query) + " search contained resources (_contained=" +
                      (q.contained == search::Contained::kTrue ? "true" : "both") +
                      "): a conditional create, update, delete or reference must select the " +
                      std::string(type) +
                      " itself, not a resource contained in another; use _contained=false");
  }
  q.count = 2;
  q.offset = 0;
  q.total = false;
  search::SearchQuery expanded;
  HB_ASSIGN_OR_RETURN(const search::SearchQuery* run, WithTerminology(txn, q, expanded));
  HB_ASSIGN_OR_RETURN(storage::SearchResult r, txn.Search(*run));
  return std::move(r.matches);
}

Status ResolveReferences(storage::WriteTxn& txn, ResourceInput& in,
                         const std::unordered_map<std::string, std::string>* aliases) {
  for (auto& site : in.facts.references) {
    if (!fhir::IsString(*site.reference)) continue;
    std::string_view ref = fhir::StringView(*site.reference);
    if (aliases) {
      auto it = aliases->find(std::string(ref));
      if (it != aliases->end()) {
        fhir::SetString(*site.reference, it->second, *in.alloc);
        continue;
      }
    }
    if (ref.starts_with("urn:uuid:") || ref.starts_with("urn:oid:")) {
      if (aliases) {
        return Status(ErrorCode::kNotFound,
                      "reference " + std::string(ref) + " names no entry of this Bundle",
                      site.location);
      }
      continue;  // outside a Bundle a urn is an opaque logical reference
    }
    size_t q = ref.find('?');
    if (q == std::string_view::npos || ref.find('/') < q) continue;
    std::string type(ref.substr(0, q));
    QueryParams params = http::ParseQuery(ref.substr(q + 1));
    auto matches = FindMatches(txn, type, params);
    if (!matches.ok()) {
      return Status(matches.status().code(),
                    "conditional reference " + std::string(ref) + ": " + matches.status().message(),
                    site.location);
    }
    if (matches->empty()) {
      return Status(ErrorCode::kNotFound,
                    "conditional reference " + std::string(ref) + " matches no resource",
                    site.location);
    }
    if (matches->size() > 1) {
      return Status(ErrorCode::kMultipleMatches,
                    "conditional reference " + std::string(ref) + " matches several resources",
                    site.location);
    }
    fhir::SetString(*site.reference, type + "/" + (*matches)[0].id, *in.alloc);
  }
  return Status::Ok();
}

Result<WriteOutcome> Create(storage::WriteTxn& txn, Actor* actor, ResourceInput& in,
                            const std::optional<QueryParams>& if_none_exist,
                            std::string assigned_id) {
  if (if_none_exist) {
    HB_ASSIGN_OR_RETURN(auto matches, FindMatches(txn, in.type, *if_none_exist));
    if (matches.size() > 1) {
      return Status(ErrorCode::kMultipleMatches,
                    "If-None-Exist " + QueryText(*if_none_exist) + " matches several " + in.type +
                        " resources");
    }
    if (matches.size() == 1) {
      WriteOutcome out;
      out.version = std::move(matches[0]);
      out.unchanged = true;
      return out;
    }
  }
  HB_RETURN_IF_ERROR(ResolveReferences(txn, in, nullptr));
  std::string id = assigned_id.empty() ? NewResourceId() : std::move(assigned_id);
  WriteOutcome out;
  HB_ASSIGN_OR_RETURN(out.version, Store(txn, actor, in, id, 1, Method::kCreate));
  out.created = true;
  return out;
}

Result<WriteOutcome> Update(storage::WriteTxn& txn, Actor* actor, ResourceInput& in,
                            std::string_view id, std::optional<int64_t> if_match) {
  // Numeric AuditEvent ids belong to the server's own trail: never PUT one.
  if (in.type == "AuditEvent" && !id.empty() &&
      id.find_first_not_of("0123456789") == std::string_view::npos) {
    return RefuseAuditEventChanges(in.type);
  }
  if (in.body_id.empty()) {
    return Status(ErrorCode::kInvalidResource, "an update must carry the resource id in the body",
                  in.type + ".id");
  }
  if (in.body_id != id) {
    return Status(ErrorCode::kIdMismatch,
                  "the body's id '" + in.body_id + "' differs from the URL's '" + std::string(id) +
                      "'",
                  in.type + ".id");
  }
  HB_RETURN_IF_ERROR(ResolveReferences(txn, in, nullptr));
  auto cur = txn.Read(in.type, id);
  WriteOutcome out;
  if (!cur.ok()) {
    if (cur.status().code() != ErrorCode::kNotFound) return cur.status();
    if (if_match) {
      return Status(ErrorCode::kVersionConflict,
                    "If-Match given but " + in.type + "/" + std::string(id) + " does not exist");
    }
    HB_ASSIGN_OR_RETURN(out.version, Store(txn, actor, in, id, 1, Method::kUpdate));
    out.created = true;
    return out;
  }
  HB_RETURN_IF_ERROR(RefuseAuditEventChanges(in.type));
  HB_RETURN_IF_ERROR(CheckIfMatch(*cur, if_match));
  out.created = cur->deleted;
  HB_ASSIGN_OR_RETURN(out.version, Store(txn, actor, in, id, cur->version + 1, Method::kUpdate));
  return out;
}

Result<WriteOutcome> ConditionalUpdate(storage::WriteTxn& txn, Actor* actor, ResourceInput& in,
                                       const QueryParams& query, std::optional<int64_t> if_match) {
  HB_ASSIGN_OR_RETURN(auto matches, FindMatches(txn, in.type, query));
  if (matches.size() > 1) {
    return Status(ErrorCode::kMultipleMatches,
                  "conditional update " + QueryText(query) + " matches several " + in.type +
                      " resources");
  }
  if (matches.empty()) {
    if (!in.body_id.empty()) return Update(txn, actor, in, in.body_id, if_match);
    return Create(txn, actor, in, std::nullopt);
  }
  const std::string& id = matches[0].id;
  if (!in.body_id.empty() && in.body_id != id) {
    return Status(ErrorCode::kIdMismatch,
                  "the body's id '" + in.body_id + "' differs from the matched resource '" + id +
                      "'",
                  in.type + ".id");
  }
  if (in.body_id.empty()) in.body_id = id;  // the stored form takes its id from the match
  return Update(txn, actor, in, id, if_match);
}

Result<WriteOutcome> Patch(storage::WriteTxn& txn, Actor* actor, std::string_view type,
                           std::string_view id, const fhir::JsonValue& patch,
                           std::optional<int64_t> if_match) {
  HB_RETURN_IF_ERROR(RefuseAuditEventChanges(type));
  HB_ASSIGN_OR_RETURN(ResourceVersion cur, txn.Read(type, id));
  if (cur.deleted) {
    return Status(ErrorCode::kDeleted, std::string(type) + "/" + std::string(id) + " was deleted");
  }
  HB_RETURN_IF_ERROR(CheckIfMatch(cur, if_match));
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(cur.json));
  HB_RETURN_IF_ERROR(fhir::ApplyJsonPatch(doc, patch));
  if (!doc.IsObject() || fhir::MemberString(doc, "resourceType") != type ||
      fhir::MemberString(doc, "id") != id) {
    return Status(ErrorCode::kInvalidPatch, "a patch may not change resourceType or id");
  }
  HB_ASSIGN_OR_RETURN(ResourceInput in, PrepareNested(doc, doc.GetAllocator(), ""));
  HB_RETURN_IF_ERROR(ResolveReferences(txn, in, nullptr));
  WriteOutcome out;
  HB_ASSIGN_OR_RETURN(out.version, Store(txn, actor, in, id, cur.version + 1, Method::kPatch));
  return out;
}

Result<WriteOutcome> Delete(storage::WriteTxn& txn, Actor* actor, std::string_view type,
                            std::string_view id, std::optional<int64_t> if_match) {
  HB_RETURN_IF_ERROR(RefuseAuditEventChanges(type));
  HB_RETURN_IF_ERROR(RefuseOperationDefinitionChanges(type));
  HB_ASSIGN_OR_RETURN(ResourceVersion cur, txn.Read(type, id));
  WriteOutcome out;
  if (cur.deleted) {
    out.version = std::move(cur);
    out.unchanged = true;
    return out;
  }
  HB_RETURN_IF_ERROR(CheckIfMatch(cur, if_match));
  std::vector<std::string> patients;
  if (actor && actor->principal) {
    HB_ASSIGN_OR_RETURN(storage::RecordFacts facts, txn.Facts(type, id));
    HB_RETURN_IF_ERROR(Authorize(txn, actor, type, {}, &facts, access::Op::kDelete));
    patients = facts.patients;
  }
  storage::PutRequest put;
  put.type = type;
  put.id = id;
  put.version = cur.version + 1;
  put.last_updated = txn.Now();
  put.method = Method::kDelete;
  HB_RETURN_IF_ERROR(txn.Put(put));
  AuditChange(actor, Method::kDelete, type, id, patients);
  out.version.type = std::string(type);
  out.version.id = std::string(id);
  out.version.version = put.version;
  out.version.last_updated = put.last_updated;
  out.version.method = Method::kDelete;
  out.version.deleted = true;
  return out;
}

Result<WriteOutcome> ConditionalDelete(storage::WriteTxn& txn, Actor* actor,
                                       std::string_view type, const QueryParams& query) {
  HB_RETURN_IF_ERROR(RefuseOperationDefinitionChanges(type));
  HB_ASSIGN_OR_RETURN(auto matches, FindMatches(txn, type, query));
  if (matches.size() > 1) {
    return Status(ErrorCode::kMultipleMatches, "conditional delete " + QueryText(query) +
                                                   " matches several " + std::string(type) +
                                                   " resources");
  }
  if (matches.empty()) {
    WriteOutcome out;
    out.unchanged = true;
    out.version.type = std::string(type);
    return out;
  }
  return Delete(txn, actor, type, matches[0].id, std::nullopt);
}

Status FlushAudit(storage::WriteTxn& txn, Actor* actor) {
  if (!actor || actor->audit.empty()) return Status::Ok();
  Status st = txn.AppendAudit(actor->audit);
  actor->audit.clear();
  return st;
}

}  // namespace hb::rest
