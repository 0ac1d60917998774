// GET Encounter/{id}/$claim-xml (claim_operations.h).
#include <fmt/format.h>

#include "http/query.h"
#include "operations/claim_operations.h"
#include "operations/op_support.h"
#include "rest/outcome.h"

namespace hb::operations {

namespace {

// The validation errors as one Status whose issues become the OperationOutcome's.
Status Invalid(const claims::ClaimErrors& errors) {
  std::vector<Issue> issues;
  for (const claims::ClaimError& e : errors) {
    Issue i;
    i.code = ErrorCode::kUnprocessable;
    i.message = claims::FormatError(e);
    i.location =
        e.row > 0 ? fmt::format("{}[{}].{}", e.table, e.row, e.field) : e.table + "." + e.field;
    issues.push_back(std::move(i));
  }
  return Status::FromIssues(std::move(issues));
}

class ClaimXmlOperation : public EncounterClaimOperation {
 public:
  explicit ClaimXmlOperation(std::shared_ptr<const ClaimOperationsContext> ctx)
      : EncounterClaimOperation(std::move(ctx), "claim-xml", /*allows_get=*/true) {}

 protected:
  void RunGranted(rest::OperationCall call, http::Responder respond,
                  const ClaimGrant& grant) const override {
    auto v = RequestedSchema(call, ctx());
    if (!v.ok()) return respond(rest::ErrorResponse(v.status()));
    auto txn = call.store->BeginRead();
    auto file = ctx().service->Make(*txn, call.id, *v);
    if (!file.ok()) return respond(rest::ErrorResponse(file.status()));
    AuditClaim(call, "R", grant);
    if (!file->errors.empty()) return respond(rest::ErrorResponse(Invalid(file->errors)));
    http::Response r;
    r.status = 200;
    r.content_type = "application/xml; charset=utf-8";
    r.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"" + file->ma_lk + ".xml\""});
    r.body = std::move(file->xml);
    respond(std::move(r));
  }
};

}  // namespace

EncounterClaimOperation::EncounterClaimOperation(std::shared_ptr<const ClaimOperationsContext> ctx,
                                                 std::string name, bool allows_get)
    : ctx_(std::move(ctx)),
      name_(std::move(name)),
      definition_("https://fhir.healthbook.vn/OperationDefinition/Encounter-" + name_),
      allows_get_(allows_get) {}

bool EncounterClaimOperation::Serves(rest::OperationLevel level, std::string_view type) const {
  return level == rest::OperationLevel::kInstance && type == "Encounter";
}

void EncounterClaimOperation::Run(rest::OperationCall call, http::Responder respond) const {
  ClaimGrant grant;
  if (!Permit(call, respond, CheckClaimAccess(call, &grant), "Encounter")) return;
  RunGranted(std::move(call), std::move(respond), grant);
}

Status CheckClaimAccess(const rest::OperationCall& call, ClaimGrant* grant) {
  const access::Principal& p = *call.principal;
  using access::Role;
  if (p.role != Role::kSystem && p.role != Role::kClaimsOfficer && p.role != Role::kCashier &&
      p.role != Role::kFacilityAdmin) {
    return Status(ErrorCode::kForbidden,
                  "claims are made by claims officers, cashiers, facility "
                  "administrators and operators; the role " +
                      std::string(access::RoleName(p.role)) + " may not");
  }
  HB_RETURN_IF_ERROR(call.policy->CheckInteraction(p, "Encounter", access::Op::kRead));
  auto txn = call.store->BeginRead();
  HB_ASSIGN_OR_RETURN(storage::RecordFacts facts, txn->Facts("Encounter", call.id));
  access::AccessNote note;
  HB_RETURN_IF_ERROR(call.policy->CheckRecord(p, "Encounter", access::Op::kRead, facts, *txn, &note));
  if (grant) {
    grant->patients = facts.patients;
    grant->break_glass = note.break_glass;
  }
  return Status::Ok();
}

void AuditClaim(const rest::OperationCall& call, std::string_view action, const ClaimGrant& grant) {
  if (!call.sink) return;
  if (grant.patients.empty()) {
    call.sink->Add(access::MakeAudit(*call.principal, action, "operation", 0, "", call.req.target,
                                     {}, grant.break_glass));
  }
  for (const auto& patient : grant.patients) {
    call.sink->Add(access::MakeAudit(*call.principal, action, "operation", 0, patient,
                                     call.req.target, {}, grant.break_glass));
  }
}

Result<claims::SchemaVersion> RequestedSchema(const rest::OperationCall& call,
                                              const ClaimOperationsContext& ctx) {
  if (!ctx.service) {
    return Status(ErrorCode::kUnavailable,
                  "claims are off: no price list (claims.price_list_dir) or no signing key");
  }
  claims::SchemaVersion v = ctx.default_schema;
  for (const auto& [k, val] : http::ParseQuery(call.req.query)) {
    if (k == "schema" && !claims::ParseSchemaVersion(val, &v))
      return Status(ErrorCode::kInvalidArgument, "schema is 4750 or 3176, not '" + val + "'");
  }
  return v;
}

void RegisterClaimOperations(rest::FhirService& fhir,
                             std::shared_ptr<const ClaimOperationsContext> ctx) {
  fhir.AddOperation(std::make_unique<ClaimXmlOperation>(ctx));
  fhir.AddOperation(MakeClaimSubmit(ctx));
  fhir.AddOperation(MakeClaimPreview(ctx));
}

}  // namespace hb::operations
