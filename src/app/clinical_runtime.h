// The clinical workspace inside `healthbook serve` (docs/implementation/clinical.md): its
// operations and write rules, the reference resources it serves (ICD-10 CodeSystem and
// ValueSet, the drug catalogue as Medication, the Vietnamese StructureDefinitions), the
// facility's own drug interactions (<data>/drug-interactions.csv) and the sender of
// e-prescriptions to the national system (clinical.eprescription_*), an outbox topic.
#pragma once

#include <string>

#include "app/config.h"
#include "claims/costing.h"
#include "jobs/outbox_worker.h"
#include "rest/fhir_service.h"
#include "storage/resource_store.h"

namespace hb::app {

// Registers everything; call before serving and before outbox.Start(). `catalogs` (the
// price list orders are priced from) may be null while claims are off.
Status StartClinical(const Config& cfg, const std::string& data_dir, storage::ResourceStore& store,
                     rest::FhirService& fhir, jobs::OutboxWorker& outbox,
                     const claims::Catalogs* catalogs);

}  // namespace hb::app
