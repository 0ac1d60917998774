// The write side of the FHIR interactions, run on the store's writer thread
// inside a WriteTxn: create, update (also as create), patch, delete, their
// conditional forms, reference resolution, and the canonical stored form
// (meta.versionId / meta.lastUpdated set by the server) with its index rows.
//
// Used by the single interactions and by batch/transaction processing, so
// both behave the same. Functions return a Status whose code rest/outcome.h
// maps to the HTTP status. Thread-compatible: one WriteTxn, one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "access/access_policy.h"
#include "access/principal.h"
#include "common/result.h"
#include "fhir/json.h"
#include "fhir/validator.h"
#include "search/index_entries.h"
#include "storage/resource_store.h"

namespace hb::rest {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// A validated resource waiting to be written. `json` points into a document
// owned elsewhere (a request body, or the Bundle it came in).
struct ResourceInput {
  fhir::JsonValue* json = nullptr;
  fhir::JsonAlloc* alloc = nullptr;
  fhir::ResourceFacts facts;
  // The search index rows, computed with the validation (off the writer thread); their
  // references are read again after ResolveReferences rewrites them.
  search::IndexEntries index;
  std::string type;
  std::string body_id;  // the id in the body; empty when absent
};

// A parsed and validated request body that owns its document.
struct OwnedInput {
  fhir::JsonDoc doc;
  ResourceInput input;
};

// Parses and validates a resource body. `expected_type` (may be empty) must
// match resourceType.
Result<std::shared_ptr<OwnedInput>> PrepareInput(std::string_view body,
                                                 std::string_view expected_type);
// Validates a resource that lives inside another document (a Bundle entry).
Result<ResourceInput> PrepareNested(fhir::JsonValue& json, fhir::JsonAlloc& alloc,
                                    std::string_view location_prefix);

// Who writes, and what their writes leave in the audit trail. A null Actor
// (internal loading, such as the demo) skips access checks and auditing.
struct Actor {
  const access::Principal* principal = nullptr;
  const access::AccessPolicy* policy = nullptr;
  std::vector<storage::AuditRecord> audit;  // appended in the same transaction
  bool break_glass_used = false;
};

struct WriteOutcome {
  storage::ResourceVersion version;  // what is now current (for a no-op: what already was)
  bool created = false;              // 201
  bool unchanged = false;            // conditional create matched, or delete of a deleted one
};

// Resources matching a conditional query (at most 2 are fetched).
Result<std::vector<storage::ResourceVersion>> FindMatches(storage::ReadTxn& txn,
                                                          std::string_view type,
                                                          const QueryParams& query);

// Rewrites references: fullUrl aliases (urn:uuid:...) from `aliases`, and
// conditional references ("Patient?identifier=s|v") by search.
Status ResolveReferences(storage::WriteTxn& txn, ResourceInput& in,
                         const std::unordered_map<std::string, std::string>* aliases);

Result<WriteOutcome> Create(storage::WriteTxn& txn, Actor* actor, ResourceInput& in,
                            const std::optional<QueryParams>& if_none_exist,
                            std::string assigned_id = {});
Result<WriteOutcome> Update(storage::WriteTxn& txn, Actor* actor, ResourceInput& in,
                            std::string_view id, std::optional<int64_t> if_match);
// PUT Type?query: 0 matches -> create, 1 -> update it, more -> 412.
Result<WriteOutcome> ConditionalUpdate(storage::WriteTxn& txn, Actor* actor, ResourceInput& in,
                                       const QueryParams& query, std::optional<int64_t> if_match);
Result<WriteOutcome> Patch(storage::WriteTxn& txn, Actor* actor, std::string_view type,
                           std::string_view id, const fhir::JsonValue& patch,
                           std::optional<int64_t> if_match);
Result<WriteOutcome> Delete(storage::WriteTxn& txn, Actor* actor, std::string_view type,
                            std::string_view id, std::optional<int64_t> if_match);
// DELETE Type?query: 0 matches -> unchanged, 1 -> delete it, more -> 412.
Result<WriteOutcome> ConditionalDelete(storage::WriteTxn& txn, Actor* actor,
                                       std::string_view type, const QueryParams& query);
// Appends the actor's audit records (if any) to the trail, in this transaction.
Status FlushAudit(storage::WriteTxn& txn, Actor* actor);

}  // namespace hb::rest
