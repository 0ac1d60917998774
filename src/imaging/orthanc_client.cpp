#include "imaging/orthanc_client.h"

#include <curl/curl.h>

#include <mutex>

namespace hb::imaging {

namespace {

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

OrthancClient::OrthancClient(OrthancOptions options) : options_(std::move(options)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  while (!options_.url.empty() && options_.url.back() == '/') options_.url.pop_back();
  curl_ = curl_easy_init();
}

OrthancClient::~OrthancClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<std::string> OrthancClient::Get(std::string_view path) {
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) return Status(ErrorCode::kInternal, "libcurl could not make a handle");
  std::string url = options_.url + std::string(path);
  std::string body;
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we run in a thread
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return Status(ErrorCode::kUnavailable,
                  "Orthanc at " + options_.url + ": " + curl_easy_strerror(rc));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status == 200) return body;
  std::string what = "Orthanc GET " + std::string(path) + " answered " + std::to_string(status);
  if (status == 401 || status == 403) return Status(ErrorCode::kUnauthenticated, what);
  if (status == 404) return Status(ErrorCode::kNotFound, what);
  if (status >= 500) return Status(ErrorCode::kUnavailable, what);
  return Status(ErrorCode::kInternal, what);
}

}  // namespace hb::imaging
