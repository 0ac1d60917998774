// Search parameters with their own syntax: `_list` and Location `near`
// (https://hl7.org/fhir/R4/search.html#list, #special).
//
// _list=<id>[,<id>...]: the resources of the searched type that one of these List
// resources holds in List.entry.item (a Criterion of Kind kList, run on the List's
// reference index rows). Functional lists name a patient's current state instead of a
// List resource; they become ordinary criteria on the searched type:
//   $current-problems        Condition: clinical-status active|recurrence|relapse and
//                            category problem-list-item
//   $current-allergies       AllergyIntolerance: clinical-status active
//   $current-drug-allergies  AllergyIntolerance: clinical-status active, category medication
//   $current-medications     MedicationStatement: status active;
//                            MedicationRequest: status active
// (combine them with `patient=` for one patient's list). A functional list on another
// type, an unknown one, or one mixed with List ids is an error.
//
// near=latitude|longitude[|distance[|unit]]: degrees (WGS84); distance defaults to
// kNearDefaultKm; unit is km (default), m, [mi_i] or mi. Pure, thread-safe; errors are
// kInvalidSearchParameter naming the parameter.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "search/search_query.h"

namespace hb::search::internal {

inline constexpr double kNearDefaultKm = 10.0;
inline constexpr double kNearMaxKm = 20000.0;  // half the earth's circumference

// The criteria `_list=value` adds to a search of `type` (ANDed with the others).
Result<std::vector<Criterion>> ParseList(std::string_view type, std::string_view value,
                                         int64_t now_micros);

// Fills v->latitude/longitude/distance_km from one near value.
Status ParseNearValue(std::string_view key, std::string_view text, SearchValue* v);

}  // namespace hb::search::internal

namespace hb::search {

// The reference parameter of `type` that points at a parent of the same type (Location
// and Organization `partof`, Encounter `part-of`, ...), which reference :above/:below
// follow; empty when the type has no such hierarchy.
std::string_view HierarchyParam(std::string_view type);

// A point on the unit sphere times kSphereScale (the idx_position columns x, y, z).
inline constexpr double kSphereScale = 1e8;
inline constexpr double kEarthRadiusKm = 6371.0088;  // mean radius
struct SpherePoint {
  int64_t x = 0, y = 0, z = 0;
};
SpherePoint ToSphere(double latitude, double longitude);

}  // namespace hb::search
