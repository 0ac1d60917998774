// HL7 v2 -> FHIR: maps one received message (ORU^R01, ADT^A01/A04/A08) to a FHIR transaction
// Bundle that records it whole: the results or the registration, and the raw message itself
// (a DocumentReference) for audit. docs/implementation/hl7v2-mapping.md gives the mapping
// field by field; this header is the contract.
//
// The Bundle uses only standard transaction semantics, so it can be read, tested and even
// POSTed by hand:
//  - POST with ifNoneExist for what must exist once (the patient of a result, the order),
//    keyed by identifiers;
//  - PUT Type/<id derived from its identifier> for what the message owns and may revise:
//    results (a corrected OBX is a new version of the same Observation), reports, and the
//    record of the message itself;
//  - conditional PUT (Type?identifier=s|v) for the patient and visit of an ADT message.
// One addition travels beside the Bundle: `rules`, per entry. HL7 v2 updates are partial (an
// empty field means "no news", not "delete"), so an ADT update must not wipe what other
// systems recorded; the applier merges such PUTs into the current version (see MergeRule).
// `message_key` is the idempotency key: the message's record is DocumentReference/<record_id>
// (derived from the key), and the applier reads it before anything else, so a resent message
// (same MSH-3, MSH-4 and MSH-10) creates nothing. Results, reports and message records are
// written at ids derived from their identifiers (PUT Type/<StableId>, lis_systems.h), so that
// they are found by a read, not a search.
//
// Contract: pure (but for the clock when received_micros is 0), thread-safe. The message must
// have passed ValidateMessage; what that cannot see (a date that is not a date in PID-7, a
// message without any patient) comes back as AckErrors, never as a partial Bundle.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fhir/json.h"
#include "lis/ack.h"
#include "lis/local_codes.h"
#include "lis/message.h"

namespace hb::lis {

struct MappingOptions {
  std::string facility;                       // MA_CSKCB code of the facility this interface serves
  std::string facility_org;                   // its Organization id; "" when it is not registered
  const LocalCodeMap* local_codes = nullptr;  // local lab codes -> LOINC; may be null
  // PID-3 assigning authorities (CX-4.1) that name other facilities: namespace -> MA_CSKCB.
  // A medical record number belongs to CX-4.2 when that is a facility code, else to the
  // facility found here, else to `facility`.
  std::unordered_map<std::string, std::string> authorities;
  int64_t received_micros = 0;            // arrival time; 0: now
  std::string default_offset = "+07:00";  // for timestamps without a zone
};

// How the applier treats a PUT entry whose condition matched a current resource.
struct MergeRule {
  bool merge = false;  // false: replace (standard PUT)
  // With merge: the message's top-level elements replace the current ones, identifiers are
  // united, and these elements keep their current value when there is one.
  std::vector<std::string> keep_current;
  // With merge: meta.tag codes (of ReconciliationTagSystem) removed from the current version,
  // e.g. "provisional" when a registration confirms a patient first seen in a result.
  std::vector<std::string> clear_tags;
  // With merge: arrays whose current items stay, the message's new items added (a report's
  // results: a correction message carries only the results it corrects).
  std::vector<std::string> unite;
  // With merge: objects whose members are merged one level down (the message's members
  // replace the current ones, the others stay): an Encounter's period on discharge.
  std::vector<std::string> merge_objects;
};

// ADT^A40: after the Bundle, the patients that the prior identifiers (MRG-1) find are merged
// into the surviving one (the Patient entry `target`), as Patient/$merge does.
struct PatientMergeRequest {
  std::string source_condition;  // "identifier=s|v,s|v" from MRG-1
  std::string target;            // fullUrl of the surviving Patient's entry
};

struct MappedMessage {
  fhir::JsonDoc bundle;          // Bundle.type transaction
  std::vector<MergeRule> rules;  // one per Bundle.entry
  std::string message_key;       // "<MSH-3>^<MSH-4>^<MSH-10>" (MessageIdSystem())
  std::string record_id;         // DocumentReference/<record_id>: this message's record
  std::string summary;           // for logs: "ORU^R01 X-1: 1 report, 12 results"
  std::optional<PatientMergeRequest> patient_merge;  // ADT^A40 only
};

struct MapOutcome {
  std::optional<MappedMessage> mapped;
  std::vector<AckError> errors;  // why not, when `mapped` is empty
};

// `raw` is the message as received (kept, Base64, in the DocumentReference).
MapOutcome MapMessage(const Message& message, std::string_view raw, const MappingOptions& options);

// The message types MapMessage takes ("ORU^R01", ...), for the validator's options.
const std::vector<std::string>& MappedMessageTypes();

}  // namespace hb::lis
