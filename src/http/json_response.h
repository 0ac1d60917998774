// The plain JSON answers of the non-FHIR endpoints (login, accounts, webhooks, health):
// Content-Type application/json; charset=utf-8 and the body as given (already JSON).
//
// Contract: pure; thread-safe.
#pragma once

#include <string>

#include "http/message.h"

namespace hb::http {

// `no_store` adds Cache-Control: no-store, for answers that carry tokens or account data.
Response JsonResponse(int status, std::string body, bool no_store = false);

}  // namespace hb::http
