// JSON Patch (RFC 6902) applied to a FHIR JSON DOM.
//
// Supports add, remove, replace, move, copy and test with JSON Pointers
// (RFC 6901, "~0" and "~1" escapes, "-" to append). Application is atomic:
// on any failure `target` is left unchanged. Values are copied into target's
// allocator. Thread-compatible. Fails with kInvalidPatch naming the operation
// index and the pointer.
#pragma once

#include "common/status.h"
#include "fhir/json.h"

namespace hb::fhir {

Status ApplyJsonPatch(JsonDoc& target, const JsonValue& patch);

}  // namespace hb::fhir
