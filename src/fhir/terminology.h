// The URIs of the standard code systems and extensions healthbook's modules code with (HL7
// terminology, LOINC, SNOMED CT, UCUM), named once so that every module writes the same
// system. Vietnamese identifier and code systems are elsewhere (fhir/vn_systems.h): they
// follow a configurable base URI; these never change.
#pragma once

#include <string_view>

namespace hb::fhir::terminology {

inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";
inline constexpr std::string_view kIdentifierType =
    "http://terminology.hl7.org/CodeSystem/v2-0203";
inline constexpr std::string_view kActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
inline constexpr std::string_view kActPriority =
    "http://terminology.hl7.org/CodeSystem/v3-ActPriority";
inline constexpr std::string_view kObservationInterpretation =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
inline constexpr std::string_view kObservationCategory =
    "http://terminology.hl7.org/CodeSystem/observation-category";
inline constexpr std::string_view kDiagnosticServiceSection =
    "http://terminology.hl7.org/CodeSystem/v2-0074";
inline constexpr std::string_view kParticipationType =
    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
inline constexpr std::string_view kMessageType = "http://terminology.hl7.org/CodeSystem/v2-0076";
inline constexpr std::string_view kCoverageClass =
    "http://terminology.hl7.org/CodeSystem/coverage-class";
inline constexpr std::string_view kLifecycleEvent =
    "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle";
inline constexpr std::string_view kDicomDcm = "http://dicom.nema.org/resources/ontology/DCM";

}  // namespace hb::fhir::terminology
