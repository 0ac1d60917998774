// The code system implied by a `code` element's required binding (Patient.gender ->
// http://hl7.org/fhir/administrative-gender), from the R4 package's StructureDefinitions
// and ValueSets (generated at build time by `fhirgen --code-systems`, embedded). A token
// search parameter whose every expression branch is such an element indexes its codes with
// that system, so `gender=http://hl7.org/fhir/administrative-gender|male` matches.
//
// Immutable after first use; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace hb::search {

// The system of the element at `path` ("Patient.gender"); empty when none is implied.
std::string_view ImpliedSystemOfPath(std::string_view path);
// The system shared by all `branches` (simple paths such as "Patient.gender"); empty when a
// branch is not a simple path, has no implied system, or they differ.
std::string_view ImpliedSystemOfBranches(const std::vector<std::string_view>& branches);

}  // namespace hb::search
