#include "imaging/imaging_systems.h"

#include "fhir/vn_systems.h"

namespace hb::imaging {

namespace {
std::string Under(std::string_view path) { return fhir::vn::Systems().base + std::string(path); }
}  // namespace

std::string AccessionSystem() { return Under("accession"); }
std::string DicomPatientIdSystem() { return Under("dicom-patient-id"); }
// The same URI as lis::ReconciliationTagSystem(): one work list for both integrations.
std::string ReconciliationTagSystem() { return Under("reconciliation"); }
std::string ViewerExtensionUrl() { return Under("extension/imaging-viewer"); }
std::string CursorCodeSystem() { return Under("integration-state"); }
std::string CursorExtensionUrl() { return Under("extension/orthanc-change-seq"); }
std::string BodyPartSystem() { return Under("dicom-body-part"); }

}  // namespace hb::imaging
