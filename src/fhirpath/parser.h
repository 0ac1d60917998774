// Parser: FHIRPath tokens to the compiled tree (internal to hb_fhirpath).
//
// Follows the grammar and operator precedence of http://hl7.org/fhirpath/N1/#grammar:
// . and [] > unary +/- > * / div mod > + - & > is as > | > < <= > >= > = ~ != !~ >
// in contains > and > or xor > implies (right-associative). Resolves functions (name and
// argument count), type specifiers, environment constants (%ucum, %`vs-x`, ...) and literal
// regular expressions at compile time.
//
// Thread-safety: a pure function. Failure modes: kInvalidArgument with the offset, also for
// expressions longer than 4096 tokens or nested more than 200 deep (bounded recursion).
#pragma once

#include <memory>
#include <string_view>

#include "common/result.h"
#include "fhirpath/ast.h"

namespace hb::fhirpath::internal {

Result<std::unique_ptr<Node>> Parse(std::string_view text);

}  // namespace hb::fhirpath::internal
