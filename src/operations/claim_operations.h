// The health-insurance claim operations (docs/implementation/claims-xml.md):
//
//   GET  Encounter/{id}/$claim-xml?schema=4750|3176
//        the signed GIAMDINHHS file of the episode (application/xml), or 422 with an
//        OperationOutcome listing every validation error (table, row, field, rule, value,
//        in Vietnamese and English);
//   GET  Encounter/{id}/$claim-preview?schema=4750|3176
//        the tables of the claim as JSON for people to read, with every validation error;
//   POST Encounter/{id}/$claim-submit
//        rebuilds the claim after a correction and queues it again for the portals
//        (same MA_LK); answers a Parameters with the outcome per portal.
//
// Who: claims officers, cashiers and facility administrators of the facility that holds
// the encounter, and operators (role system), through the access policy's record check.
//
// Thread-safety: RegisterClaimOperations is called once before serving; the service and
// delivery outlive the FhirService.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "claims/claim_delivery.h"
#include "claims/claim_service.h"
#include "rest/fhir_service.h"

namespace hb::operations {

struct ClaimOperationsContext {
  const claims::ClaimService* service = nullptr;  // null: claims are off (503)
  claims::ClaimDelivery* delivery = nullptr;      // null: no portal configured
  claims::SchemaVersion default_schema = claims::SchemaVersion::k4750;
};

void RegisterClaimOperations(rest::FhirService& fhir,
                             std::shared_ptr<const ClaimOperationsContext> ctx);

// $claim-submit (claim_submit.cpp).
std::unique_ptr<rest::Operation> MakeClaimSubmit(std::shared_ptr<const ClaimOperationsContext> ctx);
// $claim-preview (claim_preview.cpp): the tables as JSON, with the validation errors.
std::unique_ptr<rest::Operation> MakeClaimPreview(std::shared_ptr<const ClaimOperationsContext> ctx);

// Whom a permitted claim operation concerns, for its audit record.
struct ClaimGrant {
  std::vector<std::string> patients;  // the encounter's patient(s)
  bool break_glass = false;           // allowed by X-Break-Glass-Reason only
};
// The access rule the claim operations share: a claims role, and read access to the
// encounter's record. 403/404 as the policy decides; `grant` (optional) gets whom it concerns.
Status CheckClaimAccess(const rest::OperationCall& call, ClaimGrant* grant = nullptr);
// The audit records of a served claim operation (action R or U), one per patient, flagged
// when break-the-glass let it through.
void AuditClaim(const rest::OperationCall& call, std::string_view action, const ClaimGrant& grant);
// What $claim-xml and $claim-preview read before building: claims on (503 otherwise) and the
// schema asked for (`schema=4750|3176`, default ctx.default_schema; 400 otherwise).
Result<claims::SchemaVersion> RequestedSchema(const rest::OperationCall& call,
                                              const ClaimOperationsContext& ctx);

// What the three claim operations share: Encounter instance level, the OperationDefinition
// https://fhir.healthbook.vn/OperationDefinition/Encounter-<name>, and CheckClaimAccess
// before anything else (a refusal answers the OperationOutcome). RunGranted does the rest.
class EncounterClaimOperation : public rest::Operation {
 public:
  EncounterClaimOperation(std::shared_ptr<const ClaimOperationsContext> ctx, std::string name,
                          bool allows_get);
  std::string_view Name() const final { return name_; }
  bool Serves(rest::OperationLevel level, std::string_view type) const final;
  bool AllowsGet() const final { return allows_get_; }
  std::string_view Definition() const final { return definition_; }
  void Run(rest::OperationCall call, http::Responder respond) const final;

 protected:
  virtual void RunGranted(rest::OperationCall call, http::Responder respond,
                          const ClaimGrant& grant) const = 0;
  const ClaimOperationsContext& ctx() const { return *ctx_; }

 private:
  std::shared_ptr<const ClaimOperationsContext> ctx_;
  std::string name_;
  std::string definition_;
  bool allows_get_;
};

}  // namespace hb::operations
