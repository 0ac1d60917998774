// A parsed FHIR search: what to match, how many, in what order, what to include.
//
// The contract between the search front end (query_parser.h: URL -> SearchQuery) and
// the stores that execute it (storage/). Values are parsed and normalised here
// (strings folded, dates as microsecond ranges, numbers as DecimalKeys), so a store
// only maps them onto its index tables (docs/implementation/search.md). A store
// must reject what it cannot execute with kInvalidSearchParameter, never ignore it.
// Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "search/param_registry.h"

namespace hb::search {

// Comparison prefixes of number, date and quantity values (R4 search §3.1.1.4.1).
enum class Prefix { kEq, kNe, kGt, kLt, kGe, kLe, kSa, kEb, kAp };

enum class Modifier {
  kNone,
  kMissing,     // :missing=true|false
  kExact,       // string
  kContains,    // string
  kText,        // token: the display text; string: every word begins a word of the value
  kNot,         // token
  kAbove,       // uri; token system|code: the code and its ancestors (resolved before SQL)
  kBelow,       // uri; token system|code: the code and its descendants (likewise)
  kIdentifier,  // reference: Reference.identifier
  kOfType,      // token on Identifier: type-system|type-code|value
  kType,        // reference :[type]
  kIn,          // token :in=ValueSet canonical (expanded before a store sees it)
  kNotIn,       // token :not-in=ValueSet canonical (likewise)
  // Only from _filter (search/filter_parser.h), never from a URL modifier:
  kEquals,    // string: the whole folded value compared (with the value's prefix: eq gt lt ge le)
  kEndsWith,  // string: the folded value ends with the text
};

// One token value: `system|code`, `|code` (no system), `code` (any system),
// `system|` (any code in the system).
struct TokenValue {
  std::optional<std::string> system;  // nullopt: any system; "" : no system
  std::optional<std::string> code;    // nullopt: any code
};

// One value of a criterion; which members are used depends on the parameter type.
struct SearchValue {
  Prefix prefix = Prefix::kEq;
  // string: folded text (or as written, for :exact); token :text: folded text;
  // uri: the uri; reference: the reference as written (url form).
  std::string text;
  TokenValue token;               // token; :identifier; :of-type (type system|code, text = value)
  int64_t low = 0, high = 0;      // date: the value's interval (inclusive), after `ap` widening
  std::string key;                // number/quantity: DecimalKey of the value
  std::string low_key, high_key;  // its implicit range [low, high) (ap: +-10%)
  // quantity: the number as written, system and code ("" = any); `canonical` when the
  // unit is UCUM and readable (then `canonical_unit` is its dimension, and values stored
  // in other units of that dimension match too: quantity_units.h)
  std::string number, system, code;
  bool canonical = false;
  std::string canonical_unit;
  // reference: target type (may be empty) and id
  std::string ref_type, ref_id;
  // composite: one value per component, in the parameter's component order (each
  // filled as for a parameter of that component's type)
  std::vector<SearchValue> parts;
  // near (Location.position): the point in degrees and the distance in kilometres
  double latitude = 0, longitude = 0, distance_km = 0;
};

// One search criterion. Several criteria are ANDed; the values of one are ORed.
struct Criterion {
  enum class Kind {
    kIndexed,      // an indexed parameter of `resource_type`
    kId,           // _id (resource table)
    kLastUpdated,  // _lastUpdated (resource table)
    kChain,        // param.chained: the referenced resources match one of `inner`
    kHas,          // _has: resources of inner[0].resource_type referencing this one match
    kFullText,     // _text / _content (`param`): any_of[].text the folded words, ANDed
    kAnd,          // _filter: every one of `inner` holds
    kOr,           // _filter: one of `inner` holds
    kNot,          // _filter: inner[0] does not hold
    kList,         // _list: the resource is an item of one of the Lists any_of[].text names
  };
  Kind kind = Kind::kIndexed;
  std::string resource_type;  // the type the parameter belongs to
  std::string param;          // its code
  ParamType type = ParamType::kToken;
  Modifier modifier = Modifier::kNone;
  bool missing = false;             // for :missing
  std::vector<SearchValue> any_of;  // OR
  std::vector<ParamType> component_types;  // composite: each component's type
  // kChain: `inner` holds one criterion per target type (ORed), each on its
  // resource_type. kHas: `param` is the reference parameter of inner[0].resource_type
  // that points at this resource; inner[0] is the criterion on those resources.
  std::vector<Criterion> inner;
};

struct SortKey {
  std::string param;  // _id, _lastUpdated, or an indexed parameter code
  ParamType type = ParamType::kToken;
  bool descending = false;
};

// _include=Source:param[:Target] / _revinclude=Source:param (param "*": all reference
// parameters of Source).
struct IncludeSpec {
  std::string source_type;
  std::string param;        // "*" for all
  std::string target_type;  // empty: any
  bool reverse = false;     // _revinclude
  bool iterate = false;     // :iterate (applied to included resources too)
};

enum class Summary { kFalse, kTrue, kCount, kText, kData };

// _contained (R4 search §3.1.1.5.10): whether the criteria are matched against the
// resources themselves (false), against resources contained in others (true), or both;
// _containedType: for contained matches, return the container (default) or the contained
// resource itself (its entry's id is "<container id>#<contained id>", search/contained.h).
enum class Contained { kFalse, kTrue, kBoth };

struct SearchQuery {
  std::string type;                   // resource type
  std::vector<Criterion> criteria;    // ANDed
  std::string compartment_patient;    // compartment search: Patient/{id}/{type}
  std::vector<SortKey> sort;          // _sort; then by insertion order
  std::vector<IncludeSpec> includes;  // _include and _revinclude
  std::vector<std::string> elements;  // _elements (top-level element names)
  int count = 50;                     // page size (_count)
  int64_t offset = 0;                 // paging position (_offset)
  bool total = true;                  // compute Bundle.total (_total=none: false)
  Summary summary = Summary::kFalse;  // _summary
  bool summary_count = false;         // _summary=count: total only
  Contained contained = Contained::kFalse;  // _contained
  bool contained_type_contained = false;    // _containedType=contained
  std::vector<std::pair<std::string, std::string>>
      canonical;  // what was applied, for the self link
  // Several types at once (system search `/?_type=A,B`, a compartment's `*`): `type` is
  // empty and each part holds one type with its criteria (and compartment); the outer
  // query holds paging, totals, includes and the sort, which may only use _id and
  // _lastUpdated (the columns every type shares).
  std::vector<SearchQuery> parts;
};

}  // namespace hb::search
