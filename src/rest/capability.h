// The CapabilityStatement, generated from what this server really supports:
// the R4 resource types from the model, the interactions FhirService
// implements, and the search parameters the search front end understands.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rest/operation.h"

namespace hb::rest {

// `operations`: the registered ones, listed per type (type and instance level) and at the
// system level; Patient/$everything is always there.
std::string BuildCapabilityStatement(
    const std::string& software_version,
    const std::vector<std::unique_ptr<Operation>>& operations = {});

}  // namespace hb::rest
