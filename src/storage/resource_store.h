// ResourceStore: the versioned FHIR resource store every module writes through.
//
// Layering (GUIDE §4): driver wrappers (sqlite/, later postgres/) -> sql/
// (migrations) -> a ResourceStore per backend -> the write queue that groups
// commits. The store is deliberately dumb about FHIR semantics: rest/ decides
// versions, ids, meta and what to index; the store keeps every version, the
// canonical JSON bytes as given, the typed index rows and the patient
// compartment rows, atomically.
//
// Threading: ResourceStore is thread-safe. A ReadTxn or WriteTxn belongs to the
// thread that got it and must not outlive the call that handed it out.
// Writes are queued and committed in groups by one writer thread: `Write` runs
// the work on that thread inside a savepoint of the group's transaction and
// calls `done` after the group's COMMIT (one fsync for many writes). A write
// is acknowledged only after it is durable. A failing work function rolls back
// only its own savepoint.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "search/index_entries.h"
#include "search/search_query.h"
#include "storage/audit_record.h"

namespace hb::storage {

enum class Method { kCreate, kUpdate, kPatch, kDelete };
std::string_view MethodName(Method m);  // "POST", "PUT", "PATCH", "DELETE"

struct ResourceVersion {
  std::string type;
  std::string id;
  int64_t version = 0;
  int64_t last_updated = 0;  // microseconds since the epoch, UTC
  Method method = Method::kCreate;
  bool deleted = false;
  std::string json;  // canonical bytes as stored (meta included); empty when deleted
};

// A care relationship between a patient and a facility, which lasts until
// `until` (the end of the encounter, say); INT64_MAX while it is open.
struct CareLink {
  std::string patient;
  std::string org;    // Organization id
  int64_t until = 0;  // microseconds
};

// A consent refusal: `patient` withholds `types` (empty: everything) from `org`
// ("*": every facility other than the one that wrote the record).
struct ConsentDeny {
  std::string patient;
  std::string org;
  std::string types;  // space-separated resource types
};

// Everything to index for one version (computed by rest/ at write time).
struct IndexRows {
  search::IndexEntries search;  // the typed search index rows (search/indexer.h)
  std::vector<std::string> patient_compartment;  // Patient ids this resource belongs to
  std::vector<CareLink> care_links;
  std::vector<ConsentDeny> consent_denies;
};

// What access control needs to know about a stored resource.
struct RecordFacts {
  std::string owner;                  // Organization id of the creating facility; may be empty
  std::vector<std::string> patients;  // its Patient compartment(s)
};

struct HistoryQuery {
  std::string type;                 // empty: system level
  std::string id;                   // empty: type or system level
  std::optional<int64_t> since;     // _since, microseconds: versions updated at or after
  std::optional<int64_t> before_seq;  // paging cursor: only entries older than this
  int count = 50;
};

struct HistoryEntry {
  int64_t seq = 0;
  ResourceVersion version;
};

struct HistoryPage {
  std::vector<HistoryEntry> entries;  // newest first
  int64_t total = 0;                  // matching entries across all pages
  std::optional<int64_t> next_before_seq;  // set when more entries follow
};

// A message in the outbox (migration 6): queued with a write, delivered by jobs/.
enum class OutboxState { kPending = 0, kDelivered = 1, kFailed = 2 };
struct OutboxItem {
  int64_t seq = 0;
  std::string topic;
  std::string key;  // unique within the topic
  std::string payload;
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  int64_t next_at = 0;  // microseconds since epoch
  int64_t created = 0;
  int64_t updated = 0;
  std::string last_error;
  std::string result;
};
// What a delivery attempt changes.
struct OutboxUpdate {
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  int64_t next_at = 0;
  std::string last_error;
  std::string result;
};
struct OutboxQuery {
  std::string topic;                  // empty: every topic
  std::optional<OutboxState> state;   // empty: every state
  int64_t due_before = 0;             // > 0: pending items with next_at <= this only
  std::optional<int64_t> before_seq;  // paging cursor: items past this seq in listing order
  int count = 100;
  bool oldest_first = false;          // delivery order; work lists show newest first
};

// A streaming read of a type's current, live resources in write order (bulk export).
struct ScanQuery {
  std::string type;
  int64_t since = 0;  // > 0: only those last updated at or after (microseconds)
  // Only resources in a Patient compartment: of any patient (`any_patient`), or of these.
  bool any_patient = false;
  std::vector<std::string> patients;
};

// A resource by type and id.
struct ResourceKey {
  std::string type;
  std::string id;
};

// Whether a stored resource is live, from the resource table alone (ReadTxn::StatesOf).
struct KeyState {
  ResourceKey key;
  bool deleted = false;
};

struct SearchResult {
  std::vector<ResourceVersion> matches;  // current, non-deleted versions
  int64_t total = -1;                    // -1 when not computed
};

class ReadTxn {
 public:
  virtual ~ReadTxn() = default;
  // The current version, deleted or not. kNotFound when it never existed.
  virtual Result<ResourceVersion> Read(std::string_view type, std::string_view id) = 0;
  virtual Result<ResourceVersion> VRead(std::string_view type, std::string_view id,
                                        int64_t version) = 0;
  virtual Result<HistoryPage> History(const HistoryQuery& query) = 0;
  virtual Result<SearchResult> Search(const search::SearchQuery& query) = 0;
  // _include / _revinclude: the current, non-deleted resources that `from` reference
  // through `spec` (reverse: that reference `from`), at most `limit`.
  virtual Result<std::vector<ResourceVersion>> Include(const search::IncludeSpec& spec,
                                                       const std::vector<ResourceKey>& from,
                                                       int limit) {
    return Status(ErrorCode::kInvalidSearchParameter, "_include is not supported by this store");
  }
  // The states of those of `keys` that exist (in no particular order; absent ones left
  // out), from the resource table alone, never the versions: bulk import's reference check
  // asks it about every referenced resource (reading each one whole made that check a random
  // read of the version table per target once a store outgrew memory).
  virtual Result<std::vector<KeyState>> StatesOf(const std::vector<ResourceKey>& keys) = 0;
  // The live resources in the Patient compartment of one of `patients` that are in another
  // patient's compartment as well (an Observation another patient performed, a Group), each
  // once: a `$export` restricted to some patients checks these one by one and lets the rest
  // through. At most 500 patients a call.
  virtual Result<std::vector<ResourceKey>> SharedCompartment(
      const std::vector<std::string>& patients) = 0;
  // Number of current, non-deleted resources of a type (all types when empty).
  virtual Result<int64_t> Count(std::string_view type) = 0;
  // The resource types the store holds any resource of (deleted ones included), sorted.
  virtual Result<std::vector<std::string>> Types() = 0;
  // Owner and patient compartment of a resource; kNotFound when unknown.
  virtual Result<RecordFacts> Facts(std::string_view type, std::string_view id) = 0;
  // True when a care link between `patient` and `org` lasts until `since` or later.
  virtual Result<bool> HasCare(std::string_view patient, std::string_view org, int64_t since) = 0;
  // The audit trail, newest first: all of it, or what concerns `patient`.
  virtual Result<std::vector<AuditRecord>> AuditTrail(std::string_view patient, int count,
                                                      std::optional<int64_t> before_seq) = 0;
  // True when an active consent of `patient` withholds resources of `type` from `org`.
  virtual Result<bool> ConsentDenies(std::string_view patient, std::string_view org,
                                     std::string_view type) = 0;
  // Outbox items, by the query's filters.
  virtual Result<std::vector<OutboxItem>> Outbox(const OutboxQuery& query) = 0;
  // Calls `fn` for each resource the scan selects, in write order, on one snapshot, without
  // holding more than one in memory; stops at the first non-ok Status and returns it.
  virtual Status Scan(const ScanQuery& query,
                      const std::function<Status(const ResourceVersion&)>& fn) = 0;
  // A fact about how this store's data was built (store_setting: keys in kSetting*);
  // nullopt when never set.
  virtual Result<std::optional<std::string>> Setting(std::string_view key) = 0;
};

// The UTC offset, in minutes, at which the search index read values without a zone
// (search/date_range.h); absent in stores built before it was recorded (those read UTC).
inline constexpr std::string_view kSettingZonelessOffset = "search.zoneless_offset_minutes";
// Present while `healthbook reindex` runs: an interrupted reindex left index rows built at
// two offsets, and the store must be reindexed again before it is served.
inline constexpr std::string_view kSettingReindexing = "search.reindexing";

struct PutRequest {
  std::string_view type;
  std::string_view id;
  int64_t version = 1;       // must be the current version + 1 (1 for new)
  int64_t last_updated = 0;  // from WriteTxn::Now()
  Method method = Method::kCreate;
  std::string_view json;     // empty for deletes
  const IndexRows* index = nullptr;  // null for deletes
  std::string_view owner;    // the creating facility's Organization id (version 1 only)
};

class WriteTxn : public ReadTxn {
 public:
  // The timestamp for versions written in this work item; never decreases.
  virtual int64_t Now() const = 0;
  // Writes a new version (or a delete marker when method is kDelete).
  virtual Status Put(const PutRequest& request) = 0;
  // Appends audit records to the hash-chained trail (seq and hash are set here).
  virtual Status AppendAudit(std::vector<AuditRecord>& records) = 0;
  // Runs `fn` in a nested savepoint: on error only its effects are undone.
  virtual Status Nested(const std::function<Status()>& fn) = 0;
  // Queues a message for delivery after this transaction commits. A second enqueue of the
  // same (topic, key) changes nothing and returns false; true when queued.
  virtual Result<bool> EnqueueOutbox(std::string_view topic, std::string_view key,
                                     std::string_view payload) = 0;
  // Records a delivery attempt's outcome; kNotFound for an unknown seq.
  virtual Status UpdateOutbox(int64_t seq, const OutboxUpdate& update) = 0;
  // Puts a failed or delivered item back in the queue, with a new payload when given (a
  // corrected claim resubmitted under the same key).
  virtual Status RequeueOutbox(int64_t seq, std::optional<std::string_view> payload) = 0;
  // Replaces the search index rows of the current version of a live resource, without a
  // new version (reindexing after the search parameters changed). kNotFound if unknown.
  virtual Status ReplaceSearchIndex(std::string_view type, std::string_view id,
                                    const search::IndexEntries& entries) = 0;
  // Sets (or, with nullopt, removes) a store setting (ReadTxn::Setting).
  virtual Status SetSetting(std::string_view key, std::optional<std::string_view> value) = 0;
};

struct StoreStats {
  int64_t resources = 0;
  int64_t versions = 0;
  int64_t commit_groups = 0;
  int64_t committed_writes = 0;
};

// The outcome of walking the audit chain (see VerifyAuditChain).
struct AuditChainReport {
  int64_t links = 0;          // records checked
  bool intact = true;
  int64_t first_bad_seq = 0;  // when not intact
  std::string problem;        // what is wrong there
  std::string last_hash;      // hex of the newest record's hash (keep it elsewhere)
};

class ResourceStore {
 public:
  virtual ~ResourceStore() = default;
  virtual std::unique_ptr<ReadTxn> BeginRead() = 0;
  using WorkFn = std::function<Status(WriteTxn&)>;
  using DoneFn = std::function<void(Status)>;
  // Queues `work`; `done` runs on the writer thread after commit (or failure).
  virtual void Write(WorkFn work, DoneFn done) = 0;
  // Convenience: Write and wait.
  Status WriteSync(WorkFn work);
  // Listeners are called on the writer thread after each successful commit, in the order
  // added, before the writes' `done` callbacks, with the resources written in it (a few
  // whose nested work rolled back may be among them: listeners re-read what they need).
  // They must return quickly (hand work to another thread). Add them before the first
  // write; not thread-safe against concurrent writes.
  using CommitListener = std::function<void(const std::vector<ResourceKey>&)>;
  virtual void AddCommitListener(CommitListener listener) = 0;
  virtual StoreStats Stats() = 0;
  // Recomputes every hash of the audit trail.
  virtual Result<AuditChainReport> VerifyAuditChain() = 0;
  // Stops the writer after draining the queue. Idempotent.
  virtual void Close() = 0;
};

}  // namespace hb::storage
