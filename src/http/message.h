// HTTP messages as the application sees them: Request, Response, and the handler types.
//
// Contract: plain values, thread-compatible. A Handler is called on one of the server's io
// threads with the request moved in, and must arrange for its Responder to be called exactly
// once, from any thread, now or later. A Responder is cheap to move and safe to call after the
// client has gone away or the server has stopped (the response is then dropped). A Handler that
// throws gets a 500 (if it has not responded yet). A Handler should not block for long: it holds
// one of the io threads while it runs.
#pragma once

#include <functional>
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

struct Response {
  int status = 200;
  std::string content_type;     // e.g. "application/fhir+json; charset=utf-8"; empty: no header
  std::vector<Header> headers;  // extra headers (Location, ETag, Last-Modified, ...)
  std::string body;
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
