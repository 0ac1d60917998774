// FHIRPath: compile an expression once, evaluate it over FHIR JSON many times.
//
// Implements the normative FHIRPath (http://hl7.org/fhirpath/N1/) with the FHIR R4 specifics
// (https://hl7.org/fhir/R4/fhirpath.html): choice types (`Observation.value` finds
// valueQuantity), FHIR types from the R4 model for is/as/ofType and type(), extension(),
// resolve() within the resource and its Bundle, hasValue()/getValue(), %resource,
// %context, %ucum, %sct, %loinc, %`vs-*`, %`ext-*`. The conformance suite's result, and the
// few deliberate deviations, are in docs/implementation/fhirpath.md.
//
//   auto expr = Expression::Compile("Patient.name.where(use = 'official').given");
//   auto items = Evaluate(*expr, patient_json);  // Result<std::vector<Item>>
//
// Evaluation does not copy the resource: node Items point into the JSON DOM.
//
// Thread-safety: an Expression is immutable once compiled; copies share it, and any number
// of threads may evaluate it at once. Evaluate() is reentrant.
// Ownership: result Items borrow the input JSON (and EvalOptions::resource), which must
// outlive them; they own or share everything else.
// Failure modes: Compile returns kInvalidArgument for a syntax error, an unknown function
// or variable, or a wrong argument count, with the offset in the message. Evaluate returns
// kUnprocessable for an evaluation error (a function applied to several items, a
// non-string to a string function, `1 < 'a'`, an expanded choice name such as
// valueQuantity), and for memberOf()/subsumes()/subsumedBy() when EvalOptions has no
// TerminologyResolver (or the resolver's own error: an unknown ValueSet). A name that is no
// element gives nothing at run time; Check() reports it statically.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "fhir/json.h"
#include "fhirpath/item.h"

namespace hb::fhirpath {

namespace internal {
struct Ast;
}

// One coded value handed to a TerminologyResolver. `system` is empty for a bare code or
// string (memberOf: a code of any system the ValueSet includes).
struct CodeRef {
  std::string_view system;
  std::string_view code;
};

// The terminology service behind memberOf(), subsumes() and subsumedBy()
// (https://hl7.org/fhir/R4/fhirpath.html#functions). The engine decides what the input is
// (code, Coding, CodeableConcept, string) and what the result is when it is empty; the
// resolver answers for plain codes. Implemented outside this module (search/terminology.h:
// ValueSets and CodeSystems from the store, files, or the built-in ICD-10).
// Thread-safety: called from the evaluating thread only; an implementation used by several
// evaluations at once must be thread-safe itself.
class TerminologyResolver {
 public:
  virtual ~TerminologyResolver() = default;
  // Whether any of `codes` is in the ValueSet `value_set` (a canonical URL, maybe with
  // |version). An error (kUnprocessable) when the ValueSet is not known or cannot be expanded.
  virtual Result<bool> MemberOf(std::span<const CodeRef> codes, std::string_view value_set) = 0;
  // Whether `a` subsumes `b` in code system `system` (equal codes subsume each other):
  // true/false when both codes are known in a known system, nullopt when they are not
  // comparable (unknown system or code).
  virtual Result<std::optional<bool>> Subsumes(std::string_view system, std::string_view a,
                                               std::string_view b) = 0;
};

struct EvalOptions {
  // %resource and %rootResource: the resource that holds the input. Default: the input.
  const fhir::JsonValue* resource = nullptr;
  // resolve() for references outside %resource's contained resources and outside the Bundle
  // it is: the target resource, or nullptr. Default: such references resolve to nothing.
  std::function<const fhir::JsonValue*(std::string_view reference)> resolver;
  // now(), today() and timeOfDay() read this instant (microseconds since the epoch);
  // 0 reads the clock once per evaluation.
  int64_t now_micros = 0;
  // Zone of now(), minutes east of UTC; nullopt: the machine's local zone.
  std::optional<int> tz_offset_minutes;
  // Receives trace(name[, projection]) output; default: dropped.
  std::function<void(std::string_view name, std::span<const Item> items)> trace;
  // memberOf(), subsumes() and subsumedBy(); nullptr: they fail with "needs a terminology
  // service". Not owned; must outlive the evaluation.
  TerminologyResolver* terminology = nullptr;
};

class Expression {
 public:
  // Parses `text`; syntax and arity errors are kInvalidArgument "... at <offset>: ...".
  static Result<Expression> Compile(std::string_view text);

  const std::string& text() const;
  const internal::Ast& ast() const { return *ast_; }

  // Strict (static) checks against the model, for an input of FHIR type `input_type`:
  // every path names an element of its type (after as/ofType too), a type name at the start
  // of a path matches the input, and first()/last()/tail()/skip()/take()/[n] are not applied
  // to the unordered results of children()/descendants(). kInvalidArgument when not.
  Status Check(std::string_view input_type) const;

 private:
  std::shared_ptr<const internal::Ast> ast_;
};

// Evaluates over one FHIR node of type `input_type` (default: its resourceType).
Result<std::vector<Item>> Evaluate(const Expression& expression, const fhir::JsonValue& input,
                                   std::string_view input_type = {},
                                   const EvalOptions& options = {});
// Evaluates over a collection (empty for expressions that need no input).
Result<std::vector<Item>> Evaluate(const Expression& expression, std::span<const Item> input,
                                   const EvalOptions& options = {});

// The elements of its input an expression must find before it can yield anything: for
// `Observation.code | Observation.component.code`, code and component. When the input
// object has none of them, under its own name, a choice name (valueQuantity for value) or a
// primitive's companion (_birthDate), the expression yields nothing, and evaluating it can
// be skipped (the search indexer does, MemberNames). nullopt when the syntax does not tell:
// anything but paths, unions, indexers, `as` and functions that are empty on an empty
// input (where, select, resolve, ofType, as, first, last, tail, skip, take, single,
// extension, distinct).
std::optional<std::vector<std::string>> EntryElements(const Expression& expression);

// The members of a JSON value, to ask of many expressions' EntryElements whether the value
// holds one of them; the first letters of its member names are gathered once, so that most
// answers need no name compared. `input` must outlive it.
class MemberNames {
 public:
  explicit MemberNames(const fhir::JsonValue& input);
  // Whether one of `entry` is a member, under its own name, a choice name (valueQuantity
  // for value) or a companion's (_issued); always true for a value that is not an object.
  bool MayYield(const std::vector<std::string>& entry) const;
  const fhir::JsonValue* object() const { return object_; }

 private:
  const fhir::JsonValue* object_;  // null: not an object
  uint32_t letters_ = 0;           // a bit per first letter of the member names
};

// The value as JSON: booleans, numbers (from their decimal text) and strings as such, dates
// and times as ISO strings, a Quantity as {"value": n, "unit": "u"}, a TypeInfo as
// {"namespace": ..., "name": ...}, a FHIR node as its JSON (null for a primitive that has
// only extensions).
void WriteValueJson(const Item& item, rapidjson::Writer<rapidjson::StringBuffer>& writer);

// The FHIRPath literal form of a value: true, 12, 1.50, 'text' without quotes, @2015-02,
// @2015-02-04T14:34:28Z, @T14:34, 4 'mg', 1 week; a complex node as compact JSON.
std::string LiteralText(const Item& item);

}  // namespace hb::fhirpath
