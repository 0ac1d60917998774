// The search parameters healthbook indexes and searches, per resource type.
//
// Built once, at first use (the server touches it at start-up), from the R4 core
// SearchParameters (fhir::Model::R4().SearchParameters(type)). For each resource type
// and each of its parameters, the FHIRPath expression is cut down to the branches
// that apply to that type (R4 shares one definition, "AllergyIntolerance.patient |
// CarePlan.subject... | Observation.subject...", across many bases) and compiled
// once; at write time only the parameters of the resource's own type are evaluated.
//
// Composite parameters of two or three components, the first a token or a reference and
// the others a token, quantity, date, string, number, uri or reference (every R4
// composite: Observation's, Group characteristic-value, MolecularSequence coordinates,
// DocumentReference relationship, ...) are indexed as combinations evaluated on the same
// element. Location `near` (special) is indexed from Location.position
// (search/special_params.h). Parameters that are not indexed: other composites, other
// special ones (`_filter`, parsed by search/filter_parser.h) and those without an
// expression (`_query`).
// `_id` and `_lastUpdated` are served from the resource table, `_text` and `_content`
// from the full-text index (search/fulltext.h).
//
// Thread-safety: Default() is thread-safe; the registry is immutable afterwards and
// every view and pointer it hands out lives for the whole process.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fhir/model.h"
#include "fhirpath/fhirpath.h"
#include "search/custom_params.h"

namespace hb::search {

enum class ParamType {
  kNumber,
  kDate,
  kString,
  kToken,
  kReference,
  kComposite,
  kQuantity,
  kUri,
  kSpecial
};
ParamType ParamTypeFromName(std::string_view name);
std::string_view ParamTypeName(ParamType t);

// How a parameter's values are kept.
enum class Storage {
  kIndexed,     // rows in the typed index tables
  kColumn,      // the resource table: _id, _lastUpdated
  kFullText,    // the full-text index: _text, _content (search/fulltext.h)
  kUnsupported  // not searchable here (other composites, special, no expression)
};

// One component of a composite parameter: its type and its expression, evaluated on each
// item of the composite's own expression.
struct CompositeComponent {
  ParamType type = ParamType::kToken;
  std::shared_ptr<const fhirpath::Expression> expression;
  // fhirpath::EntryElements of `expression`, on the composite's item.
  std::optional<std::vector<std::string>> entry;
};

struct RegisteredParam {
  std::string_view code;
  ParamType type = ParamType::kToken;
  std::string_view url;
  std::vector<std::string_view> targets;  // reference parameters: target resource types
  Storage storage = Storage::kUnsupported;
  std::shared_ptr<const fhirpath::Expression> expression;  // pruned to the type; null if none
  // fhirpath::EntryElements of `expression`: a resource with none of them has no values
  // (the indexer skips the evaluation); nullopt when not known.
  std::optional<std::vector<std::string>> entry;
  std::vector<CompositeComponent> components;              // composite parameters
  // The parameters whose index rows hold this one's values: itself, or, for a parameter
  // whose expression is a union of other parameters' expressions (Observation combo-code =
  // code | component-code), those parameters; its rows are not stored twice.
  std::vector<std::string_view> row_codes;
  // For `X.where(resolve() is T)` over the expressions of `row_codes`: only the rows that
  // reference a T (Observation patient = subject rows whose target is a Patient).
  std::string_view resolve_type;
  // Token parameters over `code` elements whose required binding implies one code system
  // (Patient.gender): their codes are indexed with that system (search/implied_systems.h).
  std::string_view implied_system;
  bool OwnRows() const { return row_codes.size() == 1 && row_codes[0] == code; }
};

class ParamRegistry {
 public:
  // The R4 core parameters of every resource type, plus those given to Configure.
  static const ParamRegistry& Default();
  // Adds search parameters defined as data (search/custom_params.h) to Default(). Must
  // come before Default() is first used; later, the same set again is accepted (a process
  // that opens several stores), a different one is kConflict.
  static Status Configure(std::vector<CustomParamDef> extra);
  // Whether `code` on `type` came from Configure (shown as such in the capabilities).
  bool IsCustom(std::string_view type, std::string_view code) const;

  // Every parameter of `type` (its own first, then the inherited ones); empty if unknown.
  const std::vector<RegisteredParam>& ForType(std::string_view type) const;
  // The parameters evaluated at write time: Storage::kIndexed with their own rows.
  const std::vector<const RegisteredParam*>& IndexedFor(std::string_view type) const;
  const RegisteredParam* Find(std::string_view type, std::string_view code) const;
  // Every (type, code) with its own index rows, for the store to intern.
  std::vector<std::pair<std::string, std::string>> IndexedPairs() const;

  // For resolve() in expressions such as `subject.where(resolve() is Patient)`: a stub
  // {"resourceType": T} for the type a reference names, or nullptr.
  const fhir::JsonValue* ResolveStub(std::string_view reference) const;

  ParamRegistry(const ParamRegistry&) = delete;
  ParamRegistry& operator=(const ParamRegistry&) = delete;

 private:
  ParamRegistry();
  struct PerType {
    std::vector<RegisteredParam> all;
    std::vector<const RegisteredParam*> indexed;
    std::unordered_map<std::string_view, size_t> by_code;
  };
  std::unordered_map<std::string_view, PerType> types_;
  std::unordered_map<std::string_view, std::unique_ptr<fhir::JsonDoc>> stubs_;
};

// The branches of a FHIRPath union `a | b | (c as X)` at the top level (no split inside
// parentheses, strings or backticks). Exposed for tests.
std::vector<std::string_view> SplitUnion(std::string_view expression);
// Keeps the branches that can apply to `type`: those that start with `type`, with a type
// it derives from (Resource, DomainResource) or with no type name. Exposed for tests.
std::string PruneExpression(std::string_view expression, std::string_view type);

// The resource type and id a reference names ("Patient/1", "Patient/1/_history/2",
// "http://host/fhir/Patient/1"); false when it names none (contained "#x", urn:uuid:...).
bool ParseReference(std::string_view reference, std::string_view* type, std::string_view* id);

}  // namespace hb::search
