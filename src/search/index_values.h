// Internal to search/: turning one FHIRPath result item into index rows, one
// function per parameter type (index_string.cpp, index_token.cpp, index_date.cpp,
// index_quantity.cpp, index_reference.cpp).
#pragma once

#include <string_view>

#include "fhirpath/item.h"
#include "search/index_entries.h"

namespace hb::search::internal {

void AddStringValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddTokenValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddDateValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddNumberValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddQuantityValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddReferenceValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);
void AddUriValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out);

// The value in UCUM base units as a DecimalKey, and the unit's dimension as text, for
// `value` in UCUM unit `code`; false when the unit is not one the engine reads.
bool CanonicalUcum(std::string_view value, std::string_view code, std::string* key,
                   std::string* dimension);

// The text of a primitive node or System String; empty view otherwise.
std::string_view PrimitiveText(const fhirpath::Item& item);

}  // namespace hb::search::internal
