// Server: an HTTP/1.1 server on Boost.Beast + Asio. Knows nothing of FHIR.
//
// Design: one io_context run by `threads` threads; each connection lives on its own strand and
// loops async read -> handler -> async write with keep-alive and pipelining; its read buffer,
// parser state and response head buffer are reused across requests. No lock is taken per
// request (a mutex guards the connection registry, touched once per connection).
//
// Contract:
//  - Start() loads the TLS certificate and key (when set), checks the CORS origins, binds and
//    listens; it fails with ErrorCode::kUnavailable when the address is in use or cannot be
//    bound ("cannot listen on 127.0.0.1:8080: address already in use"), and kInvalidArgument for
//    a malformed host, a bad TLS file ("cannot load the TLS certificate 'x.pem': no start line")
//    or a malformed CORS origin.
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
//  - The idle timeout bounds the wait for the next request, a body upload without progress, and
//    writing a response; it does not apply while the handler works. The header timeout bounds
//    a request header from its first byte (on a new connection: from accept, TLS handshake
//    included); a partial header past it gets 408 and close, a silent connection is closed.
//  - Limits, answered before the handler: a connection beyond max_connections gets 503 (with
//    Retry-After) to its first request and is closed (beyond max_connections + max(64, 1/8 of
//    it), it is closed at once); a client address whose token bucket is empty gets 429 with
//    Retry-After (loopback addresses exempt unless rate_limit_loopback).
//  - TLS (tls_cert_file and tls_key_file both set): HTTPS only, TLS 1.2+ with ECDHE and AEAD
//    ciphers (see internal/tls_context.h); every response carries Strict-Transport-Security.
//  - CORS (cors_origins not empty): a request whose Origin is listed gets
//    Access-Control-Allow-Origin (that origin) and Vary: Origin on its response, and its
//    preflight (OPTIONS + Access-Control-Request-Method) is answered 204 by the server itself.
//    Other origins get no CORS headers.
//  - Destroy the Server only after Run() has returned (or was never called). Responders still
//    held elsewhere stay safe to call; they keep the internals alive until they are released.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/message.h"

namespace hb::http {

namespace internal {
struct Core;
}

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                // 0 = pick a free port (tests)
  unsigned threads = 0;                // 0 = hardware_concurrency
  size_t max_body_bytes = 32 << 20;    // larger bodies get 413 without reading them
  size_t max_header_bytes = 64 << 10;  // larger headers get 431
  std::chrono::seconds idle_timeout{75};
  std::chrono::seconds header_timeout{10};  // a request header must be complete within this
  bool access_log = true;  // one spdlog line per request: remote, method, target, status, bytes, ms
  ErrorRenderer render_error;               // optional; default: text/plain
  std::chrono::seconds shutdown_grace{10};  // Stop(): how long in-flight requests may take

  size_t max_connections = 10000;    // open connections; beyond: 503 and close. 0 = no limit
  double rate_limit_per_s = 200;     // requests per second per client address; 0 = no limit
  double rate_limit_burst = 400;     // bucket size: requests allowed at once after a quiet time
  bool rate_limit_loopback = false;  // false: 127.0.0.0/8 and ::1 are not limited

  std::string tls_cert_file;  // PEM certificate chain; with tls_key_file: HTTPS only
  std::string tls_key_file;   // PEM private key (unencrypted)

  std::vector<std::string> cors_origins;   // "https://app.example.vn"; empty: no CORS at all
  std::chrono::seconds cors_max_age{600};  // Access-Control-Max-Age of preflight answers
  bool cors_credentials = false;           // send Access-Control-Allow-Credentials: true (cookies)
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
