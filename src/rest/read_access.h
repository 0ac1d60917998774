// Need-to-know on the read side: checks each record a read, history or search
// would return against the AccessPolicy, drops what the caller may not see,
// and records the accesses to patient data in the audit trail.
//
// Thread-compatible: one per request.
#pragma once

#include <set>
#include <string>
#include <string_view>
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
  // May resources of `type` be returned at all (the token's scopes and the role,
  // AccessPolicy::CheckInteraction for read)? For what a search returns that is not of the
  // searched type: the containers of `_contained` matches and the contained resources of
  // `_containedType=contained`. A refusal is recorded once per type.
  Status CheckType(std::string_view type);
  // A resource of `type` with id `contained_id` inside `container` (its JSON read from the
  // container), returned alone (_containedType=contained): when the container or `type` is
  // patient data, the container's record (its patients, its owner) is checked both as the
  // container's type and as `type`, so that a Consent withholding either withholds it, and
  // the access is recorded as "<container type>/<container id>#<contained id>".
  Status CheckContained(storage::ReadTxn& txn, const storage::ResourceVersion& container,
                        std::string_view type, std::string_view contained_id);
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
  // The record `record` as `types` (each checked; the first refusal wins), then the patients'
  // Consents for `consent_types` (what it contains), recorded as `what`.
  Status CheckRecordAs(storage::ReadTxn& txn, const storage::ResourceVersion& record,
                       const std::vector<std::string_view>& types, const std::string& what,
                       const std::vector<std::string>& consent_types = {});

  const access::Principal& p_;
  const access::AccessPolicy& policy_;
  access::AuditSink* sink_;
  std::string interaction_;
  std::vector<storage::AuditRecord> records_;
  std::set<std::string, std::less<>> refused_types_;  // CheckType's refusals, recorded once
};

}  // namespace hb::rest
