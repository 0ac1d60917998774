// The typed index rows of one resource version, one vector per index table.
//
// Computed at write time by search::IndexResource from the resource's JSON and the
// R4 search parameters of its type, stored by storage/ in the tables of migration
// 0004 (docs/implementation/search.md). `param` is the search parameter code; the
// views point at the parameter registry's strings, which live for the process.
//
// Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/json.h"

namespace hb::search {

// string: `norm` is FoldText(value) (case and accents folded), `exact` the value.
struct StringEntry {
  std::string_view param;
  std::string norm;
  std::string exact;
};

// token: system (may be empty) and code; identifiers of reference parameters
// (:identifier) are token rows under the reference parameter's code. `text` is for
// :text: the folded Coding.display, CodeableConcept.text or Identifier.type.text of the
// value (a CodeableConcept with text but no coding gives a row with only text).
struct TokenEntry {
  std::string_view param;
  std::string system;
  std::string code;
  std::string text;
};

// token :of-type on Identifier: the identifier's type coding and its value.
struct IdentifierTypeEntry {
  std::string_view param;
  std::string type_system;
  std::string type_code;
  std::string value;
};

// date: the interval the value stands for, microseconds, both ends inclusive.
struct DateEntry {
  std::string_view param;
  int64_t low = 0;
  int64_t high = 0;
};

// number: the value as a DecimalKey.
struct NumberEntry {
  std::string_view param;
  std::string key;
};

// quantity: the value's DecimalKey with system, code and unit as written; and, when
// the unit is UCUM the engine reads, the unit's dimension (`canonical_unit`, empty
// otherwise), recorded per parameter for searches in other units (quantity_units.h).
struct QuantityEntry {
  std::string_view param;
  std::string key;
  std::string system;
  std::string code;
  std::string unit;
  std::string canonical_unit;
};

// composite (two or three components, the first a token or a reference): one row per pair of values found on
// the same item of the composite's expression. The second component's value goes in the
// columns of its type: token s2/c2; quantity key2 with its system s2 and code c2 (the
// unit as written when there is no code); date low2/high2; number key2; string the
// folded text in c2; uri the uri in c2.
struct CompositeEntry {
  std::string_view param;
  std::string s1, c1;
  std::string s2, c2, key2;
  int64_t low2 = 0, high2 = 0;
  // a third component (MolecularSequence coordinates), in the columns of its type as the
  // second's; empty for two-component composites
  std::string s3, c3, key3;
  int64_t low3 = 0, high3 = 0;
  // A reference component (DocumentReference relationship) is kept in s/c as the target's
  // type and id (or "" and the URL). Not stored: the JSON string it came from and its
  // component (1 or 2), to read it again after the write rewrote it (RefreshReferences).
  const fhir::JsonValue* ref_source = nullptr;
  int ref_slot = 0;
};

// reference: target type and id for a relative (or absolute, Type/id-ending) reference;
// `url` the reference as written when it is absolute or names no Type/id (canonical
// references: without their |version); empty for relative references.
struct ReferenceEntry {
  std::string_view param;
  std::string target_type;
  std::string target_id;
  std::string url;
  // Not stored: the JSON string the reference came from, so that the entry can be read
  // again after the write rewrote it (urn:uuid aliases, conditional references).
  const fhir::JsonValue* source = nullptr;
};

// Location.position for `near`: micro-degrees, and the point on the unit sphere times
// 10^8 (x towards 0°N 0°E, y towards 0°N 90°E, z towards the north pole).
struct PositionEntry {
  std::string_view param;
  int64_t lat = 0, lon = 0;
  int64_t x = 0, y = 0, z = 0;
};

// uri
struct UriEntry {
  std::string_view param;
  std::string uri;
};

struct IndexEntries {
  std::vector<StringEntry> strings;
  std::vector<TokenEntry> tokens;
  std::vector<IdentifierTypeEntry> identifier_types;
  std::vector<DateEntry> dates;
  std::vector<NumberEntry> numbers;
  std::vector<QuantityEntry> quantities;
  std::vector<ReferenceEntry> references;
  std::vector<UriEntry> uris;
  std::vector<CompositeEntry> composites;
  std::vector<PositionEntry> positions;
  // Full text for _text and _content (search/fulltext.h): the words of the narrative
  // (Resource.text.div without its markup) and of every other string value of the
  // resource, folded like string search ("Lò Văn A" -> "lo van a"), one space between
  // words; empty when there are none. One row per resource in idx_fulltext.
  std::string narrative;
  std::string content;
};

}  // namespace hb::search
