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

class ClaimXmlOperation : public rest::Operation {
 public:
  explicit ClaimXmlOperation(std::shared_ptr<const ClaimOperationsContext> ctx)
      : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "claim-xml"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kInstance && type == "Encounter";
  }
  bool AllowsGet() const override { return true; }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Encounter-claim-xml";
  }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    ClaimGrant grant;
    if (!Permit(call, respond, CheckClaimAccess(call, &grant), "Encounter")) return;
    auto v = RequestedSchema(call, *ctx_);
    if (!v.ok()) return respond(rest::ErrorResponse(v.status()));
    auto txn = call.store->BeginRead();
    auto file = ctx_->service->Make(*txn, call.id, *v);
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

 private:
  std::shared_ptr<const ClaimOperationsContext> ctx_;
};

}  // namespace

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
