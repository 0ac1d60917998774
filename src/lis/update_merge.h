// How an HL7 v2 update lands on a stored resource.
//
// HL7 v2 updates are partial: a field left empty means "no news", not "delete" (v2.5.1
// section 2.5.3; only "" (two quotes) deletes). So an ADT^A08 for a patient that reception,
// another hospital or the insurance check also wrote to must not wipe their data.
// MergeUpdate applies a MergeRule (mapping.h): the message's top-level elements replace the
// stored ones, identifiers are united (the message's version of an identifier wins), the
// elements named in keep_current stay as stored, other stored elements are kept, and the
// stored meta is kept but for the tags the rule clears.
// SameContent tells whether a write would change anything, so that a message that repeats
// what is stored makes no new version.
//
// Contract: pure functions on JSON values; `incoming` is changed in place and may take
// copies of `current`'s values (allocated with `alloc`). Thread-compatible.
#pragma once

#include "fhir/json.h"
#include "lis/mapping.h"

namespace hb::lis {

void MergeUpdate(fhir::JsonValue& incoming, fhir::JsonAlloc& alloc, const fhir::JsonValue& current,
                 const MergeRule& rule);

// True when the two resources are equal but for id, meta.versionId and meta.lastUpdated (and
// the order of object members, which JSON does not give meaning to).
bool SameContent(const fhir::JsonValue& a, const fhir::JsonValue& b);

}  // namespace hb::lis
