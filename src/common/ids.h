// Server-assigned resource ids.
//
// Contract: NewResourceId() is thread-safe and returns a 20-character id in the
// FHIR id alphabet, unique within the process and, with overwhelming likelihood,
// across processes. Ids sort roughly by creation time (48-bit milliseconds
// followed by 52 random bits) so that B-tree inserts stay local.
#pragma once

#include <string>
#include <string_view>

namespace hb {

std::string NewResourceId();
// True when `id` matches the FHIR id type: [A-Za-z0-9\-\.]{1,64}.
bool IsValidFhirId(std::string_view id);

}  // namespace hb
