// Renders the status line and header block of a response into a reused buffer.
//
// Contract (internal): pure apart from a per-thread cache of the Date header (refreshed once a
// second). Extra headers whose name or value contains CR/LF are dropped; Content-Length,
// Connection, Date and Server are always the server's own ("Connection: close" set by the app
// is honoured). A streamed response (on_stream set) has no Content-Length and closes; a body
// from a BodySource has its size as Content-Length.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace hb::http::internal {

struct HeadPlan {
  bool close = false;      // close the connection after this response
  bool send_body = false;  // write response.body after the head
};

// Replaces `out` with the head of `response`. `close`: the connection will close (client asked,
// error, shutdown). `version`: the request's HTTP version (10 or 11). `head_request`: HEAD,
// so the body is described (Content-Length) but not sent. `extra`: complete header lines
// ("Name: value\r\n") the server adds (HSTS, CORS), written as they are.
HeadPlan BuildResponseHead(const Response& response, bool close, int version, bool head_request,
                           std::string_view extra, std::string& out);

// The current time as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); per-thread cache.
std::string_view HttpDate();

}  // namespace hb::http::internal
