// The claims module inside `healthbook serve`: the claims service (price list, catalogues,
// signing key), the $claim-xml and $claim-submit operations, and delivery to the national
// and provincial portals through the outbox (claims/claim_delivery.h), woken by commits of
// Encounters. Everything here comes from configuration (claims.* in default.json).
//
// Lifetime: Create before the outbox worker starts (it registers the senders), Start after
// it started, Stop before it stops.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "claims/claim_delivery.h"
#include "claims/claim_service.h"
#include "jobs/outbox_worker.h"
#include "rest/fhir_service.h"
#include "storage/resource_store.h"

namespace hb::app {

class ClaimsRuntime {
 public:
  // Never fails the server: without a price list or key, claims are off and say why (503).
  static std::unique_ptr<ClaimsRuntime> Create(const Config& cfg, const std::string& data_dir,
                                               storage::ResourceStore& store,
                                               rest::FhirService& fhir, jobs::OutboxWorker& outbox);
  void Start(jobs::OutboxWorker& outbox);
  void Stop();
  // The facility price list and code lists (billing prices invoices with them); null while
  // claims are off.
  const claims::Catalogs* catalogs() const { return service_ ? &service_->catalogs() : nullptr; }

 private:
  bool queue_ = true;
  std::unique_ptr<claims::ClaimService> service_;
  std::unique_ptr<claims::ClaimDelivery> delivery_;
};

}  // namespace hb::app
