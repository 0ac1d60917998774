// GET Patient/{id}/$chart: the patient's chart in one answer (docs/implementation/clinical.md,
// "Chart"), a Parameters resource:
//   patient (resource); encounter* (newest first: the timeline, every facility the caller may
//   see); problem* (active Conditions); allergy*; medication* (active MedicationRequests);
//   immunization*; imagingStudy*; note* (ClinicalImpression: progress and nursing notes);
//   document* (Composition); labTrend* and vitalTrend* (part: code, display, unit, point*
//   (part: time, value, observation)), one series per LOINC code, oldest point first.
// Every record passes the need-to-know check (rest/read_access.h) and is audited; what the
// caller may not see is left out, and `withheld` (valueInteger) says how many.
#include <algorithm>
#include <map>

#include "operations/clinical_operations.h"
#include "rest/outcome.h"
#include "rest/read_access.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

constexpr std::string_view kLoinc = "http://loinc.org";

struct Series {
  std::string display, unit, category;
  std::vector<std::tuple<std::string, std::string, std::string>> points;  // (time, value, id)
};

std::string_view TimeOf(const fhir::JsonValue& r) {
  for (std::string_view k : {"effectiveDateTime", "issued", "recordedDate", "authoredOn",
                             "occurrenceDateTime", "date", "started", "onsetDateTime"}) {
    std::string_view v = fhir::MemberString(r, k);
    if (!v.empty()) return v;
  }
  std::string_view p = StrAt(r, {"period", "start"});
  if (!p.empty()) return p;
  return StrAt(r, {"effectivePeriod", "start"});
}

void Chart(rest::OperationCall call, http::Responder respond) {
  if (!PermitClinical(call, respond, "Patient", access::Op::kRead)) return;
  const std::string patient_ref = "Patient/" + call.id;
  rest::ReadAccess access(*call.principal, *call.policy, call.sink, "operation");
  auto txn = call.store->BeginRead();
  int withheld = 0;
  auto load = [&](std::string_view type, std::vector<std::pair<std::string, std::string>> params)
      -> Result<std::vector<storage::ResourceVersion>> {
    // A type the token's scopes do not let the caller search is left out of the chart.
    if (!call.policy->CheckInteraction(*call.principal, type, access::Op::kSearch).ok()) {
      return std::vector<storage::ResourceVersion>();
    }
    params.emplace_back("_count", "1000");
    HB_ASSIGN_OR_RETURN(auto found, Find(*txn, type, params, 1000));
    size_t before = found.size();
    access.Filter(*txn, found, [](const storage::ResourceVersion& v) -> const storage::ResourceVersion& { return v; });
    withheld += static_cast<int>(before - found.size());
    return found;
  };
  auto run = [&]() -> Result<std::string> {
    HB_ASSIGN_OR_RETURN(auto patient, ReadLive(*txn, "Patient", call.id));
    HB_RETURN_IF_ERROR(access.Check(*txn, patient));
    ParametersOut out;
    out.Resource("patient", patient.json);
    auto newest_first = [](std::vector<std::pair<std::string, const storage::ResourceVersion*>>& v) {
      std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    };
    auto emit = [&](std::string_view name, std::vector<storage::ResourceVersion>& list,
                    const std::function<bool(const fhir::JsonValue&)>& keep) -> Status {
      std::vector<std::pair<std::string, const storage::ResourceVersion*>> sorted;
      for (const auto& v : list) {
        HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, fhir::ParseJson(v.json));
        if (keep && !keep(d)) continue;
        sorted.emplace_back(std::string(TimeOf(d)), &v);
      }
      newest_first(sorted);
      for (const auto& [t, v] : sorted) out.Resource(name, v->json);
      return Status::Ok();
    };
    HB_ASSIGN_OR_RETURN(auto encounters, load("Encounter", {{"subject", patient_ref}}));
    HB_RETURN_IF_ERROR(emit("encounter", encounters, nullptr));
    HB_ASSIGN_OR_RETURN(auto conditions, load("Condition", {{"patient", patient_ref}}));
    HB_RETURN_IF_ERROR(emit("problem", conditions, [](const fhir::JsonValue& c) {
      std::string_view cs = CodeOf(fhir::Member(c, "clinicalStatus"));
      std::string_view vs = CodeOf(fhir::Member(c, "verificationStatus"));
      return (cs.empty() || cs == "active" || cs == "recurrence" || cs == "relapse") &&
             vs != "entered-in-error" && vs != "refuted";
    }));
    HB_ASSIGN_OR_RETURN(auto allergies, load("AllergyIntolerance", {{"patient", patient_ref}}));
    HB_RETURN_IF_ERROR(emit("allergy", allergies, [](const fhir::JsonValue& a) {
      std::string_view cs = CodeOf(fhir::Member(a, "clinicalStatus"));
      return cs.empty() || cs == "active";
    }));
    HB_ASSIGN_OR_RETURN(auto meds, load("MedicationRequest", {{"subject", patient_ref}, {"status", "active"}}));
    HB_RETURN_IF_ERROR(emit("medication", meds, nullptr));
    HB_ASSIGN_OR_RETURN(auto imms, load("Immunization", {{"patient", patient_ref}}));
    HB_RETURN_IF_ERROR(emit("immunization", imms, nullptr));
    HB_ASSIGN_OR_RETURN(auto studies, load("ImagingStudy", {{"patient", patient_ref}}));
    HB_RETURN_IF_ERROR(emit("imagingStudy", studies, nullptr));
    HB_ASSIGN_OR_RETURN(auto notes, load("ClinicalImpression", {{"patient", patient_ref}}));
    HB_RETURN_IF_ERROR(emit("note", notes, nullptr));
    HB_ASSIGN_OR_RETURN(auto docs, load("Composition", {{"patient", patient_ref}}));
    HB_RETURN_IF_ERROR(emit("document", docs, nullptr));
    // Trends: one series per LOINC code of the laboratory and vital-sign observations.
    HB_ASSIGN_OR_RETURN(auto obs, load("Observation", {{"patient", patient_ref}}));
    std::map<std::string, Series> series;
    for (const auto& v : obs) {
      HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, fhir::ParseJson(v.json));
      std::string category;
      if (const fhir::JsonValue* cats = fhir::Member(d, "category"); cats && cats->IsArray()) {
        for (const auto& c : cats->GetArray()) {
          std::string_view code = CodeOf(&c);
          if (code == "laboratory" || code == "vital-signs") category = std::string(code);
        }
      }
      if (category.empty()) continue;
      auto add = [&](const fhir::JsonValue& holder, const fhir::JsonValue* code_cc) {
        std::string_view code = CodeOf(code_cc, kLoinc);
        const fhir::JsonValue* val = At(holder, {"valueQuantity", "value"});
        if (code.empty() || !val || !fhir::IsNumber(*val)) return;
        Series& s = series[category + "|" + std::string(code)];
        s.category = category;
        if (s.display.empty()) {
          s.display = std::string(StrAt(*code_cc, {"text"}));
          if (s.display.empty()) {
            const fhir::JsonValue* codings = fhir::Member(*code_cc, "coding");
            if (codings && codings->IsArray() && codings->Size() > 0) {
              s.display = std::string(fhir::MemberString((*codings)[0], "display"));
            }
          }
          s.unit = std::string(StrAt(holder, {"valueQuantity", "unit"}));
          if (s.unit.empty()) s.unit = std::string(StrAt(holder, {"valueQuantity", "code"}));
        }
        s.points.emplace_back(std::string(TimeOf(d)), std::string(fhir::NumberText(*val)), v.id);
      };
      add(d, fhir::Member(d, "code"));
      if (const fhir::JsonValue* comps = fhir::Member(d, "component"); comps && comps->IsArray()) {
        for (const auto& c : comps->GetArray()) add(c, fhir::Member(c, "code"));
      }
    }
    for (auto& [key, s] : series) {
      std::sort(s.points.begin(), s.points.end());
      out.BeginPart(s.category == "laboratory" ? "labTrend" : "vitalTrend");
      std::string code = key.substr(key.find('|') + 1);
      out.Code("code", code);
      out.String("display", s.display.empty() ? code : s.display);
      if (!s.unit.empty()) out.String("unit", s.unit);
      for (const auto& [t, value, id] : s.points) {
        out.BeginPart("point");
        if (!t.empty()) out.DateTime("time", t);
        out.Decimal("value", value);
        out.Reference("observation", "Observation/" + id);
        out.EndPart();
      }
      out.EndPart();
    }
    out.Integer("withheld", withheld);
    return out.Finish();
  };
  auto body = run();
  txn.reset();
  access.Commit();
  if (!body.ok()) return RespondStatus(respond, body.status());
  respond(rest::JsonResponse(200, *body, call.ctx));
}

}  // namespace

void AddChartOperation(rest::FhirService& service, ClinicalContextPtr) {
  service.AddOperation(MakeClinicalOperation(
      "chart",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kInstance && t == "Patient";
      },
      true, [](rest::OperationCall c, http::Responder r) { Chart(std::move(c), std::move(r)); }));
}

}  // namespace hb::operations
