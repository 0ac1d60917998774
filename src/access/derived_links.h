// The access facts a resource establishes when it is written: care
// relationships between patients and facilities, and consent refusals. rest/
// stores them beside the resource (storage::IndexRows) and AccessPolicy reads them.
//
// Care relationships:
//   Encounter          subject -> serviceProvider, open while planned/arrived/triaged/
//                      in-progress/onleave, else until period.end (or start);
//   EpisodeOfCare      patient -> managingOrganization, open while active;
//   ServiceRequest     subject -> each Organization performer (an order or referral
//                      addressed to the facility), open while draft/active/on-hold,
//                      else until authoredOn;
//   Patient            itself -> managingOrganization and Organization generalPractitioners
//                      (the facility the person is registered with), open.
// Consent refusals: an active Consent whose provision.type is deny: patient ->
//   each Organization in provision.actor ("*" when none), for the resource types
//   in provision.class (empty: all).
// Only relative references (Patient/x, Organization/y) count.
// Pure functions, thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "fhir/json.h"
#include "storage/resource_store.h"

namespace hb::access {

void DeriveLinks(std::string_view type, std::string_view id, const fhir::JsonValue& resource,
                 int64_t now, std::vector<storage::CareLink>* care,
                 std::vector<storage::ConsentDeny>* denies);

}  // namespace hb::access
