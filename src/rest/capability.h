// The CapabilityStatement, generated from what this server really supports:
// the R4 resource types from the model, the interactions FhirService
// implements, and the search parameters the search front end understands.
#pragma once

#include <string>

namespace hb::rest {

std::string BuildCapabilityStatement(const std::string& software_version);

}  // namespace hb::rest
