// The technical level (tuyến) of a health facility, on Organization.type: the CodeSystem
// resources/fhir/vn/CodeSystem-facility-level.json (<base>facility-level, codes 1 central,
// 2 province, 3 district, 4 commune, as Circular 43/2013/TT-BYT numbers them).
//
// Kept beside vn_systems.h rather than in IdentifierSystems so that adding it did not touch
// a header every module includes; the URI still follows the configured base.
#pragma once

#include <string>
#include <string_view>

#include "fhir/vn_systems.h"

namespace hb::fhir::vn {

inline std::string FacilityLevelSystem() { return Systems().base + "facility-level"; }

inline constexpr std::string_view kFacilityLevelCentral = "1";
inline constexpr std::string_view kFacilityLevelProvince = "2";
inline constexpr std::string_view kFacilityLevelDistrict = "3";
inline constexpr std::string_view kFacilityLevelCommune = "4";

}  // namespace hb::fhir::vn
