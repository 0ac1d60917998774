// The identifier systems, code systems and tags the HL7 v2 mappings write, all under the
// configured identifier base (fhir::vn::Systems().base, GUIDE §5) so that a deployment that
// rebases its systems rebases these too. docs/implementation/hl7v2-mapping.md lists them.
//
// Most are per facility: order numbers, medical record numbers, visit numbers and local lab
// codes are only unique inside the hospital that issued them, so the facility's MA_CSKCB code
// is the last path segment ("<base>placer-order/11001").
//
// Contract: pure functions over Systems(), which is fixed after start-up; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "fhir/search_escape.h"
#include "fhir/terminology.h"

namespace hb::lis {

// ServiceRequest.identifier (type PLAC): ORC-2 / OBR-2, the HIS's order number.
std::string PlacerOrderSystem(std::string_view facility);
// ServiceRequest.identifier (type FILL): ORC-3 / OBR-3, the LIS's accession number.
std::string FillerOrderSystem(std::string_view facility);
// DiagnosticReport.identifier: one report per order (filler number, else placer number).
std::string LabReportSystem(std::string_view facility);
// Observation.identifier: "<report key>/<OBX-3 code>/<OBX-4 sub-id>", stable across
// corrections, so a corrected result is a new version of the same Observation.
std::string LabResultSystem(std::string_view facility);
// Specimen.identifier: SPM-2.2 (the laboratory's specimen number), else SPM-2.1.
std::string SpecimenSystem(std::string_view facility);
// Patient.identifier (type MR): the hospital's medical record number (mã bệnh nhân).
std::string MrnSystem(std::string_view facility);
// Encounter.identifier (type VN): PV1-19 visit number (mã lượt khám / mã điều trị).
std::string VisitNumberSystem(std::string_view facility);
// Staff codes in XCN-1 (doctors, technicians) when no licence number is given.
std::string StaffCodeSystem(std::string_view facility);
// The lab's local test codes (OBX-3 / OBR-4 with coding system L or 99xxx).
std::string LocalLabCodeSystem(std::string_view facility);
// Identifiers of other kinds whose assigning authority we do not know: "<base>hl7v2-id/<ns>".
std::string OtherIdentifierSystem(std::string_view authority);
// Coding systems named in CWE-3 that have no known URI: "<base>hl7v2-coding/<name>".
std::string OtherCodingSystem(std::string_view name);

// DocumentReference.masterIdentifier of a received message: "<MSH-3>^<MSH-4>^<MSH-10>".
// The idempotency key: a message whose key is already stored is a resend.
std::string MessageIdSystem();
// meta.tag system for records that need a person's attention; code kProvisionalTag marks a
// Patient created from a result for an unknown patient (to be reconciled).
std::string ReconciliationTagSystem();
inline constexpr std::string_view kProvisionalTag = "provisional";

// Fixed terminology (fhir/terminology.h), under the names this module's code uses.
inline constexpr std::string_view kLoincSystem = fhir::terminology::kLoinc;
inline constexpr std::string_view kSnomedSystem = fhir::terminology::kSnomed;
inline constexpr std::string_view kUcumSystem = fhir::terminology::kUcum;
inline constexpr std::string_view kIdentifierTypeSystem = fhir::terminology::kIdentifierType;
inline constexpr std::string_view kInterpretationSystem = fhir::terminology::kObservationInterpretation;
inline constexpr std::string_view kObservationCategorySystem = fhir::terminology::kObservationCategory;
inline constexpr std::string_view kDiagnosticServiceSystem = fhir::terminology::kDiagnosticServiceSection;
inline constexpr std::string_view kActCodeSystem = fhir::terminology::kActCode;
inline constexpr std::string_view kParticipationTypeSystem = fhir::terminology::kParticipationType;
inline constexpr std::string_view kMessageTypeSystem = fhir::terminology::kMessageType;
// The MIME type HL7 registered for ER7 (pipe and hat) messages.
inline constexpr std::string_view kEr7ContentType = "x-application/hl7-v2+er7";

// A resource id derived from an identifier this interface mints (a result's, a report's, a
// message record's): "h" and 26 base32 characters of a 128-bit hash of "system|value". Writing
// to Type/<StableId> finds the resource by a read instead of a search, which is what lets a
// message be stored with few index lookups; only this interface writes these identifier
// systems, so no other record can hold the identifier under another id.
std::string StableId(std::string_view system, std::string_view value);

// "system|value" as it goes into a conditional URL: the value escaped for search, then the
// characters a query string gives meaning to (% & + # = space, controls, non-ASCII) as %XX,
// so that the usual query parsing gives the value back whatever the sender put in it.
std::string TokenCondition(std::string_view system, std::string_view value);

}  // namespace hb::lis
