// StudyFacts -> the FHIR a stable study becomes: one transaction Bundle with the
// ImagingStudy (conditional update on its Study Instance UID, so a study that becomes stable
// again, or a replayed change feed, updates the same resource) and, for a PatientID we do
// not know, a provisional Patient tagged for reconciliation (conditional create on that
// PatientID, so every study of the same unknown patient lands on one record).
//
// Contract: pure; thread-safe. The caller resolves the links first (identifier searches
// through the REST layer) and passes what it found.
#pragma once

#include <string>
#include <string_view>

#include "imaging/study_mapping.h"

namespace hb::imaging {

struct PacsLinks {
  std::string public_url;  // Orthanc as browsers and viewers reach it, no trailing '/'
  std::string dicomweb_path = "/dicom-web";
};

struct StudyLinks {
  std::string patient;          // "Patient/<id>" when PatientID matched; empty: provisional
  std::string service_request;  // "ServiceRequest/<id>" when AccessionNumber matched
};

// The WADO-RS base and the Orthanc Explorer page of a study.
std::string DicomWebBase(const PacsLinks& pacs);
std::string ViewerUrl(const PacsLinks& pacs, std::string_view orthanc_id);

// The Endpoint resource (id kEndpointId) for Orthanc's DICOMweb service.
std::string EndpointJson(const PacsLinks& pacs);
// The ImagingStudy alone (subject as given: "Patient/x" or a "urn:uuid:..." alias).
std::string ImagingStudyJson(const StudyFacts& f, const PacsLinks& pacs, std::string_view subject,
                             std::string_view service_request);
// The transaction Bundle described above.
std::string StudyTransaction(const StudyFacts& f, const PacsLinks& pacs, const StudyLinks& links);

}  // namespace hb::imaging
