// LocalCodeMap: the laboratory's local test codes and the LOINC code each one means, as a FHIR
// ConceptMap (source: the facility's local lab code system, target: LOINC).
//
// The seed is resources/catalogs/lis-local-loinc.csv (local_code, local_display, loinc_code,
// loinc_display). At start-up the server stores it as ConceptMap/<ConceptMapId(facility)>
// when absent, then reads the map back from the stored ConceptMap, so that a terminologist
// can correct it through the FHIR API (PUT ConceptMap/...) and the next start uses it.
// Only targets whose equivalence is `equivalent` or `equal` are used to add a LOINC coding:
// a wider or narrower concept would state more (or less) than the laboratory measured.
//
// Contract: built once, then read-only and thread-safe. FromCsv fails with kInvalidArgument
// naming the line; FromConceptMap with kInvalidResource naming the element.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"
#include "fhir/json.h"

namespace hb::lis {

struct LoincTarget {
  std::string local_display;
  std::string loinc;
  std::string loinc_display;
};

class LocalCodeMap {
 public:
  static Result<LocalCodeMap> FromCsv(std::string_view csv);
  // Reads the first group whose target is LOINC.
  static Result<LocalCodeMap> FromConceptMap(const fhir::JsonValue& concept_map);

  // The LOINC meaning of a local code; nullptr when the map has none.
  const LoincTarget* Find(std::string_view local_code) const;
  size_t size() const { return codes_.size(); }

  // The map as a FHIR ConceptMap (JSON text) for the facility's local code system, with the
  // id ConceptMapId(facility) and a canonical url under the identifier base.
  std::string ToConceptMapJson(std::string_view facility) const;

 private:
  std::unordered_map<std::string, LoincTarget> codes_;
};

// "lis-local-loinc-11001": one map per facility, since local codes are the facility's own.
std::string ConceptMapId(std::string_view facility);

}  // namespace hb::lis
