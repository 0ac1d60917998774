// Connection: one accepted socket serving HTTP/1.1 requests in sequence (keep-alive,
// pipelining) until the peer closes, an error, a timeout, or server shutdown.
//
// The connection is a template over its stream (plain TCP or Beast's ssl_stream over TCP), so
// plain HTTP pays nothing for TLS; the Core sees both through ConnectionBase.
//
// Contract (internal): every member function except Deliver runs on the connection's strand.
// Deliver may be called from any thread (it is how Responders complete a request). The read
// buffer, the response head buffer and the Response slot are reused from request to request.
// Lifetime: shared_ptr, kept alive by pending operations and by outstanding Responders.
// A connection opened beyond ServerOptions::max_connections (`over_limit`) reads one request
// and answers it 503 with "Connection: close".
#pragma once

#include <memory>

#include "http/internal/core.h"

namespace hb::http::internal {

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  virtual void Start() = 0;     // any thread: begins serving on the strand
  virtual void Shutdown() = 0;  // strand: close if idle, else close after the current response
  virtual void Close() = 0;     // strand (or no io thread running): idempotent
  const Strand& strand() const { return strand_; }

 protected:
  explicit ConnectionBase(Strand strand) : strand_(std::move(strand)) {}
  Strand strand_;
};

// A plain or TLS connection (core->tls decides), not started yet.
std::shared_ptr<ConnectionBase> MakeConnection(std::shared_ptr<Core> core, Socket socket,
                                               bool over_limit);

}  // namespace hb::http::internal
