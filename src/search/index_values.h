// Internal to search/: turning one FHIRPath result item into index rows, one
// function per parameter type (index_string.cpp, index_token.cpp, index_date.cpp,
// index_quantity.cpp, index_reference.cpp).
#pragma once

#include <string_view>

#include "fhirpath/item.h"
#include "search/index_entries.h"

namespace hb::search::internal {

void AddStringValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
// `implied_system`: the system of bare codes (code primitives of an element whose required
// binding implies one, search/implied_systems.h); empty for none.
void AddTokenValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out,
                    std::string_view implied_system = {});
void AddDateValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddNumberValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddQuantityValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddReferenceValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddUriValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
// Location.position {latitude, longitude} (special_params.cpp).
void AddPositionValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);

// Sets the target type and id, and the url, of `e` from the reference text.
void SetTarget(std::string_view ref, ReferenceEntry* e);

// The text of a primitive node or System String; empty view otherwise.
std::string_view PrimitiveText(const fhirpath::Item& item);

}  // namespace hb::search::internal
