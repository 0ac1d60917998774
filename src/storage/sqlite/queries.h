// The SQL the SQLite store runs, shared by its read and write transactions.
// Internal to storage/sqlite.
#pragma once

#include <functional>

#include <string>
#include <unordered_map>

#include "storage/resource_store.h"
#include "storage/sql/param_ids.h"
#include "storage/sql/rows.h"
#include "storage/sqlite/database.h"

namespace hb::storage::sqlite {

// (type + '\0' + code) -> pid, immutable after open; version.method as stored.
using sql::ParamIds;
using sql::ParamKey;
using sql::MethodFromInt;

Result<ResourceVersion> ReadCurrent(Database& db, std::string_view type, std::string_view id);
Result<ResourceVersion> ReadVersion(Database& db, std::string_view type, std::string_view id,
                                    int64_t version);
Result<HistoryPage> ReadHistory(Database& db, const HistoryQuery& q);
Result<int64_t> CountCurrent(Database& db, std::string_view type);
Result<std::vector<std::string>> ReadTypes(Database& db);
// store_setting (ReadTxn::Setting, WriteTxn::SetSetting).
Result<std::optional<std::string>> ReadSetting(Database& db, std::string_view key);
Status WriteSetting(Database& db, std::string_view key, std::optional<std::string_view> value);
Status ScanResources(Database& db, const ScanQuery& q,
                     const std::function<Status(const ResourceVersion&)>& fn);
// The row id of a live (not deleted) resource; kNotFound otherwise.
Result<int64_t> LiveRid(Database& db, std::string_view type, std::string_view id);
// ReadTxn::SharedCompartment.
Result<std::vector<ResourceKey>> ReadSharedCompartment(Database& db,
                                                       const std::vector<std::string>& patients);
// The states of those of `keys` that exist (ReadTxn::StatesOf).
Result<std::vector<KeyState>> ReadStates(Database& db, const std::vector<ResourceKey>& keys);
Result<RecordFacts> ReadFacts(Database& db, std::string_view type, std::string_view id);
Result<bool> ReadConsentDenies(Database& db, std::string_view patient, std::string_view org,
                               std::string_view type);
Result<bool> ReadHasCare(Database& db, std::string_view patient, std::string_view org,
                         int64_t since);
class FullTextBuffer;  // index_writer.h
// Writes one version and its index rows; its full-text row goes to `fulltext`.
Status WriteVersion(Database& db, const ParamIds& params, const PutRequest& r,
                    FullTextBuffer& fulltext);
Status AppendAuditRecords(Database& db, std::vector<AuditRecord>& records);
Result<std::vector<AuditRecord>> ReadAuditTrail(Database& db, std::string_view patient, int count,
                                                std::optional<int64_t> before_seq);
Result<AuditChainReport> CheckAuditChain(Database& db);

}  // namespace hb::storage::sqlite
