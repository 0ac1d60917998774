// Navigation over the FHIR JSON DOM with the R4 model (internal to hb_fhirpath).
//
// Child lookups go through fhir::Model: a name is an element of the node's context, a
// choice group (`value` finds valueQuantity, valueString, ...), or, at the start of a path,
// a type name that the node is (`Patient.name` on a Patient). Primitives get their id and
// extensions from the `_name` companion. Nodes of unknown type navigate by JSON member names.
#pragma once

#include <string_view>

#include "common/result.h"
#include "fhirpath/evaluator.h"

namespace hb::fhirpath::internal {

// Appends the children named `name` of `item`. An expanded choice name (valueQuantity) is
// an error, as FHIRPath names the choice (value); any other name that is not an element
// gives nothing here (collections mix types, as after descendants()); Expression::Check
// reports unknown names statically.
// At the start of a path (`path_start`), a type name the item is keeps the item
// (`Patient.name` on a Patient).
Status Navigate(const Node& at, const Item& item, std::string_view name, bool path_start,
                Collection& out);
// Appends all children (children()).
void Children(const Item& item, Collection& out);

// The node for a whole resource: its type from resourceType (nullptr when unknown).
Item ResourceItem(const fhir::JsonValue& resource);

// True when FHIR type `type` is `ancestor` or derives from it (code -> string -> Element).
bool IsSubtypeOf(std::string_view type, std::string_view ancestor);

}  // namespace hb::fhirpath::internal
