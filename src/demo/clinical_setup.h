// What the clinical workspace needs in the demo province (issue 7,
// docs/implementation/clinical.md "Demo data"), at the provincial hospital (org-11001):
//   Location  two wards (physicalType wa: Khoa Nội tổng hợp K03, Khoa Hồi sức cấp cứu K02),
//             their rooms (ro) and beds (bd, operationalStatus U), and the pharmacy store
//             (loc-11001-khoduoc);
//   Medication, SupplyDelivery, Basic   drug batches received into the store with their
//             stock levels (the layout of operations/clinical_pharmacy.cpp), two batches per
//             drug with different expiry dates, and one expired paracetamol batch;
//   AllergyIntolerance  allergies of some patients (penicillins, NSAIDs), among them
//             pat-000002 and pat-000003 so the doctor meets a warning early.
// The drug catalogue itself (Medication med-<code>) is written by the server at start-up.
// Deterministic: no clock, no randomness; absolute expiry dates far from kReferenceDay.
//
// Contract: called once per run, after the facilities and the patients.
#pragma once

#include "common/status.h"
#include "demo/context.h"

namespace hb::demo {

Status EmitClinicalSetup(DemoContext& ctx);
// Allergies of patient `index` (pat-<index>), when it has any.
Status EmitPatientAllergies(DemoContext& ctx, int index, std::string_view patient_id,
                            std::string_view patient_name);

}  // namespace hb::demo
