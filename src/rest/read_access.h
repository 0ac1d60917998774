// Need-to-know on the read side: checks each record a read, history or search
// would return against the AccessPolicy, drops what the caller may not see,
// and records the accesses to patient data in the audit trail.
//
// Thread-compatible: one per request.
#pragma once

#include <string>
#include <vector>

#include "access/access_policy.h"
#include "access/audit_sink.h"
#include "access/principal.h"
#include "storage/resource_store.h"

namespace hb::rest {

class ReadAccess {
 public:
  ReadAccess(const access::Principal& principal, const access::AccessPolicy& policy,
             access::AuditSink* sink, std::string interaction)
      : p_(principal), policy_(policy), sink_(sink), interaction_(std::move(interaction)) {}

  // May `v` be returned? Records the access (or the refusal) for the audit.
  Status Check(storage::ReadTxn& txn, const storage::ResourceVersion& v);
  // Removes what may not be returned; true when something was removed.
  template <typename T, typename Get>
  bool Filter(storage::ReadTxn& txn, std::vector<T>& items, Get get) {
    size_t kept = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!Check(txn, get(items[i])).ok()) continue;
      if (kept != i) items[kept] = std::move(items[i]);  // never self-move: it would empty it
      ++kept;
    }
    bool removed = kept != items.size();
    items.resize(kept);
    return removed;
  }
  // A refusal before any record was read (scopes, role).
  void Refused(std::string_view what, const Status& why);
  // Sends the collected audit records; call once, at the end of the request.
  void Commit();

 private:
  const access::Principal& p_;
  const access::AccessPolicy& policy_;
  access::AuditSink* sink_;
  std::string interaction_;
  std::vector<storage::AuditRecord> records_;
};

}  // namespace hb::rest
