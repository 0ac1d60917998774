// BatchReads: an optional capability of a store's transactions, reading the current
// versions of many resources in one statement. A store whose reads cost a round trip each
// (PostgreSQL) implements it on its transactions; its write transaction then answers its
// own Read of those keys from what the batch read found, until it writes the key. Bulk
// import (jobs/bulk_import.cpp) reads each batch at once before writing it (so neither its
// read nor rest::Update's costs a round trip per resource) and checks the references at
// the end in chunks. Stores without it (SQLite, whose reads are in-process) are served one
// Read per key.
#pragma once

#include <vector>

#include "common/result.h"
#include "storage/resource_store.h"

namespace hb::storage {

class BatchReads {
 public:
  virtual ~BatchReads() = default;
  // The current versions, deleted ones included, of the resources of `keys` that exist
  // (in no particular order; absent ones are left out).
  virtual Result<std::vector<ResourceVersion>> ReadMany(const std::vector<ResourceKey>& keys) = 0;
};

// The current versions (deleted ones too) of those of `keys` that exist: through the
// transaction's BatchReads when it has one, otherwise one Read per key.
inline Result<std::vector<ResourceVersion>> ReadMany(ReadTxn& txn,
                                                     const std::vector<ResourceKey>& keys) {
  if (auto* batch = dynamic_cast<BatchReads*>(&txn)) return batch->ReadMany(keys);
  std::vector<ResourceVersion> out;
  out.reserve(keys.size());
  for (const ResourceKey& key : keys) {
    auto v = txn.Read(key.type, key.id);
    if (v.ok()) {
      out.push_back(std::move(v).value());
    } else if (v.status().code() != ErrorCode::kNotFound) {
      return v.status();
    }
  }
  return out;
}

// Lets `txn` read the current versions of `keys` in one go when it has BatchReads (a write
// transaction's Reads of them are then answered without a round trip each); does nothing
// otherwise, where a Read costs no round trip.
inline Status Prefetch(ReadTxn& txn, const std::vector<ResourceKey>& keys) {
  auto* batch = dynamic_cast<BatchReads*>(&txn);
  if (batch == nullptr || keys.empty()) return Status::Ok();
  auto found = batch->ReadMany(keys);
  return found.ok() ? Status::Ok() : found.status();
}

}  // namespace hb::storage
