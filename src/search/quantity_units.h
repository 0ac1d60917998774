// UCUM units for quantity search: a search value in one UCUM unit also matches values
// stored in every other unit of the same dimension ("5.4|http://unitsofmeasure.org|kg"
// finds 5400 g). The index keeps values as written; the store knows which units each
// quantity parameter holds (idx_quantity_unit) and asks here for the search range
// converted into each of them.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "fhir/terminology.h"
#include "search/search_query.h"

namespace hb::search {

inline constexpr std::string_view kUcumSystem = fhir::terminology::kUcum;

// The dimension of a UCUM unit code as text ("0,1,0,0,0,0,0,0" for mass), empty when the
// engine cannot read the unit.
std::string UcumDimension(std::string_view code);

// The range of quantity search value `v` (its number, prefix and UCUM code) expressed in UCUM
// unit `code`, as DecimalKeys: the value, the low and the high bound as NumberValue sets
// them. False when either unit cannot be read or the dimensions differ.
bool ConvertToUnit(const SearchValue& v, std::string_view code, std::string* key,
                   std::string* low_key, std::string* high_key);

}  // namespace hb::search
