// The client of the national e-prescription system (Hệ thống Đơn thuốc quốc gia): posts
// the message of one prescription (clinical/eprescription.h, PrescriptionMessageJson) as
// JSON to <url><path>, with a bearer token when configured, and classifies the answer for
// the outbox (jobs/outbox_worker.h): 2xx delivered; 400/401/403/404/409/422 refused for good
// (to the failed work list, with the answer); anything else, or no answer, retried.
// The receiver must be idempotent on ma_don_thuoc (the outbox key): a resend after a crash
// carries the same code.
//
// Contract: thread-safe (common/outbound_http.h, one connection per call). Never throws.
#pragma once

#include <chrono>
#include <string>

namespace hb::clinical {

struct EPrescriptionOptions {
  std::string url;  // base, http:// or https://; empty: off
  std::string path = "/api/v1/don-thuoc";
  std::string token;
  std::chrono::milliseconds timeout{10000};
};

enum class SendOutcome { kDelivered, kRetry, kRefused };

struct SendResult {
  SendOutcome outcome = SendOutcome::kRetry;
  long status = 0;     // HTTP status, 0 without an answer
  std::string detail;  // the answer's body, or the transport error
};

SendResult SendPrescription(const EPrescriptionOptions& options, const std::string& message_json);

}  // namespace hb::clinical
