#include "app/payment_webhook.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>

#include "http/json_response.h"
#include "http/query.h"
#include "payments/payment_security.h"
#include "rest/outcome.h"

namespace hb::app {

namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) >= 0x20) out.push_back(c);
  }
  return out + "\"";
}

// The notification's fields; kInvalidArgument naming the first one missing or malformed.
Result<operations::TransferIn> ReadNotification(std::string_view bank, std::string_view body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject()) {
    return Status(ErrorCode::kMalformedJson, "the notification is not a JSON object");
  }
  operations::TransferIn t;
  t.bank = std::string(bank);
  t.method = "vietqr";
  if (!d.HasMember("transaction_id") || !d["transaction_id"].IsString() ||
      d["transaction_id"].GetStringLength() == 0 || d["transaction_id"].GetStringLength() > 64) {
    return Status(ErrorCode::kInvalidArgument, "transaction_id must be a string of 1-64 chars");
  }
  t.txn_id = d["transaction_id"].GetString();
  if (!d.HasMember("amount") || !d["amount"].IsInt64() || d["amount"].GetInt64() <= 0) {
    return Status(ErrorCode::kInvalidArgument, "amount must be a positive whole number of đồng");
  }
  t.amount = d["amount"].GetInt64();
  if (d.HasMember("description") && d["description"].IsString()) {
    t.text = d["description"].GetString();
  }
  return t;
}

}  // namespace

Result<std::map<std::string, std::string>> ParseWebhookSecrets(
    const std::vector<std::string>& entries) {
  std::map<std::string, std::string> out;
  for (const std::string& e : entries) {
    size_t colon = e.find(':');
    if (colon == 0 || colon == std::string::npos || colon + 1 == e.size()) {
      return Status(
          ErrorCode::kInvalidArgument,
          "payments.webhook_secrets: an entry must be BANK:SECRET (the secret not shown)");
    }
    out[e.substr(0, colon)] = e.substr(colon + 1);
  }
  return out;
}

void AddPaymentRoutes(http::Router& router, PaymentRoutes routes) {
  auto r = std::make_shared<PaymentRoutes>(std::move(routes));
  router.AddPrefix("POST", "/payments/webhook", [r](http::Request&& req, http::Responder respond) {
    std::string_view bank = req.path;
    bank.remove_prefix(std::min(bank.size(), std::string_view("/payments/webhook/").size()));
    auto secret = r->webhook_secrets.find(std::string(bank));
    if (bank.empty() || secret == r->webhook_secrets.end()) {
      return respond(rest::ErrorResponse(Status(
          ErrorCode::kNotFound, "no webhook is configured for bank '" + std::string(bank) + "'")));
    }
    // The signature is checked on the raw bytes before anything is parsed or written.
    if (!payments::VerifyHmacHex(secret->second, req.body, req.HeaderValue("X-Signature"))) {
      spdlog::warn("payment webhook {}: bad signature from {}", bank, req.remote);
      return respond(rest::ErrorResponse(
          Status(ErrorCode::kUnauthenticated, "the X-Signature does not match the body")));
    }
    auto t = ReadNotification(bank, req.body);
    if (!t.ok()) return respond(rest::ErrorResponse(t.status()));
    auto result = std::make_shared<operations::LedgerOutcome>();
    operations::BillingOptions o = r->billing->options;
    r->store->Write(
        [result, o, t = *t](storage::WriteTxn& txn) -> Status {
          // The bank is authenticated by its signature, not as a user: written unchecked.
          HB_ASSIGN_OR_RETURN(*result, operations::ApplyTransfer(txn, nullptr, o, t));
          return Status::Ok();
        },
        [r, result, respond = std::move(respond)](Status st) {
          if (!st.ok()) return respond(rest::ErrorResponse(st));
          operations::PublishInvoice(*r->billing, result->invoice_json);
          std::string body = "{\"status\":\"accepted\",\"duplicate\":" +
                             std::string(result->duplicate ? "true" : "false") +
                             ",\"outcome\":" + Quote(result->outcome) +
                             ",\"reconciliation\":" + Quote(result->reconciliation_id) +
                             ",\"invoice\":" + Quote(result->invoice_id) + "}";
          respond(http::JsonResponse(200, body));
        });
  });

  router.AddPrefix("GET", "/api/invoices", [r](http::Request&& req, http::Responder respond) {
    std::string_view p = req.path;
    p.remove_prefix(std::min(p.size(), std::string_view("/api/invoices/").size()));
    size_t slash = p.find('/');
    if (slash == std::string_view::npos || p.substr(slash) != "/stream" || slash == 0 ||
        !r->billing->hub) {
      return respond(rest::ErrorResponse(Status(ErrorCode::kNotFound, "no such stream")));
    }
    if (Status st = r->authenticate(req); !st.ok()) return respond(rest::ErrorResponse(st));
    respond(r->billing->hub->Subscribe("invoice/" + std::string(p.substr(0, slash))));
  });

  router.Add("GET", "/api/receipts/verify", [r](http::Request&& req, http::Responder respond) {
    std::string invoice, paid, token;
    for (auto& [k, v] : http::ParseQuery(req.query)) {
      if (k == "invoice") invoice = v;
      if (k == "paid") paid = v;
      if (k == "token") token = v;
    }
    const std::string& secret = r->billing->options.receipt_secret;
    char* end = nullptr;
    long long amount = std::strtoll(paid.c_str(), &end, 10);
    bool genuine = !invoice.empty() && !paid.empty() && end && *end == '\0' &&
                   payments::VerifyReceiptToken(secret, invoice, amount, token);
    std::string status = "unknown";
    int64_t current_paid = -1;
    if (genuine) {
      auto txn = r->store->BeginRead();
      if (auto v = operations::ReadInvoiceVersion(*txn, invoice); v.ok()) {
        if (auto s = payments::ReadInvoice(v->json); s.ok()) {
          status = s->status;
          current_paid = s->paid;
        }
      }
    }
    respond(http::JsonResponse(
        200, "{\"genuine\":" + std::string(genuine ? "true" : "false") + ",\"invoice\":" +
                 Quote(invoice) + ",\"status\":" + Quote(status) + ",\"current\":" +
                 std::string(genuine && current_paid == amount ? "true" : "false") + "}"));
  });
}

}  // namespace hb::app

namespace hb::app {

Result<std::string> LoadOrCreateSecret(const std::string& path) {
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[129] = {};
    size_t n = std::fread(buf, 1, 128, f);
    std::fclose(f);
    if (n >= 32) return std::string(buf, n);
  }
  std::string secret = payments::NewPaymentReference() + payments::NewPaymentReference() +
                       payments::NewPaymentReference() + payments::NewPaymentReference();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(secret.data(), 1, secret.size(), f) != secret.size()) {
    if (f) std::fclose(f);
    return Status(ErrorCode::kStorageError, "cannot write the receipt key " + path);
  }
  std::fclose(f);
  ::chmod(path.c_str(), 0600);
  return secret;
}

}  // namespace hb::app
