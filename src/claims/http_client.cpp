#include "claims/http_client.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <cstdio>
#include <mutex>

namespace hb::claims {

namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// Runs a prepared handle: common options, headers, and the answer.
HttpResponse Perform(CURL* h, const HttpRequest& r) {
  HttpResponse out;
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : r.headers)
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  curl_easy_setopt(h, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   std::min<long>(10000, static_cast<long>(r.timeout.count())));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
  } else {
    out.error = err[0] ? err : curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  return out;
}

}  // namespace

HttpResponse PostForm(const HttpRequest& r, const Fields& form) {
  GlobalInit();
  CURL* h = curl_easy_init();
  std::string body;
  for (const auto& [name, value] : form) {
    char* n = curl_easy_escape(h, name.data(), static_cast<int>(name.size()));
    char* v = curl_easy_escape(h, value.data(), static_cast<int>(value.size()));
    if (!body.empty()) body += '&';
    body += n;
    body += '=';
    body += v;
    curl_free(n);
    curl_free(v);
  }
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  HttpResponse out = Perform(h, r);
  curl_easy_cleanup(h);
  return out;
}

HttpResponse PostMultipart(const HttpRequest& r, const Fields& fields,
                           const std::vector<FilePart>& files) {
  GlobalInit();
  CURL* h = curl_easy_init();
  curl_mime* mime = curl_mime_init(h);
  for (const auto& [name, value] : fields) {
    curl_mimepart* p = curl_mime_addpart(mime);
    curl_mime_name(p, name.c_str());
    curl_mime_data(p, value.data(), value.size());
  }
  for (const FilePart& f : files) {
    curl_mimepart* p = curl_mime_addpart(mime);
    curl_mime_name(p, f.name.c_str());
    curl_mime_filename(p, f.filename.c_str());
    curl_mime_type(p, f.type.c_str());
    curl_mime_data(p, f.content.data(), f.content.size());
  }
  curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
  HttpResponse out = Perform(h, r);
  curl_mime_free(mime);
  curl_easy_cleanup(h);
  return out;
}

std::string Md5Hex(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_md5(), nullptr);
  std::string hex;
  char b[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(b, sizeof b, "%02x", md[i]);
    hex += b;
  }
  return hex;
}

}  // namespace hb::claims
