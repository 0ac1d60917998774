#include "common/outbound_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "common/percent_encoding.h"

namespace hb {

namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

OutboundResponse Perform(CURL* h, const OutboundRequest& r) {
  OutboundResponse out;
  if (!h) {
    out.error = "libcurl could not make a handle";
    return out;
  }
  curl_easy_reset(h);  // a reused handle keeps its connection, not the last request's options
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : r.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  curl_mime* mime = nullptr;
  curl_easy_setopt(h, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   std::min<long>(10000, static_cast<long>(r.timeout.count())));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we run in threads
  curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
  if (!r.username.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, r.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, r.password.c_str());
  }
  if (!r.multipart.empty()) {
    mime = curl_mime_init(h);
    for (const MultipartPart& p : r.multipart) {
      curl_mimepart* part = curl_mime_addpart(mime);
      curl_mime_name(part, p.name.c_str());
      if (!p.filename.empty()) curl_mime_filename(part, p.filename.c_str());
      if (!p.type.empty()) curl_mime_type(part, p.type.c_str());
      curl_mime_data(part, p.content.data(), p.content.size());
    }
    curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
  } else if (r.method == "POST" || !r.body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, r.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  }
  if (r.method != "GET" && r.method != "POST") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
  } else {
    out.body.clear();
    out.error = err[0] ? err : curl_easy_strerror(rc);
  }
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);  // `err` ends with this call
  curl_slist_free_all(headers);
  if (mime) curl_mime_free(mime);
  return out;
}

}  // namespace

OutboundHttp::OutboundHttp() {
  GlobalInit();
  curl_ = curl_easy_init();
}

OutboundHttp::~OutboundHttp() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

OutboundResponse OutboundHttp::Send(const OutboundRequest& request) {
  return Perform(static_cast<CURL*>(curl_), request);
}

OutboundResponse SendHttp(const OutboundRequest& request) {
  OutboundHttp once;
  return once.Send(request);
}

std::string FormUrlEncode(const HttpFields& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += PercentEncode(name);
    body += '=';
    body += PercentEncode(value);
  }
  return body;
}

}  // namespace hb
