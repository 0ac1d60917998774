#include "clinical/eprescription_client.h"

#include <curl/curl.h>

#include <mutex>

namespace hb::clinical {

namespace {

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

SendResult SendPrescription(const EPrescriptionOptions& options, const std::string& message_json) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  SendResult r;
  if (options.url.empty()) {
    r.detail = "clinical.eprescription_url is not set";
    return r;
  }
  CURL* curl = curl_easy_init();
  if (!curl) {
    r.detail = "curl_easy_init failed";
    return r;
  }
  const std::string url = options.url + options.path;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
  headers = curl_slist_append(headers, "Accept: application/json");
  std::string auth;
  if (!options.token.empty()) {
    auth = "Authorization: Bearer " + options.token;
    headers = curl_slist_append(headers, auth.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, message_json.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(message_json.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.detail);
  CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    r.detail = std::string("no answer from ") + url + ": " + curl_easy_strerror(rc);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (r.status >= 200 && r.status < 300) {
    r.outcome = SendOutcome::kDelivered;
  } else if (r.status == 400 || r.status == 401 || r.status == 403 || r.status == 404 ||
             r.status == 409 || r.status == 422) {
    r.outcome = SendOutcome::kRefused;
  }
  return r;
}

}  // namespace hb::clinical
