// CorsPolicy: Cross-Origin Resource Sharing from configuration only
// (https://fetch.spec.whatwg.org/#http-cors-protocol).
//
// Contract (internal): immutable after Make(), thread-safe. Only the configured origins get CORS
// headers; an Origin that is not listed gets none (the browser then blocks the response). The
// allowed origin is echoed, never "*", so Access-Control-Allow-Credentials may be sent with it.
// Make() fails with kInvalidArgument for an origin that is not "scheme://host[:port]" (no path,
// no trailing slash), and for "*" and "null".
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/message.h"

namespace hb::http::internal {

class CorsPolicy {
 public:
  static Result<std::unique_ptr<CorsPolicy>> Make(const std::vector<std::string>& origins,
                                                  std::chrono::seconds max_age, bool credentials);

  // The configured origin that equals `origin` (ASCII case-insensitively), or "" if none.
  std::string_view Match(std::string_view origin) const;

  // A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method.
  static bool IsPreflight(const Request& request);

  // The answer to a preflight from an allowed origin: 204 with Access-Control-Allow-Methods,
  // -Allow-Headers and -Max-Age. The origin headers come from AppendHeaders, like any response's.
  Response Preflight() const;

  // Appends the raw header lines for a response to `origin` (a Match() result):
  // Access-Control-Allow-Origin, Vary: Origin, -Allow-Credentials (if configured), -Expose-Headers.
  void AppendHeaders(std::string_view origin, std::string& head) const;

 private:
  CorsPolicy() = default;

  std::vector<std::string> origins_;  // lower-case
  std::string max_age_;
  bool credentials_ = false;
};

}  // namespace hb::http::internal
