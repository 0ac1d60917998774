// Applies a mapped HL7 v2 message (lis/mapping.h: a FHIR transaction Bundle and its merge
// rules) to the store as ONE transaction, through the REST layer's write operations
// (rest/write_ops.h), so that what arrives over MLLP is validated, indexed, access-checked
// and audited exactly like a FHIR transaction POSTed by a client.
//
// Why not rest's own transaction code: it lives inside FhirService::Bundle and takes an HTTP
// request; this runs the same steps (ids for POSTs after ifNoneExist and for conditional
// PUTs, fullUrl aliases rewritten, then create/update in entry order) for the entry shapes
// the mapping makes, plus three things a message needs:
//  - the idempotency gate: if a DocumentReference with the message's key exists, nothing is
//    written (a resend);
//  - MergeRule: a conditional PUT that matched is merged into the current version (HL7 v2
//    updates are partial) and validated again;
//  - an update that would change nothing is skipped (no new version for a repeated result).
//
// Contract: Prepare() runs on any thread (it validates and computes index rows, the costly
// part); Apply() runs on the store's writer thread inside the work of one store Write, and
// fails as a whole (the store rolls the work back). Thread-compatible objects.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "common/result.h"
#include "lis/mapping.h"
#include "rest/write_ops.h"
#include "storage/resource_store.h"

namespace hb::app {

struct LisEntry {
  std::string method;  // POST or PUT
  std::string type;
  std::string full_url;
  std::optional<rest::QueryParams> condition;  // ifNoneExist (POST) or the PUT's query
  std::string url_id;                          // PUT Type/<url_id>
  rest::ResourceInput input;
  lis::MergeRule rule;
  // Set by Apply:
  std::string id;
  bool reuse = false;                               // ifNoneExist matched: nothing to write
  std::optional<storage::ResourceVersion> current;  // what a conditional PUT matched
};

struct PreparedMessage {
  lis::MappedMessage mapped;  // owns the JSON the inputs point into
  std::vector<LisEntry> entries;
  // ApplyLisMessage rewrites the entries as it goes (ids, references, merges), so it runs a
  // message once: a store that re-runs a work item (PostgreSQL after a serialization
  // failure) gets kUnavailable the second time, its savepoint has undone the first, and the
  // sender is told to send the message again.
  bool applied = false;
};

struct ApplyOutcome {
  bool duplicate = false;  // the message was stored before: nothing written
  int created = 0;
  int updated = 0;
  int unchanged = 0;               // found (ifNoneExist) or would not change
  int merged = 0;                  // ADT^A40: duplicate patients merged into the survivor
  std::string first_failing_type;  // on failure: the resource type of the entry that failed
};

// The identity the laboratory interface writes as: an integration client of `facility`
// ("client:<client>"), with write scopes on exactly the types its messages produce.
access::Principal LisPrincipal(const std::string& client, const std::string& facility);

// The Organization id of a facility (its MA_CSKCB identifier), looked up until it exists,
// then remembered. Thread-safe.
class FacilityOrgLookup {
 public:
  FacilityOrgLookup(storage::ResourceStore& store, std::string facility)
      : store_(store), facility_(std::move(facility)) {}
  std::string Get();

 private:
  storage::ResourceStore& store_;
  const std::string facility_;
  std::mutex mu_;
  std::string org_;  // mu_
};

// Validates every entry (rest::PrepareNested) and reads the requests.
Result<std::unique_ptr<PreparedMessage>> PrepareLisMessage(lis::MappedMessage mapped);

// Runs the message on `txn` as `actor`. On failure `outcome->first_failing_type` says which
// kind of record could not be written (for the ACK's ERR location).
Status ApplyLisMessage(storage::WriteTxn& txn, PreparedMessage& message, rest::Actor* actor,
                       ApplyOutcome* outcome);

}  // namespace hb::app
