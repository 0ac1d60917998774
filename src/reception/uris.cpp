#include "reception/uris.h"

#include "fhir/vn_systems.h"

namespace hb::reception {

namespace {

std::string Under(std::string_view slug) { return fhir::vn::Systems().base + std::string(slug); }

}  // namespace

std::string QueueNumberSystem() { return Under("queue-number"); }
std::string DepartmentSystem() { return Under("department"); }
std::string QueueTagSystem() { return Under("queue"); }
std::string QueueTicketExtension() { return Under("extension/queue-ticket"); }
std::string EncounterCoverageExtension() { return Under("extension/encounter-coverage"); }
std::string InsuranceCheckExtension() { return Under("extension/insurance-check"); }
std::string MergeRepointedExtension() { return Under("extension/merge-repointed"); }
std::string MergeSourceActiveExtension() { return Under("extension/merge-source-active"); }

}  // namespace hb::reception
