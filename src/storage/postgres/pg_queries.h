// The SQL the PostgreSQL store runs (resources/sql/postgresql), shared by its read and
// write transactions. Internal to storage/postgres; every function runs on the caller's
// connection, inside whatever transaction it has open.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "storage/postgres/connection.h"
#include "storage/resource_store.h"
#include "storage/sql/param_ids.h"

namespace hb::storage::postgres {

using sql::ParamIds;

// A row of (type, id, version, last_updated, method, json).
Result<ResourceVersion> VersionRow(const PgResult& r, int row);

Result<ResourceVersion> ReadCurrent(Connection& c, std::string_view type, std::string_view id);
Result<ResourceVersion> ReadVersion(Connection& c, std::string_view type, std::string_view id,
                                    int64_t version);
Result<HistoryPage> ReadHistory(Connection& c, const HistoryQuery& q);
Result<int64_t> CountCurrent(Connection& c, std::string_view type);
Result<std::vector<std::string>> ReadTypes(Connection& c);
// store_setting (ReadTxn::Setting, WriteTxn::SetSetting).
Result<std::optional<std::string>> ReadSetting(Connection& c, std::string_view key);
Status WriteSetting(Connection& c, std::string_view key, std::optional<std::string_view> value);
// Streams through a cursor (FETCH in batches): the caller's connection must be inside a
// transaction.
Status ScanResources(Connection& c, const ScanQuery& q,
                     const std::function<Status(const ResourceVersion&)>& fn);
Result<RecordFacts> ReadFacts(Connection& c, std::string_view type, std::string_view id);
Result<bool> ReadConsentDenies(Connection& c, std::string_view patient, std::string_view org,
                               std::string_view type);
Result<bool> ReadHasCare(Connection& c, std::string_view patient, std::string_view org,
                         int64_t since);
Result<std::vector<AuditRecord>> ReadAuditTrail(Connection& c, std::string_view patient, int count,
                                                std::optional<int64_t> before_seq);
Result<AuditChainReport> CheckAuditChain(Connection& c);
Result<std::vector<OutboxItem>> ReadOutbox(Connection& c, const OutboxQuery& q);

// The current versions (deleted ones too) of those of `keys` that exist, in one statement.
Result<std::vector<ResourceVersion>> ReadCurrentMany(Connection& c,
                                                     const std::vector<ResourceKey>& keys);
// The states of those of `keys` that exist, in one statement (ReadTxn::StatesOf).
Result<std::vector<KeyState>> ReadStatesMany(Connection& c, const std::vector<ResourceKey>& keys);
// ReadTxn::SharedCompartment, in one statement.
Result<std::vector<ResourceKey>> ReadSharedCompartment(Connection& c,
                                                       const std::vector<std::string>& patients);

// Writes (the writer connection, inside the group's transaction and the item's savepoint).

// New resources (version 1), written together: Send() inserts all of them, their versions
// and all of their index, full-text, compartment, care and consent rows in one pipelined
// statement, in the order added (their rids and version seqs follow it). A resource whose
// (type, id) exists already fails the statement's check with kConflict ("resource T/id
// already exists"), as its own create would; the whole statement's effects then belong to
// the failed work item, which rolls back. The PutRequest's data is copied at Add().
class CreateBatch {
 public:
  CreateBatch();
  ~CreateBatch();
  CreateBatch(const CreateBatch&) = delete;
  CreateBatch& operator=(const CreateBatch&) = delete;
  void Add(const ParamIds& params, const PutRequest& r);
  size_t size() const;
  bool empty() const { return size() == 0; }
  // True when `type/id` is in the batch (a second create of it must not join the batch).
  bool Holds(std::string_view type, std::string_view id) const;
  // Enough for one statement.
  bool Full() const;
  // Sends what was added as one pipelined statement (connection.h) and empties the batch.
  void Send(Connection& c);
  static constexpr size_t kMaxResources = 128;
  static constexpr size_t kMaxBytes = 4 << 20;

 private:
  struct Columns;
  std::unique_ptr<Columns> columns_;
};

// The next version of a stored resource (new resources go through a CreateBatch).
Status WriteVersion(Connection& c, const ParamIds& params, const PutRequest& r);
Status ReplaceIndexRows(Connection& c, const ParamIds& params, std::string_view type,
                        std::string_view id, const search::IndexEntries& entries);
Status AppendAuditRecords(Connection& c, std::vector<AuditRecord>& records);
Result<bool> EnqueueOutboxRow(Connection& c, int64_t now, std::string_view topic,
                              std::string_view key, std::string_view payload);
Status UpdateOutboxRow(Connection& c, int64_t now, int64_t seq, const OutboxUpdate& u);
Status RequeueOutboxRow(Connection& c, int64_t now, int64_t seq,
                        std::optional<std::string_view> payload);

// "Type/id": the key of a resource in the writer's maps (pg_writes.cpp).
std::string KeyOf(std::string_view type, std::string_view id);

}  // namespace hb::storage::postgres
