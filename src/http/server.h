// Server: an HTTP/1.1 server on Boost.Beast + Asio. Knows nothing of FHIR.
//
// Design: one io_context run by `threads` threads; each connection lives on its own strand and
// loops async read -> handler -> async write with keep-alive and pipelining; its read buffer,
// parser state and response head buffer are reused across requests. No lock is taken per
// request (a mutex guards the connection registry, touched once per connection).
//
// Contract:
//  - Start() binds and listens; it fails with ErrorCode::kUnavailable when the address is in
//    use or cannot be bound ("cannot listen on 127.0.0.1:8080: address already in use") and
//    kInvalidArgument for a malformed host.
//  - Run() blocks, running the io threads (the caller's thread is one of them), until Stop().
//  - Stop() is thread-safe but not async-signal-safe (use StopOnSignals or a signal thread).
//    It stops accepting, closes idle connections, lets in-flight requests finish (their
//    responses carry "Connection: close"), and after options.shutdown_grace closes the rest.
//  - Responses may be completed from any thread (Responder); they are posted back to the
//    connection's strand. A response for a connection that has closed is dropped.
//  - Transport errors: malformed request -> 400 and close; Content-Length over max_body_bytes
//    -> 413 without reading the body, and close; header over max_header_bytes -> 431 and close.
//    "Expect: 100-continue" is answered. HEAD gets GET's headers without the body.
//  - Every response carries Date, Server: healthbook and Content-Length (none on 1xx/204/304).
//    Extra headers containing CR or LF are dropped (no header injection).
//  - The idle timeout bounds the wait for the next request (header included), a body upload
//    without progress, and writing a response; it does not apply while the handler works.
//  - Destroy the Server only after Run() has returned (or was never called). Responders still
//    held elsewhere stay safe to call; they keep the internals alive until they are released.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "http/message.h"

namespace hb::http {

namespace internal {
struct Core;
}

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;              // 0 = pick a free port (tests)
  unsigned threads = 0;              // 0 = hardware_concurrency
  size_t max_body_bytes = 32 << 20;  // larger bodies get 413 without reading them
  size_t max_header_bytes = 64 << 10;
  std::chrono::seconds idle_timeout{75};
  bool access_log = true;  // one spdlog line per request: remote, method, target, status, bytes, ms
  ErrorRenderer render_error;               // optional; default: text/plain
  std::chrono::seconds shutdown_grace{10};  // Stop(): how long in-flight requests may take
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status Start();         // binds and listens
  uint16_t port() const;  // the bound port (after Start)
  void Run();             // runs the io threads; blocks until Stop() and the drain are done
  void Stop();            // thread-safe; idempotent
  void StopOnSignals();   // call before Run(): SIGINT/SIGTERM -> logs "shutting down", Stop()

 private:
  std::shared_ptr<internal::Core> core_;
};

}  // namespace hb::http
