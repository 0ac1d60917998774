// Model: the FHIR R4 structure definitions healthbook needs at run time.
//
// The tables come from the official R4 package: tools/fhirgen turns its StructureDefinitions,
// SearchParameters and the patient CompartmentDefinition into a compact text file
// (generated/r4_model.txt, format described in tools/fhirgen/fhirgen.cpp) that is linked into
// the binary and parsed once, on first use of Model::R4().
//
// A "context" names an object shape: a type ("Patient", "HumanName", "date" for the object
// `_birthDate`) or a backbone element path ("Patient.contact", "Questionnaire.item").
// Choice elements appear expanded under their JSON names ("valueQuantity"), sharing
// choice_group "value".
//
// Thread-safety: R4() is thread-safe; the Model is immutable afterwards and every
// string_view and pointer it hands out lives for the whole process.
// Failure modes: a corrupt embedded table is a build bug and aborts at first use.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fhir/primitives.h"

namespace hb::fhir {

enum class TypeKind { kPrimitive, kComplex, kResource };

struct TypeDef {
  std::string_view name;
  TypeKind kind = TypeKind::kComplex;
  bool is_abstract = false;
  std::string_view base;  // "DomainResource", "Element"; empty for the roots
};

struct ElementDef {
  std::string_view name;          // JSON property name: "birthDate", "valueQuantity"
  std::string_view type;          // FHIR type code: "date", "Quantity", "BackboneElement"
  std::string_view context;       // context of the children: "Quantity", "Patient.contact"
  std::string_view choice_group;  // "value" for the value[x] forms; empty otherwise
  uint32_t min = 0;
  Primitive primitive = Primitive::kNone;  // which primitive, when is_primitive
  bool array = false;                      // max != "1": the JSON value is an array
  bool is_primitive = false;   // a FHIR primitive: JSON scalar, may have a `_name` companion
  bool has_companion = false;  // `_name` allowed (primitive, not an XML attribute nor xhtml)
  bool polymorphic = false;    // type Resource: the object names its own resourceType
  bool summary = false;        // isSummary: kept by _summary=true
};

struct SearchParamComponent {
  std::string_view definition;  // canonical URL of the component's search parameter
  std::string_view expression;
};

struct SearchParamDef {
  std::string_view code;        // "birthdate"
  std::string_view type;        // "date", "token", "reference", "composite", ...
  std::string_view url;         // "http://hl7.org/fhir/SearchParameter/individual-birthdate"
  std::string_view expression;  // FHIRPath, may span several types joined with `|`; can be empty
  std::vector<std::string_view> base;            // resource types it is defined on
  std::vector<std::string_view> target;          // for reference parameters
  std::vector<SearchParamComponent> components;  // for composite parameters
};

class Model {
 public:
  // The R4 model, parsed from the embedded table on first call.
  static const Model& R4();

  // Concrete (non-abstract) resource type names, as in resourceType.
  bool IsResourceType(std::string_view name) const;
  // Sorted concrete resource type names.
  const std::vector<std::string_view>& ResourceTypes() const { return resource_types_; }
  // Any type, including primitives, data types and the abstract ones; nullptr if unknown.
  const TypeDef* FindType(std::string_view name) const;

  // The element `json_name` of `context`, or nullptr when the context has no such element.
  const ElementDef* FindElement(std::string_view context, std::string_view json_name) const;
  // All elements of `context` in definition order; empty for an unknown context.
  std::span<const ElementDef> Elements(std::string_view context) const;
  // The elements of `context` with min >= 1 (one per choice group).
  std::span<const ElementDef* const> RequiredElements(std::string_view context) const;

  // Dot paths ("Observation.subject", "Appointment.participant.actor") whose references put
  // a resource of `resource_type` in a Patient's compartment; empty when it never is.
  // Some paths also admit non-Patient targets: check the reference's target type.
  const std::vector<std::string_view>& PatientCompartmentPaths(std::string_view type) const;
  // The CompartmentDefinition search-parameter codes for the same membership.
  const std::vector<std::string_view>& PatientCompartmentParams(std::string_view type) const;
  // Whether resources of `type` can be in a Patient compartment (Patient itself included).
  bool InPatientCompartment(std::string_view type) const {
    return type == "Patient" || !PatientCompartmentParams(type).empty();
  }

  // The search parameters usable on `resource_type`: its own, then the inherited ones
  // (base DomainResource, then Resource: _id, _lastUpdated, _tag, ...). Empty for unknown.
  const std::vector<const SearchParamDef*>& SearchParameters(std::string_view type) const;
  // One of SearchParameters(type) by code; nullptr when none.
  const SearchParamDef* FindSearchParameter(std::string_view type, std::string_view code) const;

  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

 private:
  explicit Model(std::string_view table);

  struct Range {
    uint32_t begin = 0, end = 0;          // in elements_
    uint32_t req_begin = 0, req_end = 0;  // in required_
  };
  struct PairHash {
    size_t operator()(const std::pair<std::string_view, std::string_view>& p) const {
      size_t h = std::hash<std::string_view>()(p.first);
      return h ^ (std::hash<std::string_view>()(p.second) + 0x9e3779b97f4a7c15ULL + (h << 6) +
                  (h >> 2));
    }
  };
  struct Compartment {
    std::vector<std::string_view> params, paths;
  };

  std::vector<TypeDef> types_;
  std::unordered_map<std::string_view, uint32_t> type_index_;
  std::vector<std::string_view> resource_types_;
  std::vector<ElementDef> elements_;
  std::vector<const ElementDef*> required_;
  std::unordered_map<std::string_view, Range> contexts_;
  std::unordered_map<std::pair<std::string_view, std::string_view>, uint32_t, PairHash>
      element_index_;
  std::unordered_map<std::string_view, Compartment> compartments_;
  std::vector<SearchParamDef> params_;
  std::unordered_map<std::string_view, std::vector<const SearchParamDef*>> params_by_type_;
};

}  // namespace hb::fhir
