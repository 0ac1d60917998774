// ORU^R01 -> Patient, Encounter, ServiceRequest, Observation, DiagnosticReport.
// docs/implementation/hl7v2-mapping.md, "ORU^R01".
#include <unordered_map>
#include <unordered_set>

#include "lis/code_tables.h"
#include "lis/groups.h"
#include "lis/lis_systems.h"
#include "lis/result_mapping.h"

namespace hb::lis {

namespace {

class ResultsMapper {
 public:
  ResultsMapper(MapContext& ctx, BundleBuilder& bundle) : ctx_(ctx), bundle_(bundle) {}

  void Order(const OrderObservation& order, const PatientRefs& patient,
             std::vector<std::string>* related) {
    const Segment& obr = *order.obr;
    const std::string placer = Either(obr, 2, order.orc, 2);
    const std::string filler = Either(obr, 3, order.orc, 3);
    const std::string key = ReportKey(obr, placer, filler);
    const std::string order_ref = AddServiceRequest(order, patient, placer, filler);
    if (!order_ref.empty()) related->push_back(order_ref);

    fhir::JsonValue report = bundle_.NewResource("DiagnosticReport");
    JsonNode dr(&report, &bundle_.alloc());
    std::vector<std::string> results;
    std::vector<std::string> statuses;
    ResultInput in;
    in.patient = patient;
    in.service_request = order_ref;
    in.effective = ctx_.DateTime(obr, 7);
    in.issued = ctx_.Instant(obr, 22);
    std::vector<std::string> specimens;
    for (const Segment* s : order.others) {
      if (s->name() != "SPM") continue;
      SpecimenInput spm{patient, order_ref, key, in.effective};
      specimens.push_back(AddSpecimen(ctx_, bundle_, *s, spm));
      related->push_back(specimens.back());
    }
    if (!specimens.empty()) in.specimen = specimens.front();
    std::unordered_map<std::string, int> seen;
    {
      JsonNode forms = dr.Arr("presentedForm");
      for (const Observation& obs : order.observations) {
        const Segment& obx = *obs.obx;
        statuses.push_back(obx.Get(11));
        if (obx.Get(2) == "ED") {  // R4 Observation.value[x] has no Attachment: the report's
          MapAttachment(ctx_, forms.Add(), obx);  // rendered form is where a PDF belongs
          continue;
        }
        // Stable across resends and corrections: the order, the test, the sub-id; the n-th
        // repeat of the same test and sub-id within the order (text reports) gets "#n".
        std::string id = key + "/" + obx.Get(3) + "/" + obx.Get(4);
        if (int n = ++seen[id]; n > 1) id += "#" + std::to_string(n);
        in.obx = &obs;
        in.identifier = id;
        fhir::JsonValue o = MapResult(ctx_, bundle_, in);
        results.push_back(bundle_.PutStable(std::move(o), LabResultSystem(Facility()), id));
        ++result_count_;
      }
    }
    {
      JsonNode id = dr.Arr("identifier").Add();
      id.Str("system", LabReportSystem(Facility())).Str("value", key);
    }
    if (!order_ref.empty()) dr.Arr("basedOn").Add().Str("reference", order_ref);
    std::string status(ReportStatus(obr.Get(25)));
    dr.Str("status", status.empty() ? DerivedStatus(statuses) : status);
    {
      std::string section = obr.Get(24);
      JsonNode cat = dr.Arr("category").Add();
      cat.Arr("coding").Add().Coding(kDiagnosticServiceSystem, section.empty() ? "LAB" : section,
                                     DiagnosticServiceDisplay(section.empty() ? "LAB" : section));
    }
    if (!ctx_.CodeableConcept(dr.Obj("code"), obr, 4)) dr.Obj("code").Str("text", "Xét nghiệm");
    dr.Ref("subject", patient.patient, patient.display);
    if (!patient.encounter.empty()) dr.Ref("encounter", patient.encounter);
    dr.Str("effectiveDateTime", in.effective).Str("issued", in.issued);
    {
      JsonNode refs = dr.Arr("specimen");
      for (const std::string& s : specimens) refs.Add().Str("reference", s);
    }
    if (!ctx_.options().facility_org.empty()) {
      dr.Arr("performer").Add().Str("reference", ctx_.FacilityReference());
    }
    {
      JsonNode result = dr.Arr("result");
      for (const std::string& r : results) result.Add().Str("reference", r);
    }
    std::string conclusion;
    for (const Segment* nte : order.notes) {
      if (nte->name() != "NTE") continue;
      if (!conclusion.empty()) conclusion.push_back('\n');
      conclusion += nte->Get(3);
    }
    dr.Str("conclusion", conclusion);
    // A correction carries only what it corrects: the report keeps its other results and, when
    // the correction has none, its PDF and conclusion.
    MergeRule rule;
    rule.merge = true;
    rule.unite = {"result"};
    related->push_back(
        bundle_.PutStable(std::move(report), LabReportSystem(Facility()), key, std::move(rule)));
    ++report_count_;
  }

  int reports() const { return report_count_; }
  int results() const { return result_count_; }

 private:
  const std::string& Facility() const { return ctx_.options().facility; }

  // OBR-n, or the same field of the ORC when the OBR leaves it empty.
  static std::string Either(const Segment& obr, int field, const Segment* orc, int orc_field) {
    std::string v = obr.Get(field);
    if (v.empty() && orc != nullptr) v = orc->Get(orc_field);
    return v;
  }

  // One report per order: the filler's accession number, else the placer's order number,
  // else (neither sent) the message and OBR set id. Repeated within a message: set id added.
  std::string ReportKey(const Segment& obr, const std::string& placer, const std::string& filler) {
    std::string key = !filler.empty()   ? filler
                      : !placer.empty() ? "placer:" + placer
                                        : ctx_.message().ControlId() + ":" + obr.Get(1);
    if (!keys_.insert(key).second) {
      key += "/" + obr.Get(1);
      keys_.insert(key);
    }
    return key;
  }

  // The order a report answers: found by its numbers, recorded when the LIS is the first to
  // tell us of it (orders placed on the analyzer, or before healthbook took orders).
  std::string AddServiceRequest(const OrderObservation& order, const PatientRefs& patient,
                                const std::string& placer, const std::string& filler) {
    if (placer.empty() && filler.empty()) return {};
    for (const std::string& k : {"P:" + placer, "F:" + filler}) {
      if (k.size() == 2) continue;
      if (auto it = orders_.find(k); it != orders_.end()) return it->second;
    }
    const Segment& obr = *order.obr;
    fhir::JsonValue res = bundle_.NewResource("ServiceRequest");
    JsonNode sr(&res, &bundle_.alloc());
    std::string condition;
    {
      JsonNode ids = sr.Arr("identifier");
      for (const auto& [value, type, system] :
           {std::tuple{placer, "PLAC", PlacerOrderSystem(Facility())},
            std::tuple{filler, "FILL", FillerOrderSystem(Facility())}}) {
        if (value.empty()) continue;
        JsonNode id = ids.Add();
        {
          JsonNode t = id.Obj("type");
          t.Arr("coding").Add().Coding(kIdentifierTypeSystem, type, IdentifierTypeDisplay(type));
        }
        id.Str("system", system).Str("value", value);
        if (!condition.empty()) condition.push_back(',');
        condition += TokenCondition(system, value);
      }
    }
    std::string result_status = obr.Get(25);
    sr.Str("status", result_status == "F" || result_status == "C" ? "completed"
                     : result_status == "X"                       ? "revoked"
                                                                  : "active");
    sr.Str("intent", "order");
    {
      JsonNode cat = sr.Arr("category").Add();
      cat.Arr("coding").Add().Coding(kSnomedSystem, "108252007", "Laboratory procedure");
    }
    if (!ctx_.CodeableConcept(sr.Obj("code"), obr, 4)) sr.Obj("code").Str("text", "Xét nghiệm");
    sr.Ref("subject", patient.patient, patient.display);
    if (!patient.encounter.empty()) sr.Ref("encounter", patient.encounter);
    std::string authored = order.orc != nullptr ? ctx_.DateTime(*order.orc, 9) : "";
    if (authored.empty()) authored = ctx_.DateTime(obr, 6);
    sr.Str("authoredOn", authored);
    ctx_.PersonReference(sr.Obj("requester"), obr, 16);
    if (!ctx_.options().facility_org.empty()) {
      sr.Arr("performer").Add().Str("reference", ctx_.FacilityReference());
    }
    std::string ref = bundle_.Post(std::move(res), "identifier=" + condition);
    if (!placer.empty()) orders_["P:" + placer] = ref;
    if (!filler.empty()) orders_["F:" + filler] = ref;
    return ref;
  }

  // A report whose OBR-25 is empty stands where its results stand.
  static std::string DerivedStatus(const std::vector<std::string>& statuses) {
    if (statuses.empty()) return "registered";
    bool all_final = true, corrected = false;
    for (const std::string& s : statuses) {
      corrected |= s == "C";
      all_final &= s == "F" || s == "C" || s == "U";
    }
    if (corrected && all_final) return "corrected";
    return all_final ? "final" : "preliminary";
  }

  MapContext& ctx_;
  BundleBuilder& bundle_;
  std::unordered_set<std::string> keys_;
  std::unordered_map<std::string, std::string> orders_;  // "P:<placer>" / "F:<filler>" -> ref
  int report_count_ = 0;
  int result_count_ = 0;
};

}  // namespace

std::string AddResults(MapContext& ctx, BundleBuilder& bundle, PatientRefs* first_patient,
                       std::vector<std::string>* related) {
  const Message& m = ctx.message();
  const std::vector<Segment>& segments = m.segments();
  // Each PID opens a patient's results; its PV1, if any, follows it.
  std::vector<std::pair<size_t, PatientRefs>> patients;  // segment index -> refs
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].name() != "PID") continue;
    PatientRefs refs = AddPatient(ctx, bundle, segments[i], true);
    if (i + 1 < segments.size() && segments[i + 1].name() == "PV1") {
      refs.encounter = AddEncounter(ctx, bundle, segments[i + 1], refs, false);
    } else if (i + 2 < segments.size() && segments[i + 1].name() == "PD1" &&
               segments[i + 2].name() == "PV1") {
      refs.encounter = AddEncounter(ctx, bundle, segments[i + 2], refs, false);
    }
    if (!refs.encounter.empty()) related->push_back(refs.encounter);
    patients.emplace_back(i, std::move(refs));
  }
  if (patients.empty()) {
    AckError e;
    e.code = Hl7Error::kSegmentSequence;
    e.location.segment = "PID";
    e.user_message = m.Type() + " has no PID segment: the results cannot be given to a patient";
    ctx.errors().push_back(std::move(e));
    return {};
  }
  *first_patient = patients.front().second;
  ResultsMapper mapper(ctx, bundle);
  for (const OrderObservation& order : OrderObservations(m)) {
    if (order.obr == nullptr) continue;
    size_t at = static_cast<size_t>(order.obr - segments.data());
    const PatientRefs* owner = nullptr;
    for (const auto& [index, refs] : patients) {
      if (index < at) owner = &refs;
    }
    if (owner == nullptr) {
      ctx.Error(Hl7Error::kSegmentSequence, *order.obr, 0,
                "OBR comes before any PID: the results cannot be given to a patient");
      continue;
    }
    mapper.Order(order, *owner, related);
  }
  return std::to_string(mapper.reports()) + " report(s), " + std::to_string(mapper.results()) +
         " result(s)";
}

}  // namespace hb::lis
