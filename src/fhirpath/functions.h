// The FHIRPath function library (internal to hb_fhirpath): one table per file, gathered by
// FindFunction(), and the argument helpers the implementations share.
//
// http://hl7.org/fhirpath/N1/#functions and https://hl7.org/fhir/R4/fhirpath.html#functions
#pragma once

#include <optional>
#include <span>

#include "common/result.h"
#include "fhirpath/evaluator.h"

namespace hb::fhirpath::internal {

std::span<const FunctionDef> CollectionFunctions();  // existence, filtering, subsetting, ...
std::span<const FunctionDef> UtilityFunctions();     // iif, trace, aggregate, sort, types, now
std::span<const FunctionDef> StringFunctions();
std::span<const FunctionDef> EncodingFunctions();  // encode, decode, escape, unescape
std::span<const FunctionDef> ConversionFunctions();
std::span<const FunctionDef> MathFunctions();  // and precision, boundaries, comparable
std::span<const FunctionDef> FhirFunctions();  // extension, resolve, hasValue, ...

// The single input item as its System value; nullopt when the input is empty (or a primitive
// without a value); an error for several items.
Result<std::optional<Item>> InputValue(const Node& call, Span input);
// As InputValue, and an error when the value is not a String.
Result<std::optional<Item>> InputString(const Node& call, Span input);
// Argument `i` as a String (nullopt when empty); an error for another type.
Result<std::optional<Item>> StringArg(Evaluator& ev, const Node& call, size_t i);
// Argument `i` as an Integer (nullopt when empty); an error for another type.
Result<std::optional<int64_t>> IntegerArg(Evaluator& ev, const Node& call, size_t i);

}  // namespace hb::fhirpath::internal
