// The identifier systems, tags and extensions the PACS link writes, all under the configured
// identifier base (fhir::vn::Systems().base, GUIDE §5) except the ones DICOM and FHIR fix.
// docs/implementation/imaging.md lists them.
//
// Contract: pure functions over Systems(), which is fixed after start-up; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "fhir/terminology.h"

namespace hb::imaging {

// ImagingStudy.identifier for the Study Instance UID ("urn:oid:1.2.840...").
inline constexpr std::string_view kDicomUidSystem = "urn:dicom:uid";
// Modality and body-part codes.
inline constexpr std::string_view kDicomDcmSystem = fhir::terminology::kDicomDcm;
inline constexpr std::string_view kIdentifierTypeSystem = fhir::terminology::kIdentifierType;
inline constexpr std::string_view kSnomedSystem = fhir::terminology::kSnomed;
// ServiceRequest.category that marks an imaging order (SNOMED CT 363679005 "Imaging").
inline constexpr std::string_view kImagingCategoryCode = "363679005";
inline constexpr std::string_view kEndpointConnectionTypeSystem =
    "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
// The Endpoint every ImagingStudy points at (one Orthanc per server), and the Basic resource
// that keeps the change-feed cursor: fixed ids, so both are plain updates.
inline constexpr std::string_view kEndpointId = "orthanc-dicomweb";
inline constexpr std::string_view kCursorId = "imaging-orthanc-cursor";

// ServiceRequest.identifier (type ACSN): the accession number given to the modality.
std::string AccessionSystem();
// Patient.identifier of a provisional patient: the DICOM PatientID as the modality sent it.
std::string DicomPatientIdSystem();
// meta.tag system (shared with the HL7 v2 mappings) for records to reconcile; the code
// kProvisionalTag marks a Patient created for a study of an unknown patient.
std::string ReconciliationTagSystem();
inline constexpr std::string_view kProvisionalTag = "provisional";
// ImagingStudy.extension: the study in Orthanc's own viewer (valueUrl).
std::string ViewerExtensionUrl();
// Basic.code / extension of the change-feed cursor.
std::string CursorCodeSystem();
std::string CursorExtensionUrl();
// ImagingStudy.series.bodySite: DICOM BodyPartExamined defined terms, kept as sent.
std::string BodyPartSystem();

}  // namespace hb::imaging
