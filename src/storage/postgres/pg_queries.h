// The SQL the PostgreSQL store runs (resources/sql/postgresql), shared by its read and
// write transactions. Internal to storage/postgres; every function runs on the caller's
// connection, inside whatever transaction it has open.
#pragma once

#include <functional>
#include <string>

#include "storage/postgres/connection.h"
#include "storage/resource_store.h"
#include "storage/sql/param_ids.h"

namespace hb::storage::postgres {

using sql::ParamIds;

// A row of (type, id, version, last_updated, method, json).
ResourceVersion VersionRow(const PgResult& r, int row);

Result<ResourceVersion> ReadCurrent(Connection& c, std::string_view type, std::string_view id);
Result<ResourceVersion> ReadVersion(Connection& c, std::string_view type, std::string_view id,
                                    int64_t version);
Result<HistoryPage> ReadHistory(Connection& c, const HistoryQuery& q);
Result<int64_t> CountCurrent(Connection& c, std::string_view type);
Result<std::vector<std::string>> ReadTypes(Connection& c);
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

// Writes (the writer connection, inside the group's transaction and the item's savepoint).
Status WriteVersion(Connection& c, const ParamIds& params, const PutRequest& r);
Status ReplaceIndexRows(Connection& c, const ParamIds& params, std::string_view type,
                        std::string_view id, const search::IndexEntries& entries);
Status AppendAuditRecords(Connection& c, std::vector<AuditRecord>& records);
Result<bool> EnqueueOutboxRow(Connection& c, int64_t now, std::string_view topic,
                              std::string_view key, std::string_view payload);
Status UpdateOutboxRow(Connection& c, int64_t now, int64_t seq, const OutboxUpdate& u);
Status RequeueOutboxRow(Connection& c, int64_t now, int64_t seq,
                        std::optional<std::string_view> payload);

}  // namespace hb::storage::postgres
