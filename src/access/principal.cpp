#include "access/principal.h"

#include "common/clock.h"

namespace hb::access {

storage::AuditRecord MakeAudit(const Principal& p, std::string_view action,
                               std::string_view interaction, int outcome,
                               std::string_view patient, std::string_view what,
                               std::string_view reason, bool flagged) {
  storage::AuditRecord r;
  r.recorded = NowMicros();
  r.action = std::string(action);
  r.interaction = std::string(interaction);
  r.outcome = outcome;
  r.agent = p.subject;
  r.role = std::string(RoleName(p.role));
  r.facility = p.facility;
  r.address = p.remote;
  r.patient = std::string(patient);
  r.what = std::string(what);
  r.reason = std::string(reason.empty() && flagged ? p.break_glass_reason : reason);
  r.flagged = flagged;
  return r;
}

}  // namespace hb::access
