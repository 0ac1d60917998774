// PV1 -> Encounter. docs/implementation/hl7v2-mapping.md, "Encounter".
#include "common/clock.h"
#include "lis/code_tables.h"
#include "lis/lis_systems.h"
#include "lis/mapping_context.h"

namespace hb::lis {

namespace {

// PL (person location): point of care, room, bed, facility, as people read them.
std::string LocationText(const Segment& pv1, int field) {
  std::string text;
  for (int comp : {1, 2, 3}) {
    std::string part = pv1.Get(field, 1, comp);
    if (part.empty()) continue;
    if (!text.empty()) text += ", ";
    text += part;
  }
  return text;
}

void AddParticipant(MapContext& ctx, JsonNode participants, const Segment& pv1, int field,
                    std::string_view type, std::string_view display) {
  for (int rep = 1; rep <= pv1.RepetitionCount(field); ++rep) {
    if (pv1.Get(field, rep, 1).empty() && pv1.Get(field, rep, 2).empty()) continue;
    JsonNode p = participants.Add();
    {
      JsonNode t = p.Arr("type").Add();
      t.Arr("coding").Add().Coding(kParticipationTypeSystem, type, display);
    }
    ctx.PersonReference(p.Obj("individual"), pv1, field, rep);
  }
}

}  // namespace

std::string AddEncounter(MapContext& ctx, BundleBuilder& bundle, const Segment& pv1,
                         const PatientRefs& patient, bool registration) {
  const std::string trigger = ctx.message().TriggerEvent();
  const std::string visit = pv1.Get(19);
  const bool transfer = registration && trigger == "A02";
  const bool discharge = registration && trigger == "A03";
  if (visit.empty() && (transfer || discharge)) {
    ctx.Error(Hl7Error::kRequiredFieldMissing, pv1, 19,
              "PV1-19 (visit number) is empty: " + trigger + " cannot say which visit " +
                  (transfer ? "moves" : "ends"));
    return {};
  }
  // Without a visit number an update cannot say which visit it means: only a new visit
  // (A01 admit, A04 register) makes an Encounter then.
  if (visit.empty() && !(registration && (trigger == "A01" || trigger == "A04"))) return {};

  fhir::JsonValue res = bundle.NewResource("Encounter");
  JsonNode e(&res, &bundle.alloc());
  const std::string system = VisitNumberSystem(ctx.options().facility);
  if (!visit.empty()) {
    JsonNode id = e.Arr("identifier").Add();
    {
      JsonNode type = id.Obj("type");
      type.Arr("coding").Add().Coding(kIdentifierTypeSystem, "VN", IdentifierTypeDisplay("VN"));
    }
    id.Str("system", system).Str("value", visit);
  }
  std::string discharged = ctx.DateTime(pv1, 45);
  if (discharge && discharged.empty()) {
    // A03 without PV1-45: when the event happened (EVN-6), else was recorded (EVN-2), else
    // when the message arrived.
    if (const Segment* evn = ctx.message().Find("EVN")) {
      discharged = ctx.DateTime(*evn, 6);
      if (discharged.empty()) discharged = ctx.DateTime(*evn, 2);
    }
    if (discharged.empty()) discharged = FormatInstant(ctx.ReceivedMicros());
  }
  std::string status = "unknown";  // a visit only seen through a result
  if (registration) status = trigger == "A04" ? "arrived" : "in-progress";
  if (!discharged.empty()) status = "finished";
  e.Str("status", status);
  {
    JsonNode cls = e.Obj("class");
    if (auto c = EncounterClass(pv1.Get(2))) {
      cls.Coding(kActCodeSystem, c->code, c->display);
    } else {
      cls.Coding("http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "UNK", "unknown");
    }
  }
  if (std::string service = pv1.Get(10); !service.empty()) {
    JsonNode st = e.Obj("serviceType");
    st.Arr("coding").Add().Coding(CodingSystemUri("HL70069", ctx.options().facility), service, "");
  }
  e.Ref("subject", patient.patient, patient.display);
  {
    JsonNode participants = e.Arr("participant");
    AddParticipant(ctx, participants, pv1, 7, "ATND", "attender");
    AddParticipant(ctx, participants, pv1, 8, "REF", "referrer");
    AddParticipant(ctx, participants, pv1, 17, "ADM", "admitter");
  }
  {
    JsonNode period = e.Obj("period");
    period.Str("start", ctx.DateTime(pv1, 44)).Str("end", discharged);
  }
  {
    JsonNode locations = e.Arr("location");
    // A02: the bed the patient left (PV1-6) is kept as completed, the new one is active.
    if (std::string prior = LocationText(pv1, 6); transfer && !prior.empty()) {
      JsonNode loc = locations.Add();
      loc.Ref("location", "", prior);
      loc.Str("status", "completed");
    }
    if (std::string where = LocationText(pv1, 3); !where.empty()) {
      JsonNode loc = locations.Add();
      loc.Ref("location", "", where);
      loc.Str("status", discharge ? "completed" : transfer ? "active" : "");
    }
  }
  e.Ref("serviceProvider", ctx.FacilityReference());

  const std::string condition = "identifier=" + TokenCondition(system, visit);
  if (!registration) return bundle.Post(std::move(res), condition);
  if (visit.empty()) return bundle.Post(std::move(res));
  MergeRule rule;
  rule.merge = true;
  // An update (A08) restates the visit without saying where it stands; its status is ours.
  if (trigger == "A08" && discharged.empty()) rule.keep_current = {"status"};
  // A transfer or discharge restates part of the period (often only its end).
  if (transfer || discharge) rule.merge_objects = {"period"};
  return bundle.Put(std::move(res), condition, std::move(rule));
}

}  // namespace hb::lis
