// Outbound HTTP over libcurl, for the clients of other systems (the PACS, the national
// e-prescription system, the insurance portals): one request, its whole answer in memory.
// TLS verification stays on; only http:// and https:// URLs are followed; a whole-request
// timeout, and a connect timeout of at most 10 s within it; no signals (safe in threads).
//
// Contract: SendHttp is thread-safe (a handle per call, curl_global_init once). An
// OutboundHttp keeps one handle, so consecutive requests reuse the connection (keep-alive);
// it is not thread-safe (one per thread). Transport failures (no route, refused, timeout,
// TLS) come back as status 0 with `error` set, never as a throw; any HTTP status is an answer
// for the caller to judge.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace hb {

using HttpFields = std::vector<std::pair<std::string, std::string>>;

// One part of a multipart/form-data body: a file when `filename` is set, else a plain field.
struct MultipartPart {
  std::string name;
  std::string filename;
  std::string type;  // e.g. "application/xml"; empty: curl's default
  std::string content;
};

struct OutboundRequest {
  std::string method = "GET";
  std::string url;
  HttpFields headers;  // name, value
  // The body: `multipart` when it has parts (multipart/form-data), else `body` as it is
  // (give its Content-Type in `headers`; a POST without one is sent as a form).
  std::string body;
  std::vector<MultipartPart> multipart;
  std::string username;  // HTTP basic authentication when set
  std::string password;
  std::chrono::milliseconds timeout{30000};
};

struct OutboundResponse {
  long status = 0;  // 0: no HTTP answer (see error)
  std::string body;
  std::string error;  // what went wrong when status is 0
};

class OutboundHttp {
 public:
  OutboundHttp();
  ~OutboundHttp();
  OutboundHttp(const OutboundHttp&) = delete;
  OutboundHttp& operator=(const OutboundHttp&) = delete;

  OutboundResponse Send(const OutboundRequest& request);

 private:
  void* curl_ = nullptr;  // CURL*, kept out of the header
};

// One request on a handle of its own.
OutboundResponse SendHttp(const OutboundRequest& request);

// application/x-www-form-urlencoded: name=value pairs joined by '&', each percent-encoded.
std::string FormUrlEncode(const HttpFields& fields);

}  // namespace hb
