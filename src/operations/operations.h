// The FHIR operations of healthbook's reception and patient identity (one per file in
// this folder; contracts and examples in docs/implementation/reception.md):
//
//   POST Patient/$match        FHIR R4 patient matching (search.score + match-grade)
//   POST Patient/$identify     a scanned CCCD/BHYT QR -> the patient (found or registered),
//                              the insurance check as a Coverage
//   POST Patient/$merge        retire a duplicate into another record, re-pointing references
//   POST Patient/$unmerge      undo a merge from its Provenance record
//   GET  Patient/$duplicates   probable duplicate pairs
//   POST Encounter/$start-visit  an arrived Encounter with a queue number
//   POST Encounter/$call-next    the next waiting patient of a department, called
//   GET  Encounter/$queue        a department's queue today
//
// Thread-safety: RegisterOperations is called once, before serving (FhirService's rule).
#pragma once

#include "reception/card_history_client.h"
#include "rest/fhir_service.h"

namespace hb::operations {

struct OperationsOptions {
  int utc_offset_minutes = 420;                // the facilities' calendar day: Vietnam, UTC+07:00
  reception::CardHistoryOptions card_history;  // off while base_url is empty
};

void RegisterOperations(rest::FhirService& service, const OperationsOptions& options);

}  // namespace hb::operations
