// AdminService: accounts managed over the API (the CLI's `user` commands).
//
//   GET  /admin/accounts                       list (a facility admin: their facility)
//   POST /admin/accounts                       {name, role, facility?, display?,
//                                              practitioner?, patient?, password?}
//                                              -> 201 {name, role, password?}
//   POST /admin/accounts/{name}/disable | /enable | /password ({password?})
// Allowed to system administrators, operator tokens, and facility administrators
// for the accounts of their own facility (who cannot grant the province-wide
// roles). Every change is audited. Passwords follow the policy; a missing one is
// generated and returned once.
// Thread-safety: thread-safe.
#pragma once

#include <functional>
#include <string>

#include "access/audit_sink.h"
#include "access/principal.h"
#include "http/message.h"
#include "storage/account_store.h"

namespace hb::rest {

class AdminService {
 public:
  AdminService(storage::AccountStore& accounts, access::AuditSink* sink)
      : accounts_(accounts), sink_(sink) {}
  void Handle(http::Request&& req, const access::Principal& who, http::Responder respond);
  // Checks a new account against the facility it names (the composition root wires the
  // commune-station rule, app/account_facility.h): an error refuses the account with its
  // code (422), a non-empty text is a warning answered with the 201 ("warning"). Set before
  // serving.
  using AccountCheck = std::function<Result<std::string>(const storage::Account&)>;
  void SetAccountCheck(AccountCheck check) { check_ = std::move(check); }

 private:
  storage::AccountStore& accounts_;
  access::AuditSink* sink_;
  AccountCheck check_;
};

}  // namespace hb::rest
