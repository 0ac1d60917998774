#include "search/special_params.h"

#include <charconv>
#include <cmath>
#include <numbers>
#include <string>

#include "search/criterion_parser.h"
#include "search/index_values.h"
#include "search/param_registry.h"

namespace hb::search::internal {

namespace {

Status Bad(std::string_view key, std::string why) {
  return Status(ErrorCode::kInvalidSearchParameter,
                "search parameter '" + std::string(key) + "': " + std::move(why));
}

// One functional list: the type it applies to and the URL criteria it stands for.
struct FunctionalList {
  std::string_view name;
  std::string_view type;
  std::vector<std::pair<std::string_view, std::string_view>> criteria;
};

const std::vector<FunctionalList>& FunctionalLists() {
  static const std::vector<FunctionalList> lists = {
      {"$current-problems",
       "Condition",
       {{"clinical-status",
         "http://terminology.hl7.org/CodeSystem/condition-clinical|active,"
         "http://terminology.hl7.org/CodeSystem/condition-clinical|recurrence,"
         "http://terminology.hl7.org/CodeSystem/condition-clinical|relapse"},
        {"category",
         "http://terminology.hl7.org/CodeSystem/condition-category|problem-list-item"}}},
      {"$current-allergies",
       "AllergyIntolerance",
       {{"clinical-status",
         "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical|active"}}},
      {"$current-drug-allergies",
       "AllergyIntolerance",
       {{"clinical-status",
         "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical|active"},
        {"category", "medication"}}},
      {"$current-medications", "MedicationStatement", {{"status", "active"}}},
      {"$current-medications", "MedicationRequest", {{"status", "active"}}},
  };
  return lists;
}

bool ReadDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*out);
}

}  // namespace

Result<std::vector<Criterion>> ParseList(std::string_view type, std::string_view value,
                                         int64_t now_micros) {
  std::vector<std::string> ids = SplitOr(value);
  bool functional = false;
  for (const std::string& id : ids) {
    if (id.empty()) return Bad("_list", "has an empty value");
    functional |= id.starts_with('$');
  }
  if (!functional) {
    Criterion c;
    c.kind = Criterion::Kind::kList;
    c.resource_type = std::string(type);
    c.param = "_list";
    for (std::string& id : ids) {
      SearchValue v;
      v.text = std::move(id);
      c.any_of.push_back(std::move(v));
    }
    return std::vector<Criterion>{std::move(c)};
  }
  if (ids.size() != 1) return Bad("_list", "takes one functional list, or List ids");
  bool known = false;
  std::string types;
  for (const FunctionalList& f : FunctionalLists()) {
    if (f.name != ids[0]) continue;
    known = true;
    if (f.type != type) {
      types += (types.empty() ? "" : " or ") + std::string(f.type);
      continue;
    }
    std::vector<Criterion> out;
    for (const auto& [key, val] : f.criteria) {
      HB_ASSIGN_OR_RETURN(auto c, ParseCriterion(type, key, val, now_micros));
      if (!c) return Bad("_list", ids[0] + " cannot be searched on " + std::string(type));
      out.push_back(std::move(*c));
    }
    return out;
  }
  if (!known) {
    return Bad("_list", "unknown functional list '" + ids[0] +
                            "' (known: $current-problems, $current-allergies, "
                            "$current-drug-allergies, $current-medications)");
  }
  return Bad("_list", ids[0] + " is a list of " + types + ", not of " + std::string(type));
}

Status ParseNearValue(std::string_view key, std::string_view text, SearchValue* v) {
  std::vector<std::string> parts = SplitBars(text);
  if (parts.size() < 2 || parts.size() > 4) {
    return Bad(key, "near takes latitude|longitude[|distance[|unit]]");
  }
  if (!ReadDouble(parts[0], &v->latitude) || v->latitude < -90 || v->latitude > 90) {
    return Bad(key, "'" + parts[0] + "' is not a latitude (-90 to 90 degrees)");
  }
  if (!ReadDouble(parts[1], &v->longitude) || v->longitude < -180 || v->longitude > 180) {
    return Bad(key, "'" + parts[1] + "' is not a longitude (-180 to 180 degrees)");
  }
  double distance = kNearDefaultKm;
  std::string unit = parts.size() == 4 ? parts[3] : "km";
  if (parts.size() >= 3 && !parts[2].empty()) {
    if (!ReadDouble(parts[2], &distance) || distance < 0) {
      return Bad(key, "'" + parts[2] + "' is not a distance");
    }
  } else if (parts.size() >= 3) {
    unit = "km";  // no distance: the default, in km
  }
  if (unit == "km" || unit.empty()) {
    v->distance_km = distance;
  } else if (unit == "m") {
    v->distance_km = distance / 1000.0;
  } else if (unit == "[mi_i]" || unit == "mi") {
    v->distance_km = distance * 1.609344;
  } else {
    return Bad(key, "distance unit '" + unit + "' is not km, m or [mi_i]");
  }
  if (v->distance_km > kNearMaxKm) v->distance_km = kNearMaxKm;
  return Status::Ok();
}

void AddPositionValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out) {
  if (!item.is_node() || !item.json().IsObject()) return;
  const fhir::JsonValue* lat = fhir::Member(item.json(), "latitude");
  const fhir::JsonValue* lon = fhir::Member(item.json(), "longitude");
  double la = 0, lo = 0;
  if (lat == nullptr || lon == nullptr || !fhir::IsNumber(*lat) || !fhir::IsNumber(*lon) ||
      !ReadDouble(fhir::NumberText(*lat), &la) || !ReadDouble(fhir::NumberText(*lon), &lo) ||
      la < -90 || la > 90 || lo < -180 || lo > 180) {
    return;
  }
  SpherePoint p = ToSphere(la, lo);
  out->positions.push_back({param, std::llround(la * 1e6), std::llround(lo * 1e6), p.x, p.y, p.z});
}

}  // namespace hb::search::internal

namespace hb::search {

SpherePoint ToSphere(double latitude, double longitude) {
  constexpr double kRad = std::numbers::pi / 180.0;
  double la = latitude * kRad, lo = longitude * kRad;
  return {std::llround(std::cos(la) * std::cos(lo) * kSphereScale),
          std::llround(std::cos(la) * std::sin(lo) * kSphereScale),
          std::llround(std::sin(la) * kSphereScale)};
}

std::string_view HierarchyParam(std::string_view type) {
  for (const RegisteredParam& p : ParamRegistry::Default().ForType(type)) {
    if (p.type != ParamType::kReference || p.storage != Storage::kIndexed || !p.OwnRows()) continue;
    if (p.code != "partof" && p.code != "part-of") continue;
    for (std::string_view t : p.targets) {
      if (t == type) return p.code;
    }
  }
  return {};
}

}  // namespace hb::search
