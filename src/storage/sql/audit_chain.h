// AuditChainWalk: checks an audit trail record by record, in seq order, against its hash
// chain (storage/audit_record.h), for the stores' VerifyAuditChain. Value type.
#pragma once

#include <string>

#include "storage/audit_record.h"
#include "storage/resource_store.h"
#include "storage/sql/rows.h"

namespace hb::storage::sql {

class AuditChainWalk {
 public:
  // Checks the next record; false once the chain is broken (the report says where).
  bool Next(const AuditRecord& r) {
    ++report_.links;
    if (r.seq != last_seq_ + 1) {
      report_.intact = false;
      report_.first_bad_seq = r.seq;
      report_.problem = "records " + std::to_string(last_seq_ + 1) + " to " +
                        std::to_string(r.seq - 1) + " are missing";
      return false;
    }
    if (ChainHash(prev_, r) != r.hash) {
      report_.intact = false;
      report_.first_bad_seq = r.seq;
      report_.problem = "record " + std::to_string(r.seq) +
                        " does not match its hash: it, or one before it, was altered";
      return false;
    }
    prev_ = r.hash;
    last_seq_ = r.seq;
    return true;
  }
  int64_t last_seq() const { return last_seq_; }
  // The report, with the hash of the last intact record.
  AuditChainReport Finish() {
    report_.last_hash = Hex(prev_);
    return report_;
  }

 private:
  AuditChainReport report_;
  std::string prev_ = GenesisHash();
  int64_t last_seq_ = 0;
};

}  // namespace hb::storage::sql
