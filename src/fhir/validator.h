// ValidateResource: checks a FHIR R4 JSON resource against the structure model.
//
// Rules (https://hl7.org/fhir/R4/json.html, datatypes.html): resourceType names a concrete
// type; every property is an element of its context (unknown elements are errors); a `_name`
// companion only for primitives, holding only id/extension; arrays exactly where max != 1,
// never empty; no empty objects, no empty strings, no duplicate keys; primitive formats
// (fhir/primitives.h, so `id` and Narrative.div too); min cardinality (a primitive present
// only through `_name` counts, a choice group counts if any form is present; only one form of a
// choice); parallel primitive arrays (`given`/`_given`) of equal length with nulls only where
// the other side has a value; contained resources, Bundle.entry.resource and
// Parameters.parameter.resource are validated as their own resourceType; contained resources
// hold no contained resources (dom-2). Invariants (FHIRPath constraints), terminology bindings
// and profiles are not checked.
//
// Failure modes: returns a Status built with Status::FromIssues, one Issue per problem (up to
// ValidateOptions::max_issues) with a FHIRPath location such as `Patient.name[0].given[1]`.
// The code is ErrorCode::kUnknownResourceType when the top-level resourceType is missing,
// unknown or abstract, otherwise ErrorCode::kInvalidResource.
//
// Thread-safety: reentrant; uses the immutable Model::R4(). Ownership: ResourceFacts points
// into `resource` (which must outlive it) and into the model (static).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "fhir/json.h"

namespace hb::fhir {

// One Reference.reference string found in the resource.
struct ReferenceSite {
  JsonValue* reference;  // the string value of Reference.reference; callers may rewrite it
  std::string location;  // "Observation.subject.reference"
  // The Reference sits at one of the resource's patient-compartment paths (top-level resource
  // only, not inside contained). The target may still be a non-Patient: check its type.
  bool patient_compartment;
};

// What the validator learnt on the way, for the storage and REST layers. Covers the top-level
// resource and its contained resources; resources nested in Bundle.entry.resource or
// Parameters.parameter.resource are validated but not reported (validate each on its own).
struct ResourceFacts {
  std::string_view resource_type;  // the model's spelling, valid for the process lifetime
  std::vector<ReferenceSite> references;
  std::vector<const JsonValue*> identifiers;  // Identifier objects at the top-level `identifier`
};

struct ValidateOptions {
  size_t max_issues = 50;  // stop collecting after this many problems
  // FHIRPath of the resource itself, prefixed to every location; empty: its resourceType
  // ("Patient.birthDate"). E.g. "Bundle.entry[1].resource" gives
  // "Bundle.entry[1].resource.birthDate" when a caller validates a Bundle entry on its own.
  std::string_view root_location;
};

// Validates `resource`; fills `facts` (may be nullptr) even when invalid, as far as it got.
Status ValidateResource(JsonValue& resource, ResourceFacts* facts,
                        const ValidateOptions& options = {});

}  // namespace hb::fhir
