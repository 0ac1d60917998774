// AuditRecord: one entry of the tamper-evident audit trail.
//
// Each record is chained to the one before it:
//   hash = SHA-256(previous hash || CanonicalText(record)),
// the first one to 32 zero bytes. Changing, removing or reordering any record
// breaks every hash after it, which ResourceStore::VerifyAuditChain finds.
// (Cutting records off the end is detectable only against a hash kept
// elsewhere: `healthbook audit verify` prints the last hash to record.)
// Value type; the functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hb::storage {

struct AuditRecord {
  int64_t seq = 0;  // assigned by the store
  int64_t recorded = 0;
  std::string action;       // C R U D E
  std::string interaction;  // read, search, create, login, token, ...
  int outcome = 0;          // 0 success, 4 refused, 8 failed
  std::string agent;
  std::string role;
  std::string facility;
  std::string address;
  std::string patient;
  std::string what;
  std::string reason;
  bool flagged = false;
  std::string hash;  // 32 bytes, set by the store
};

// The fields joined with U+001F, in column order (seq and hash excluded).
std::string CanonicalText(const AuditRecord& r);
// SHA-256(prev || CanonicalText(r)), 32 raw bytes.
std::string ChainHash(std::string_view prev, const AuditRecord& r);
// 32 zero bytes: the predecessor of the first record.
const std::string& GenesisHash();

}  // namespace hb::storage
