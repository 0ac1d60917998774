// The outbox table (migration 6) in SQLite: queue, update, list. Used by the store's read
// and write transactions; see storage/resource_store.h for the contract.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/resource_store.h"
#include "storage/sqlite/database.h"

namespace hb::storage::sqlite {

Result<bool> EnqueueOutboxRow(Database& db, int64_t now, std::string_view topic,
                              std::string_view key, std::string_view payload);
Status UpdateOutboxRow(Database& db, int64_t now, int64_t seq, const OutboxUpdate& update);
Status RequeueOutboxRow(Database& db, int64_t now, int64_t seq,
                        std::optional<std::string_view> payload);
Result<std::vector<OutboxItem>> ReadOutbox(Database& db, const OutboxQuery& query);

}  // namespace hb::storage::sqlite
