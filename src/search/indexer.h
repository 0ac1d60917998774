// Index extraction: the typed index rows of a resource, computed at write time by
// evaluating the compiled FHIRPath expression of each search parameter of the
// resource's type (ParamRegistry) and turning each resulting value into rows of
// its parameter's type (R4 search §3.1.1.4 maps data types to parameter types).
//
// String values of HumanName and Address are indexed part by part and as the whole
// name/address (family first and given first), so "lo van a" finds "Lò Văn A".
//
// Thread-safety: reentrant. Failure modes: none; a parameter whose evaluation fails
// (malformed data the validator let through) contributes no rows and is logged once.
#pragma once

#include <string_view>

#include "fhir/json.h"
#include "search/index_entries.h"
#include "search/param_registry.h"

namespace hb::search {

// Appends the rows of `resource` (of type `type`) to `out`, without duplicates.
void IndexResource(const ParamRegistry& registry, std::string_view type,
                   const fhir::JsonValue& resource, IndexEntries* out);

// Reads the reference entries again from their JSON strings, which the write may have
// rewritten since IndexResource (urn:uuid aliases in a Bundle, conditional references).
// The JSON must still be alive. Cheap: no FHIRPath evaluation.
void RefreshReferences(IndexEntries* entries);

}  // namespace hb::search
