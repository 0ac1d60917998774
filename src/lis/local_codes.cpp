#include "lis/local_codes.h"

#include <algorithm>
#include <vector>

#include "common/csv.h"
#include "fhir/vn_systems.h"
#include "lis/json_build.h"
#include "lis/lis_systems.h"

namespace hb::lis {

std::string ConceptMapId(std::string_view facility) {
  return "lis-local-loinc-" + std::string(facility);
}

Result<LocalCodeMap> LocalCodeMap::FromCsv(std::string_view csv) {
  LocalCodeMap map;
  HB_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(csv, "lis-local-loinc.csv"));
  for (size_t i = 0; i < t.rows(); ++i) {
    std::vector<std::string> f = t.row(i);
    const std::string line = "lis-local-loinc.csv record " + std::to_string(i + 2);  // header: 1
    if (f.size() != 4 || f[0].empty() || f[2].empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    line + ": expected local_code,local_display,loinc_code,loinc_display");
    }
    if (map.codes_.count(f[0]) > 0) {
      return Status(ErrorCode::kInvalidArgument, line + ": local code " + f[0] + " appears twice");
    }
    map.codes_[f[0]] = LoincTarget{std::move(f[1]), std::move(f[2]), std::move(f[3])};
  }
  return map;
}

Result<LocalCodeMap> LocalCodeMap::FromConceptMap(const fhir::JsonValue& cm) {
  LocalCodeMap map;
  const fhir::JsonValue* groups = fhir::Member(cm, "group");
  if (groups == nullptr || !groups->IsArray()) {
    return Status(ErrorCode::kInvalidResource, "the ConceptMap has no group", "ConceptMap.group");
  }
  for (const fhir::JsonValue& g : groups->GetArray()) {
    if (fhir::MemberString(g, "target") != kLoincSystem) continue;
    const fhir::JsonValue* elements = fhir::Member(g, "element");
    if (elements == nullptr || !elements->IsArray()) continue;
    for (const fhir::JsonValue& e : elements->GetArray()) {
      const fhir::JsonValue* targets = fhir::Member(e, "target");
      if (targets == nullptr || !targets->IsArray()) continue;
      for (const fhir::JsonValue& t : targets->GetArray()) {
        std::string_view eq = fhir::MemberString(t, "equivalence");
        if (eq != "equivalent" && eq != "equal") continue;
        map.codes_.emplace(std::string(fhir::MemberString(e, "code")),
                           LoincTarget{std::string(fhir::MemberString(e, "display")),
                                       std::string(fhir::MemberString(t, "code")),
                                       std::string(fhir::MemberString(t, "display"))});
        break;
      }
    }
    break;
  }
  return map;
}

const LoincTarget* LocalCodeMap::Find(std::string_view local_code) const {
  auto it = codes_.find(std::string(local_code));
  return it == codes_.end() ? nullptr : &it->second;
}

std::string LocalCodeMap::ToConceptMapJson(std::string_view facility) const {
  fhir::JsonDoc doc;
  doc.SetObject();
  JsonNode cm(&doc, &doc.GetAllocator());
  const std::string id = ConceptMapId(facility);
  cm.Str("resourceType", "ConceptMap").Str("id", id);
  cm.Str("url", fhir::vn::Systems().base + "ConceptMap/" + id);
  cm.Str("name", "LisLocalToLoinc" + std::string(facility));
  cm.Str("title", "Mã xét nghiệm nội bộ → LOINC (cơ sở " + std::string(facility) + ")");
  cm.Str("status", "active");
  cm.Str("description",
         "The laboratory's local test codes and their LOINC equivalents, used when HL7 v2 "
         "results carry only a local code (docs/implementation/hl7v2-mapping.md).");
  JsonNode group = cm.Arr("group").Add();
  group.Str("source", LocalLabCodeSystem(facility)).Str("target", kLoincSystem);
  std::vector<const std::pair<const std::string, LoincTarget>*> sorted;
  for (const auto& kv : codes_) sorted.push_back(&kv);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  JsonNode elements = group.Arr("element");
  for (const auto* kv : sorted) {
    JsonNode e = elements.Add();
    e.Str("code", kv->first).Str("display", kv->second.local_display);
    JsonNode t = e.Arr("target").Add();
    t.Str("code", kv->second.loinc).Str("display", kv->second.loinc_display);
    t.Str("equivalence", "equivalent");
  }
  return fhir::Serialize(doc);
}

}  // namespace hb::lis
