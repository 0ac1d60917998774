// MllpSend: one HL7 v2 message out over MLLP, and the receiver's answer (its ACK) back.
//
// Blocking, with a deadline for each step (connect, send, the reply), on a fresh connection
// per message: orders are few, and a new connection never inherits a half-read reply from an
// earlier timeout. TCP_NODELAY is set. Used by the outbox sender of lab orders, which runs on
// the outbox worker's thread and turns failures into retries.
//
// Contract: thread-safe (no shared state). Failures: kUnavailable when the peer cannot be
// reached, closes without answering, or does not answer in time (a retry may succeed);
// kMalformedHl7 when what comes back is not an MLLP frame (junk, an oversize or cut frame).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::lis {

struct MllpClientOptions {
  std::string host;
  uint16_t port = 0;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds reply_timeout{30000};  // from the end of sending
  size_t max_reply_bytes = 1 << 20;
};

// Sends `message` (HL7 text in its wire character set, unframed) and returns the first frame
// that comes back, unframed.
Result<std::string> MllpSend(const MllpClientOptions& options, std::string_view message);

}  // namespace hb::lis
