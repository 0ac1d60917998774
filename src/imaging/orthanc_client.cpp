#include "imaging/orthanc_client.h"

namespace hb::imaging {

OrthancClient::OrthancClient(OrthancOptions options) : options_(std::move(options)) {
  while (!options_.url.empty() && options_.url.back() == '/') options_.url.pop_back();
}

Result<std::string> OrthancClient::Get(std::string_view path) {
  OutboundRequest r;
  r.url = options_.url + std::string(path);
  r.username = options_.username;
  r.password = options_.password;
  r.timeout = options_.timeout;
  OutboundResponse a = http_.Send(r);
  if (a.status == 0) {
    return Status(ErrorCode::kUnavailable, "Orthanc at " + options_.url + ": " + a.error);
  }
  if (a.status == 200) return std::move(a.body);
  std::string what = "Orthanc GET " + std::string(path) + " answered " + std::to_string(a.status);
  if (a.status == 401 || a.status == 403) return Status(ErrorCode::kUnauthenticated, what);
  if (a.status == 404) return Status(ErrorCode::kNotFound, what);
  if (a.status >= 500) return Status(ErrorCode::kUnavailable, what);
  return Status(ErrorCode::kInternal, what);
}

}  // namespace hb::imaging
