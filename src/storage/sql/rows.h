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

}  // namespace hb::storage::sql
