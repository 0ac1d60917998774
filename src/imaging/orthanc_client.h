// A small client for Orthanc's REST API (https://orthanc.uclouvain.be/book/users/rest.html)
// over common/outbound_http.h: GET with HTTP basic authentication, one keep-alive connection.
//
// Contract: one client per thread (it owns one connection); not thread-safe.
// Failure modes: kUnavailable when Orthanc cannot be reached, times out or answers 5xx;
// kUnauthenticated on 401/403 (wrong credentials: retrying will not help); kNotFound on 404
// (a study deleted between the change and our read); kInternal for other statuses.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/outbound_http.h"
#include "common/result.h"

namespace hb::imaging {

struct OrthancOptions {
  std::string url;  // REST base, e.g. "http://127.0.0.1:8042" (no trailing '/')
  std::string username;
  std::string password;
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

class OrthancClient {
 public:
  explicit OrthancClient(OrthancOptions options);

  // GET <url><path>; the body on 200.
  Result<std::string> Get(std::string_view path);

 private:
  OrthancOptions options_;
  OutboundHttp http_;  // not copyable, so neither is the client
};

}  // namespace hb::imaging
