// Internal to the HL7 v2 -> FHIR mappings (mapping.h): the state one mapping run shares, the
// Bundle being built, and the FHIR shapes several segments produce (coded values, people,
// identifiers, dates). Not a public API of the module.
//
// Contract: one MapContext per message, on one thread. Helpers that read a value the message
// got wrong (a timestamp that is not one) record an AckError with its location and return an
// empty value, so the mapping goes on and reports every problem at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fhir/json.h"
#include "lis/ack.h"
#include "lis/datatypes.h"
#include "lis/json_build.h"
#include "lis/mapping.h"

namespace hb::lis {

class BundleBuilder {
 public:
  BundleBuilder();
  fhir::JsonAlloc& alloc() { return doc_.GetAllocator(); }
  // A new resource value of `type`, allocated in the Bundle's document (fill it, then add it).
  fhir::JsonValue NewResource(std::string_view type);
  // Adds an entry; returns its fullUrl ("urn:uuid:..."), the alias other entries refer to.
  std::string Post(fhir::JsonValue resource, std::string_view if_none_exist = {});
  std::string Put(fhir::JsonValue resource, std::string_view condition, MergeRule rule = {});
  // PUT Type/<StableId(system, value)>, the resource carrying that id (see lis_systems.h).
  std::string PutStable(fhir::JsonValue resource, std::string_view system, std::string_view value,
                        MergeRule rule = {});
  size_t size() const { return rules_.size(); }
  MappedMessage Finish(std::string message_key, std::string summary);

 private:
  std::string Add(fhir::JsonValue resource, std::string_view method, std::string url,
                  std::string_view if_none_exist, MergeRule rule);
  fhir::JsonDoc doc_;
  std::vector<MergeRule> rules_;
};

class MapContext {
 public:
  MapContext(const Message& message, const MappingOptions& options, fhir::JsonAlloc& alloc);

  const Message& message() const { return msg_; }
  const MappingOptions& options() const { return options_; }
  fhir::JsonAlloc& alloc() { return alloc_; }
  std::vector<AckError>& errors() { return errors_; }
  void Error(Hl7Error code, const Segment& segment, int field, std::string message);

  // "Organization/<id>" of the facility, or "" when it is not registered.
  std::string FacilityReference() const;
  int64_t ReceivedMicros() const { return received_; }

  // TS/DTM at segment-field(rep 1, component `comp`) as a FHIR dateTime; "" when empty or
  // invalid (invalid is reported as a 102 data type error).
  std::string DateTime(const Segment& s, int field, int comp = 1);
  // The date part only (birth dates): "1989-04-12".
  std::string Date(const Segment& s, int field);
  // An instant when the timestamp has seconds precision or more, else "" (FHIR instants
  // cannot be partial); invalid values are reported as DateTime() does.
  std::string Instant(const Segment& s, int field);

  // CWE/CE at segment-field-rep as a CodeableConcept written into `out`: each triple as a
  // coding, plus the LOINC coding the local code map gives a local code when no LOINC coding
  // was sent. False when the field is empty.
  bool CodeableConcept(JsonNode out, const Segment& s, int field, int rep = 1);
  // XCN (a person: id, family, given, middle, suffix, prefix) at segment-field-rep as a
  // logical Reference (identifier with the facility's staff code system, and a display).
  bool PersonReference(JsonNode out, const Segment& s, int field, int rep = 1);
  // "BS. Lò Văn Minh" for an XCN.
  std::string PersonName(const Segment& s, int field, int rep = 1) const;

 private:
  const Message& msg_;
  const MappingOptions& options_;
  fhir::JsonAlloc& alloc_;
  std::vector<AckError> errors_;
  int64_t received_;
};

// HL7 NM text as JSON number text: "+7.8" -> "7.8", ".5" -> "0.5", "5." -> "5"; "" when it is
// not a number.
std::string JsonNumber(std::string_view nm);

// The resources each part of a message becomes (one file each).
struct PatientRefs {
  std::string patient;    // fullUrl of the Patient entry
  std::string display;    // the name, for Reference.display
  std::string encounter;  // fullUrl of the Encounter entry, "" when none
};

// PID -> Patient. For a result (`provisional`), POST with ifNoneExist on its identifiers, a
// new record tagged provisional; for a registration, a merging conditional PUT.
PatientRefs AddPatient(MapContext& ctx, BundleBuilder& bundle, const Segment& pid,
                       bool provisional);
// PV1 -> Encounter (see encounter_mapping.cpp for when one is made). Returns its fullUrl.
std::string AddEncounter(MapContext& ctx, BundleBuilder& bundle, const Segment& pv1,
                         const PatientRefs& patient, bool registration);
// ORU^R01: per PID its Patient (and Encounter), per OBR a ServiceRequest, the Observations
// and a DiagnosticReport. `patient` gets the first patient; `related` the reports and orders.
// Returns a summary for the logs ("2 reports, 13 results").
std::string AddResults(MapContext& ctx, BundleBuilder& bundle, PatientRefs* patient,
                       std::vector<std::string>* related);
// PID-3 (or MRG-1: any CX list) as a conditional-reference query value "s|v,s|v" with the
// identifier systems AddPatient gives them; `first_only`: the first repetition only.
std::string PatientIdentifierCondition(MapContext& ctx, const Segment& s, int field,
                                       bool first_only = false);
// A BHYT card number: two letters, then 13 digits.
bool LooksLikeBhytCard(std::string_view s);
// IN1 -> Coverage of the patient: a merging conditional PUT on the policy number (IN1-36);
// "" (nothing added) when IN1 carries no policy number.
std::string AddCoverage(MapContext& ctx, BundleBuilder& bundle, const Segment& in1,
                        const PatientRefs& patient);
struct SpecimenInput {
  PatientRefs patient;
  std::string service_request;  // fullUrl, "" when the order has no number
  std::string report_key;       // the report's key, for a specimen without a number
  std::string collected;        // OBR-7, when SPM-17 is empty
};
// SPM -> Specimen (PUT Specimen/<StableId(specimen, number)>, merged). Returns its fullUrl.
std::string AddSpecimen(MapContext& ctx, BundleBuilder& bundle, const Segment& spm,
                        const SpecimenInput& in);
// The raw message as a DocumentReference pointing at what it produced.
void AddMessageRecord(MapContext& ctx, BundleBuilder& bundle, std::string_view raw,
                      const std::string& message_key, const PatientRefs* patient,
                      const std::vector<std::string>& related);

}  // namespace hb::lis
