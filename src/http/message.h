// HTTP messages as the application sees them: Request, Response, and the handler types.
//
// Contract: plain values, thread-compatible. A Handler is called on one of the server's io
// threads with the request moved in, and must arrange for its Responder to be called exactly
// once, from any thread, now or later. A Responder is cheap to move and safe to call after the
// client has gone away or the server has stopped (the response is then dropped). A Handler that
// throws gets a 500 (if it has not responded yet). A Handler should not block for long: it holds
// one of the io threads while it runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hb::http {

struct Header {
  std::string name;  // as received / as to be sent
  std::string value;
};

struct Request {
  std::string method;  // "GET"
  std::string target;  // raw "/fhir/Patient?identifier=a%7Cb"
  std::string path;    // percent-decoded path without query: "/fhir/Patient"
  std::string query;   // raw query string after '?', not decoded ("" if none)
  std::vector<Header> headers;
  std::string body;
  std::string remote;  // "127.0.0.1:53412"

  // The first header's value with that name (case-insensitive); "" if absent.
  std::string_view HeaderValue(std::string_view name) const;
};

// The open end of a streamed response (server-sent events and the like). Thread-safe: Send
// and Close may be called from any thread, also after the client has gone.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Queues bytes to send after what was queued before; false once the stream is closed
  // (the client went away, a write failed, the server is stopping, or Close was called).
  virtual bool Send(std::string bytes) = 0;
  // Ends the response: what is queued is sent, then the connection closes.
  virtual void Close() = 0;
  virtual bool IsClosed() const = 0;
};

// A body read piece by piece as the client takes it (a file download), so that serving it
// holds one piece in memory however large it is. Called on the connection's strand only.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Bytes in all (sent as Content-Length).
  virtual uint64_t Size() const = 0;
  // Replaces `out` with the next bytes (at least one while any are left); false when they
  // cannot be read (the connection then closes, so the client sees a short body).
  virtual bool Next(std::string& out) = 0;
};

// A file's bytes from its start, `piece` at a time. The file is opened now: a file deleted
// while it is served is still served whole. Null when it cannot be opened.
std::shared_ptr<BodySource> OpenFileBody(const std::string& path, size_t piece = 1 << 20);

struct Response {
  int status = 200;
  std::string content_type;     // e.g. "application/fhir+json; charset=utf-8"; empty: no header
  std::vector<Header> headers;  // extra headers (Location, ETag, Last-Modified, ...)
  std::string body;
  // Set for a streamed response: the head goes out without Content-Length (the connection
  // closes when the stream ends), then `body` if any, then `on_stream` is called once with the
  // sink, on the connection's strand; it must not block. Idle timeouts do not apply to an
  // open stream: the application sends its own keep-alives.
  std::function<void(std::shared_ptr<StreamSink>)> on_stream;
  // Set for a body produced piece by piece (`body` is then ignored): Content-Length is the
  // source's size, the connection stays open for the next request once it is all sent, and
  // the write deadline restarts with each piece (a slow client is not cut off mid-file).
  std::shared_ptr<BodySource> body_source;
};

// Must be called exactly once, from any thread; safe after the connection closed.
using Responder = std::function<void(Response)>;
using Handler = std::function<void(Request&&, Responder)>;

// Renders a transport-level error (400 bad request line, 413 body too large, 431 header too
// large, 404/405 from the router) so the app can shape it (e.g. as a FHIR OperationOutcome).
using ErrorRenderer = std::function<Response(int status, std::string message)>;

// The default rendering: text/plain; charset=utf-8, the message and a newline.
Response PlainTextError(int status, std::string message);

// render(status, message) when render is set, PlainTextError otherwise.
Response RenderError(const ErrorRenderer& render, int status, std::string message);

// ASCII case-insensitive equality, for header names and tokens.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace hb::http
