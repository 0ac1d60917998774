// Contained resources in the search index (R4 search §3.1.1.5.10, `_contained`).
//
// A contained resource has no row of its own in the resource table: its index rows are
// written under its container's rid, like the container's own rows, but with parameter
// ids of a namespace of their own, so that ordinary searches, `_has`, chains, counts,
// sorts and includes (which all name positive parameter ids) never see them. The id of a
// contained row is `-(base * kContainedSlots + slot)`: `base` is the pid of the parameter
// on the contained resource's type (0 for the marker row below), `slot` is the resource's
// place in the container's `contained` array, from 1. Grouping a container's rows by slot
// keeps the criteria of one search on the same contained resource (code and value of one
// contained Observation, never the code of one and the value of another).
//
// Every indexed contained resource also gets one marker row in idx_token: pid `-slot`,
// system = its type, code = its id; it lists the contained resources of a type (for
// :not, :missing and `_id`) and gives the id back for `_containedType=contained`.
//
// The index entries name such rows by a parameter text of the form
// "#<type>\0<code>\0<slot>" (ContainedParam), which the stores turn into the pid above
// (storage/sql/param_ids.h, ContainedPid). Docs: docs/implementation/search.md.
//
// Thread-safety: all functions are thread-safe; the views ContainedParam returns live for
// the process.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "fhir/json.h"
#include "search/index_entries.h"
#include "search/param_registry.h"

namespace hb::search {

// Contained resources indexed per container: slots 1 .. kContainedSlots - 1 (later ones
// are stored but not searchable).
inline constexpr int kContainedSlots = 64;

// The parameter text of `code` (empty: the marker row) on a contained `type` in `slot`.
std::string_view ContainedParam(std::string_view type, std::string_view code, int slot);
// Reads a parameter text made by ContainedParam; false for an ordinary parameter code.
bool ParseContainedParam(std::string_view param, std::string_view* type, std::string_view* code,
                         int* slot);
inline bool IsContainedParam(std::string_view param) {
  return !param.empty() && param.front() == '#';
}
inline constexpr int64_t ContainedPid(int64_t base_pid, int slot) {
  return -(base_pid * kContainedSlots + slot);
}

// The JSON of the resource with id `id` in the `contained` array of `container_json`
// (_containedType=contained returns it alone); empty when there is none. `type`, when given,
// receives its resourceType.
std::string ContainedResourceJson(std::string_view container_json, std::string_view id,
                                  std::string* type = nullptr);

namespace internal {
// Appends the rows of the resources `resource` contains (see above) to `out`; called by
// IndexResource. `index_one` indexes one resource of a type into entries (IndexResource's
// evaluation, without the full text).
void AddContained(const ParamRegistry& registry, const fhir::JsonValue& resource,
                  void (*index_one)(const ParamRegistry&, std::string_view,
                                    const fhir::JsonValue&, IndexEntries*),
                  IndexEntries* out);
}  // namespace internal

}  // namespace hb::search
