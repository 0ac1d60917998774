// MapMessage: the dispatch by message type, the registration (ADT) flow, and the record of
// the raw message. docs/implementation/hl7v2-mapping.md.
#include "lis/mapping.h"

#include "common/base64.h"
#include "common/clock.h"
#include "lis/lis_systems.h"
#include "lis/mapping_context.h"

namespace hb::lis {

namespace {

// ADT^A01 (admit), A02 (transfer), A03 (discharge), A04 (register an outpatient), A08
// (update), A40 (merge): the patient, the visit, the insurance (IN1).
std::string AddRegistration(MapContext& ctx, BundleBuilder& bundle, PatientRefs* patient,
                            std::vector<std::string>* related,
                            std::optional<PatientMergeRequest>* merge) {
  const Message& m = ctx.message();
  const Segment* pid = m.Find("PID");
  *patient = AddPatient(ctx, bundle, *pid, false);
  std::string summary = "patient";
  if (m.TriggerEvent() == "A40") {
    const Segment* mrg = m.Find("MRG");
    std::string prior = mrg ? PatientIdentifierCondition(ctx, *mrg, 1) : std::string();
    if (prior.empty()) {
      AckError e;
      e.code = Hl7Error::kRequiredFieldMissing;
      e.location = {"MRG", 1, 1, 0, 0, 0};
      e.user_message = "MRG-1 (prior patient identifier list) is empty: nothing to merge";
      ctx.errors().push_back(std::move(e));
      return {};
    }
    *merge = PatientMergeRequest{"identifier=" + prior, patient->patient};
    summary += " (merge of " + prior + ")";
  }
  if (const Segment* pv1 = m.Find("PV1")) {
    patient->encounter = AddEncounter(ctx, bundle, *pv1, *patient, true);
    if (!patient->encounter.empty()) {
      related->push_back(patient->encounter);
      summary += " and visit";
    }
  }
  int coverages = 0;
  for (const Segment* in1 : m.FindAll("IN1")) {
    std::string ref = AddCoverage(ctx, bundle, *in1, *patient);
    if (ref.empty()) continue;
    related->push_back(ref);
    ++coverages;
  }
  if (coverages > 0) summary += ", " + std::to_string(coverages) + " coverage(s)";
  return summary;
}

bool IsRegistration(const std::string& type) {
  for (const char* t : {"ADT^A01", "ADT^A02", "ADT^A03", "ADT^A04", "ADT^A08", "ADT^A40"}) {
    if (type == t) return true;
  }
  return false;
}

}  // namespace

const std::vector<std::string>& MappedMessageTypes() {
  static const std::vector<std::string> kTypes = {"ADT^A01", "ADT^A02", "ADT^A03", "ADT^A04",
                                                  "ADT^A08", "ADT^A40", "ORU^R01"};
  return kTypes;
}

void AddMessageRecord(MapContext& ctx, BundleBuilder& bundle, std::string_view raw,
                      const std::string& message_key, const PatientRefs* patient,
                      const std::vector<std::string>& related) {
  const Message& m = ctx.message();
  fhir::JsonValue res = bundle.NewResource("DocumentReference");
  JsonNode d(&res, &bundle.alloc());
  {
    JsonNode id = d.Obj("masterIdentifier");
    id.Str("system", MessageIdSystem()).Str("value", message_key);
  }
  d.Str("status", "current");
  {
    JsonNode type = d.Obj("type");
    type.Arr("coding").Add().Coding(kMessageTypeSystem, m.MessageCode(), "");
    type.Str("text", "HL7 v2 " + m.Type());
  }
  if (patient != nullptr) d.Ref("subject", patient->patient, patient->display);
  d.Str("date", FormatInstant(ctx.ReceivedMicros()));
  d.Ref("custodian", ctx.FacilityReference());
  d.Str("description", "HL7 v2 " + m.Type() + " " + m.ControlId() + " from " +
                           m.SendingApplication() + "/" + m.SendingFacility() +
                           ", kept as received");
  {
    JsonNode att = d.Arr("content").Add().Obj("attachment");
    att.Str("contentType", kEr7ContentType);
    att.Str("data", Base64Encode(raw));
    att.Num("size", std::to_string(raw.size()));
    att.Str("title", m.Type() + " " + m.ControlId());
    // MSH-7 as written; a malformed one is the sender's problem, not a reason to lose this.
    auto created = TsToFhirDateTime(m.DateTimeOfMessage(), ctx.options().default_offset);
    if (created.ok()) att.Str("creation", *created);
  }
  {
    JsonNode context = d.Obj("context");
    if (patient != nullptr && !patient->encounter.empty()) {
      context.Arr("encounter").Add().Str("reference", patient->encounter);
    }
    JsonNode rel = context.Arr("related");
    for (const std::string& r : related) rel.Add().Str("reference", r);
  }
  // At an id derived from the key, so that a resend is recognised by one read.
  bundle.PutStable(std::move(res), MessageIdSystem(), message_key);
}

MapOutcome MapMessage(const Message& message, std::string_view raw, const MappingOptions& options) {
  MapOutcome out;
  BundleBuilder bundle;
  MapContext ctx(message, options, bundle.alloc());
  const std::string type = message.Type();
  const std::string key =
      message.Get("MSH-3") + "^" + message.Get("MSH-4") + "^" + message.ControlId();
  PatientRefs patient;
  std::vector<std::string> related;
  std::string summary;
  std::optional<PatientMergeRequest> merge;
  if (type == "ORU^R01") {
    summary = AddResults(ctx, bundle, &patient, &related);
  } else if (message.MessageCode() == "ADT" && IsRegistration(type) &&
             message.Find("PID") != nullptr) {
    summary = AddRegistration(ctx, bundle, &patient, &related, &merge);
  } else {
    AckError e;
    e.code = Hl7Error::kUnsupportedMessageType;
    e.location = {"MSH", 1, 9, 0, 0, 0};
    e.user_message = "healthbook does not take " + type + " messages on this interface";
    out.errors.push_back(std::move(e));
    return out;
  }
  if (!ctx.errors().empty()) {
    out.errors = std::move(ctx.errors());
    return out;
  }
  AddMessageRecord(ctx, bundle, raw, key, patient.patient.empty() ? nullptr : &patient, related);
  out.mapped = bundle.Finish(key, type + " " + message.ControlId() + ": " + summary);
  out.mapped->record_id = StableId(MessageIdSystem(), key);
  out.mapped->patient_merge = std::move(merge);
  return out;
}

}  // namespace hb::lis
