// Outbound HTTP for the portal clients, over libcurl: url-encoded forms and multipart
// bodies, a whole-request timeout, TLS verification on. One easy handle per request; the
// portals see a handful of requests a second at most.
//
// Contract: thread-safe (curl_global_init runs once). Transport failures (no route,
// refused, timeout, TLS) are a response with status 0 and `error` set, never a throw.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace hb::claims {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct FilePart {
  std::string name;      // form field: "files"
  std::string filename;  // "hoso.xml"
  std::string type;      // "application/xml"
  std::string content;
};

struct HttpResponse {
  long status = 0;  // 0: no HTTP answer (see error)
  std::string body;
  std::string error;  // curl's description when status is 0
};

struct HttpRequest {
  std::string url;
  Fields headers;  // name, value
  std::chrono::milliseconds timeout{30000};
};

HttpResponse PostForm(const HttpRequest& r, const Fields& form);
HttpResponse PostMultipart(const HttpRequest& r, const Fields& fields,
                           const std::vector<FilePart>& files);

// Lower-case hex MD5 of `text` (the portals want the password as its MD5).
std::string Md5Hex(std::string_view text);

}  // namespace hb::claims
