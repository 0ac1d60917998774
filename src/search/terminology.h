// Terminology for the token search modifiers :in, :not-in, :above and :below
// (R4 search §3.1.1.5.5, https://hl7.org/fhir/R4/search.html#modifiers): a ValueSet or a
// code's place in its CodeSystem's hierarchy is expanded into the codes it stands for
// before the query reaches a store, so every store dialect matches plain code lists.
//
// Sources: CodeSystem and ValueSet resources found by canonical URL (`CanonicalSource`:
// the store's resources first, then the built-in code systems registered at start-up,
// such as the ICD-10 catalogue of QĐ 4469). Understood:
// - CodeSystem hierarchy from nested `concept.concept` and the `parent`/`child` concept
//   properties; code systems registered as prefix-hierarchical (ICD-10: J18 subsumes
//   J18.0 … J18.9) by code prefix;
// - ValueSet `compose.include`/`exclude` with `concept` lists, whole systems, `valueSet`
//   imports (intersected) and `filter`s with op is-a, descendent-of, is-not-a, =, in,
//   not-in, regex and exists over a stored CodeSystem; or, without a compose, its
//   `expansion.contains`.
// Failure modes: kInvalidSearchParameter naming the ValueSet or code system that is
// unknown, a filter not understood, or an expansion beyond `max_codes` (the query would
// be too costly; narrow it).
// Thread-safety: a Terminology is thread-compatible (one per request); parsed code
// systems are shared through a process-wide cache keyed by URL and version key.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "fhirpath/fhirpath.h"
#include "search/search_query.h"

namespace hb::search {

struct SystemCode {
  std::string system, code;
  bool operator==(const SystemCode&) const = default;
};

// A CodeSystem or ValueSet as found by its canonical URL: its JSON and a key that changes
// whenever the resource does (for the cache: "Type/id/version"; built-ins: their URL).
struct CanonicalResource {
  std::string json;
  std::string version_key;
};
// `type` is "CodeSystem" or "ValueSet"; `url` without a |version. nullopt: not known.
using CanonicalSource = std::function<Result<std::optional<CanonicalResource>>(
    std::string_view type, std::string_view url)>;

// Code systems the server always knows, whatever is stored (registered once at start-up,
// before requests; the JSON is made when first needed).
void RegisterBuiltinCodeSystem(std::string url, std::function<std::string()> json,
                               bool prefix_hierarchy);
// A built-in code system's JSON, or nullopt (for CanonicalSource implementations).
std::optional<CanonicalResource> BuiltinCodeSystem(std::string_view url);

struct TerminologyOptions {
  size_t max_codes = 5000;  // more codes than this in one criterion: refused
};

class Terminology {
 public:
  explicit Terminology(CanonicalSource source, TerminologyOptions options = {});

  // The codes of the ValueSet `url` (a |version suffix is ignored).
  Result<std::vector<SystemCode>> ExpandValueSet(std::string_view url);
  // `code` and the codes it subsumes (:below) / that subsume it (:above) in `system`.
  Result<std::vector<std::string>> Below(std::string_view system, std::string_view code);
  Result<std::vector<std::string>> Above(std::string_view system, std::string_view code);
  // Whether `a` subsumes `b` (or equals it) in `system`; nullopt when the system or either
  // code is not known (FHIRPath subsumes(): not comparable).
  Result<std::optional<bool>> Subsumes(std::string_view system, std::string_view a,
                                       std::string_view b);
  size_t max_codes() const { return options_.max_codes; }

 private:
  Result<std::vector<SystemCode>> Expand(std::string_view url, int depth);
  CanonicalSource source_;
  TerminologyOptions options_;
};

// FHIRPath memberOf()/subsumes()/subsumedBy() over a Terminology: ValueSets are expanded
// once per URL and kept for the resolver's lifetime (one per request or CLI run).
// Thread-compatible: one evaluating thread at a time.
class FhirPathTerminology : public fhirpath::TerminologyResolver {
 public:
  // max_codes: the largest ValueSet memberOf() expands (larger than a search's limit, since
  // the expansion is only looked up, never sent to a store).
  explicit FhirPathTerminology(CanonicalSource source, size_t max_codes = 100000);
  Result<bool> MemberOf(std::span<const fhirpath::CodeRef> codes,
                        std::string_view value_set) override;
  Result<std::optional<bool>> Subsumes(std::string_view system, std::string_view a,
                                       std::string_view b) override;

 private:
  Terminology terminology_;
  std::map<std::string, std::vector<SystemCode>, std::less<>> expansions_;
};

// True when `q` (or a chain, _has or part inside it) has a token criterion with :in,
// :not-in, :above or :below.
bool NeedsTerminology(const SearchQuery& q);
// Rewrites those criteria into plain code lists (:not-in into :not): each value becomes
// the codes it stands for, with their systems.
Status ResolveTerminology(SearchQuery& q, Terminology& terminology);

}  // namespace hb::search
