// SPM -> Specimen. docs/implementation/hl7v2-mapping.md, "Specimen".
#include "lis/code_tables.h"
#include "lis/lis_systems.h"
#include "lis/mapping_context.h"

namespace hb::lis {

std::string AddSpecimen(MapContext& ctx, BundleBuilder& bundle, const Segment& spm,
                        const SpecimenInput& in) {
  const std::string& facility = ctx.options().facility;
  // SPM-2 (EIP): the placer's then the filler's specimen number. The filler's (the
  // laboratory's barcode) is the one that stays the same on a resend and a correction.
  const std::string placer = spm.Get(2, 1, 1), filler = spm.Get(2, 1, 2);
  std::string set_id = spm.Get(1);
  const std::string key = !filler.empty()   ? filler
                          : !placer.empty() ? "placer:" + placer
                                            : in.report_key + "/" + (set_id.empty() ? "1" : set_id);
  fhir::JsonValue res = bundle.NewResource("Specimen");
  JsonNode s(&res, &bundle.alloc());
  {
    JsonNode ids = s.Arr("identifier");
    ids.Add().Str("system", SpecimenSystem(facility)).Str("value", key);
  }
  if (!filler.empty()) s.Obj("accessionIdentifier").Str("value", filler);
  // SPM-21 a reason the laboratory rejected it; SPM-20 availability (Y/N).
  std::string rejected = spm.Get(21, 1, 2).empty() ? spm.Get(21) : spm.Get(21, 1, 2);
  s.Str("status", !rejected.empty()    ? "unsatisfactory"
                  : spm.Get(20) == "N" ? "unavailable"
                                       : "available");
  ctx.CodeableConcept(s.Obj("type"), spm, 4);
  s.Ref("subject", in.patient.patient, in.patient.display);
  s.Str("receivedTime", ctx.DateTime(spm, 18));
  if (!in.service_request.empty()) s.Arr("request").Add().Str("reference", in.service_request);
  {
    JsonNode c = s.Obj("collection");
    std::string start = ctx.DateTime(spm, 17, 1), end = ctx.DateTime(spm, 17, 2);
    if (end.empty()) {
      c.Str("collectedDateTime", start.empty() ? in.collected : start);
    } else {
      c.Obj("collectedPeriod").Str("start", start).Str("end", end);
    }
    std::string amount = JsonNumber(spm.Get(12, 1, 1));
    if (!amount.empty()) {
      JsonNode q = c.Obj("quantity");
      q.Num("value", amount);
      std::string unit = spm.Get(12, 1, 2);
      q.Str("unit", unit);
      if (auto ucum = UcumCode(unit)) q.Str("system", kUcumSystem).Str("code", *ucum);
    }
    ctx.CodeableConcept(c.Obj("method"), spm, 7);
    ctx.CodeableConcept(c.Obj("bodySite"), spm, 8);
  }
  {
    JsonNode conditions = s.Arr("condition");
    for (int rep = 1; rep <= spm.RepetitionCount(24); ++rep) {
      ctx.CodeableConcept(conditions.Add(), spm, 24, rep);
    }
  }
  {
    JsonNode notes = s.Arr("note");
    if (std::string d = spm.Get(14); !d.empty()) notes.Add().Str("text", d);
    if (!rejected.empty()) notes.Add().Str("text", "Mẫu bị từ chối: " + rejected);
  }
  MergeRule rule;
  rule.merge = true;
  return bundle.PutStable(std::move(res), SpecimenSystem(facility), key, std::move(rule));
}

}  // namespace hb::lis
