// Small helpers shared by the SQL stores' row mapping (storage/sqlite, storage/postgres).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/resource_store.h"

namespace hb::storage::sql {

// version.method as stored: 0 create, 1 update, 2 patch, 3 delete.
inline Method MethodFromInt(int64_t m) {
  switch (m) {
    case 0:
      return Method::kCreate;
    case 1:
      return Method::kUpdate;
    case 2:
      return Method::kPatch;
    default:
      return Method::kDelete;
  }
}
inline int64_t MethodToInt(Method m) {
  switch (m) {
    case Method::kCreate:
      return 0;
    case Method::kUpdate:
      return 1;
    case Method::kPatch:
      return 2;
    case Method::kDelete:
      return 3;
  }
  return 1;
}

// Lower-case hex of raw bytes (audit hashes).
inline std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

inline Status NotKnown(std::string_view type, std::string_view id) {
  return Status(ErrorCode::kNotFound,
                "resource " + std::string(type) + "/" + std::string(id) + " is not known");
}
inline Status VersionNotKnown(std::string_view type, std::string_view id, int64_t version) {
  return Status(ErrorCode::kNotFound, "version " + std::to_string(version) + " of " +
                                          std::string(type) + "/" + std::string(id) +
                                          " is not known");
}

// The outbox columns both stores select, in the order OutboxItemFromRow reads them.
inline constexpr const char* kOutboxColumns =
    "seq, topic, key, payload, state, attempts, next_at, created, updated, last_error, result";

// An outbox item from one row selected with kOutboxColumns: `int_at(col)` gives an integer
// column, `text_at(col)` a text one and `bytes_at(col)` the payload's bytes (each store reads
// its own kind of row).
template <typename IntAt, typename TextAt, typename BytesAt>
OutboxItem OutboxItemFromRow(IntAt int_at, TextAt text_at, BytesAt bytes_at) {
  OutboxItem o;
  o.seq = int_at(0);
  o.topic = std::string(text_at(1));
  o.key = std::string(text_at(2));
  o.payload = std::string(bytes_at(3));
  o.state = static_cast<OutboxState>(int_at(4));
  o.attempts = static_cast<int>(int_at(5));
  o.next_at = int_at(6);
  o.created = int_at(7);
  o.updated = int_at(8);
  o.last_error = std::string(text_at(9));
  o.result = std::string(text_at(10));
  return o;
}

// Enqueueing needs both parts of the outbox key.
inline Status CheckOutboxKey(std::string_view topic, std::string_view key) {
  if (topic.empty() || key.empty()) {
    return Status(ErrorCode::kInvalidArgument, "an outbox item needs a topic and a key");
  }
  return Status::Ok();
}
inline Status NoOutboxItem(int64_t seq) {
  return Status(ErrorCode::kNotFound, "no outbox item " + std::to_string(seq));
}

}  // namespace hb::storage::sql
