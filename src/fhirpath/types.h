// Type specifiers and type tests (internal to hb_fhirpath).
//
// http://hl7.org/fhirpath/N1/#types-and-reflection with the FHIR model: unqualified names
// resolve to FHIR types first, then System types (`Quantity` matches both); `System.X` names
// a System type (an unknown one matches nothing), `FHIR.X` a FHIR type. FHIR types follow
// the R4 hierarchy (Age is a Quantity, code is a string, Patient is a DomainResource).
#pragma once

#include <string_view>

#include "common/result.h"
#include "fhirpath/ast.h"

namespace hb::fhirpath::internal {

struct ResolvedType {
  bool system = false;    // a System type (Boolean, String, ...)
  bool fhir = false;      // a FHIR type
  std::string_view name;  // the model's name or the System name
};

// An unknown FHIR type (or an unknown unqualified name) is an evaluation error.
Result<ResolvedType> ResolveType(const Node& at, const TypeSpec& spec);

// is(): the item is of the type or a subtype. `exact` (as(), ofType()) requires the very
// type for FHIR primitives (a code is not as(string)), and allows subtypes otherwise.
bool MatchesType(const Item& item, const ResolvedType& type, bool exact);

// type(): a TypeInfo item ("System"/"FHIR", name).
Item TypeInfoOf(const Item& item);

}  // namespace hb::fhirpath::internal
