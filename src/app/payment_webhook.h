// The plain (non-FHIR) HTTP routes of billing:
//   POST /payments/webhook/{bank}   a bank's or gateway's transfer notification: JSON
//                                   {"transaction_id","amount","description",...}, signed
//                                   with the bank's secret (header X-Signature: hex
//                                   HMAC-SHA256 of the raw body). 401 on a bad signature (nothing
//                                   is written), 200 with the ledger outcome otherwise; a replay
//                                   answers 200 with "duplicate": true and changes nothing.
//   GET  /api/invoices/{id}/stream  server-sent events of the invoice's status (authenticated)
//   GET  /api/receipts/verify?invoice=&paid=&token=  checks a printed receipt (public: it
//                                   tells only whether the receipt is genuine and current)
// Contract and examples: docs/implementation/billing.md. Handlers are thread-safe; the store,
// hub and context outlive the router.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "common/status.h"
#include "http/message.h"
#include "http/router.h"
#include "operations/billing_support.h"
#include "storage/resource_store.h"

namespace hb::app {

struct PaymentRoutes {
  storage::ResourceStore* store = nullptr;
  operations::BillingContextPtr billing;               // its hub serves the streams
  std::map<std::string, std::string> webhook_secrets;  // bank -> secret
  // Checks the caller's credential for the stream; OK when security is off.
  std::function<Status(const http::Request&)> authenticate;
};

// "bank:secret" entries (configuration) -> a map; an entry without ':' is an error.
Result<std::map<std::string, std::string>> ParseWebhookSecrets(
    const std::vector<std::string>& entries);
void AddPaymentRoutes(http::Router& router, PaymentRoutes routes);
// The receipt signing key kept in the data folder (created, mode 0600, on first use), for
// when payments.receipt_secret is not configured: receipts stay verifiable across restarts.
Result<std::string> LoadOrCreateSecret(const std::string& path);

}  // namespace hb::app
