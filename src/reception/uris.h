// The URIs reception writes into resources, all under the configured identifier base
// (fhir::vn::Systems().base, GUIDE §5), so that a deployment that rebases its systems
// rebases these too. docs/implementation/reception.md lists them with their meaning.
//
// Contract: pure functions; read Systems(), which is fixed after start-up.
#pragma once

#include <string>
#include <string_view>

#include "fhir/terminology.h"

namespace hb::reception {

// Encounter.identifier system of queue tickets; value "<org>:<yyyymmdd>:<department>:<n>".
std::string QueueNumberSystem();
// Encounter.serviceType coding system of department keys (a code, "Location/x", ...).
std::string DepartmentSystem();
// Encounter.meta.tag system naming the queue a visit waits in; code "<org>:<yyyymmdd>:<dept>".
std::string QueueTagSystem();
// Encounter extension (complex): department, date, number, called.
std::string QueueTicketExtension();
// Encounter extension valueReference: the Coverage checked for this visit.
std::string EncounterCoverageExtension();
// Coverage extension (complex): facility, date, in-network, source, result.
std::string InsuranceCheckExtension();
// Provenance.target extension valueString: a reference path that $merge re-pointed.
std::string MergeRepointedExtension();
// Provenance extension valueBoolean: the source Patient's `active` before $merge (absent
// when it had none).
std::string MergeSourceActiveExtension();

// Fixed code systems used by reception (HL7 terminology).
inline constexpr std::string_view kActCodeSystem = fhir::terminology::kActCode;
inline constexpr std::string_view kActPrioritySystem = fhir::terminology::kActPriority;
inline constexpr std::string_view kIdentifierTypeSystem = fhir::terminology::kIdentifierType;
inline constexpr std::string_view kLifecycleSystem = fhir::terminology::kLifecycleEvent;
inline constexpr std::string_view kCoverageClassSystem = fhir::terminology::kCoverageClass;
inline constexpr std::string_view kMatchGradeExtension =
    "http://hl7.org/fhir/StructureDefinition/match-grade";

}  // namespace hb::reception
