// Principal: who is making a request, as established by authentication.
//
// Contract: a plain value built once per request (from a verified token or a
// session); immutable afterwards. Thread-compatible.
#pragma once

#include <string>

#include "access/roles.h"
#include "auth/scopes.h"

namespace hb::access {

struct Principal {
  std::string subject;       // "user:<name>", "client:<client_id>" or "operator"
  Role role = Role::kSystem;
  std::string facility;      // MA_CSKCB code of the user's or client's facility
  std::string facility_org;  // the Organization id of that facility ("" when none)
  std::string practitioner;  // Practitioner id of staff
  std::string patient;       // the citizen's own Patient id (role citizen)
  auth::ScopeSet scopes;     // what the token grants
  std::string token_id;      // jti of the access token
  // Per request:
  std::string remote;             // client address
  std::string break_glass_reason; // X-Break-Glass-Reason, when given
};

}  // namespace hb::access

#include "storage/audit_record.h"

namespace hb::access {

// An audit record of `p` doing `interaction` (action C R U D E) on `what`.
storage::AuditRecord MakeAudit(const Principal& p, std::string_view action,
                               std::string_view interaction, int outcome,
                               std::string_view patient, std::string_view what,
                               std::string_view reason = {}, bool flagged = false);

}  // namespace hb::access
