// Operator semantics and value conversions (internal to hb_fhirpath).
//
// http://hl7.org/fhirpath/N1/#operations: equality and equivalence (with the FHIR type
// conversions: a FHIR primitive compares as its System value, a FHIR Quantity as a System
// Quantity), comparison, math, string concatenation, collections, three-valued logic.
#pragma once

#include <optional>

#include "common/result.h"
#include "fhirpath/evaluator.h"

namespace hb::fhirpath::internal {

// The System value of an item: itself, a FHIR primitive's value, a FHIR Quantity as a
// Quantity. nullopt for other complex nodes and primitives that have no value.
std::optional<Item> ToSystem(const Item& item);

// `=` on single items: nullopt when unknown (dates of different precision, a primitive
// without a value, quantities that are not comparable).
std::optional<bool> EqualItems(const Item& a, const Item& b);
bool EquivalentItems(const Item& a, const Item& b);
// Whether `c` has an item equal to `item`.
bool CollectionHas(Span c, const Item& item);
// Appends the items of `from` that out[start:] does not have yet (the items before `start`
// belong to someone else: a function's output may already hold earlier results).
void AppendDistinct(Span from, Collection& out, size_t start);

// Singleton evaluation as a Boolean: empty -> nullopt, one Boolean -> its value, one other
// item -> true, several -> an error.
Result<std::optional<bool>> ToBoolean(const Node& at, Span c);
// At most one item, converted to its System value; an error for several.
Result<std::optional<Item>> Single(const Node& at, Span c);

Status EqualityOp(const Node& at, Span l, Span r, Collection& out);
Status CompareOp(const Node& at, Span l, Span r, Collection& out);
Status ArithmeticOp(const Node& at, Span l, Span r, Collection& out);
Status MembershipOp(const Node& at, Span l, Span r, Collection& out);

// -1/0/1 for two System values of comparable types (numbers, strings, dates, times,
// quantities); nullopt when unknown; an error for other types.
Result<std::optional<int>> CompareValues(const Node& at, const Item& a, const Item& b);

}  // namespace hb::fhirpath::internal
