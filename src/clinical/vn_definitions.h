// The Vietnamese extensions and profiles (resources/fhir/vn/StructureDefinition-*.json),
// linked into the binary; the server stores them so that StructureDefinition reads and
// searches find them (operations::EnsureClinicalResources).
//
// Contract: static data, thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace hb::clinical {

// The JSON of each StructureDefinition, written with the default identifier base.
const std::vector<std::string_view>& VnStructureDefinitions();

}  // namespace hb::clinical
