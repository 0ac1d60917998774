#include "claims/http_client.h"

#include <openssl/evp.h>

#include "common/hex.h"

namespace hb::claims {

namespace {

OutboundRequest Post(const HttpRequest& r) {
  OutboundRequest out;
  out.method = "POST";
  out.url = r.url;
  out.headers = r.headers;
  out.timeout = r.timeout;
  return out;
}

}  // namespace

HttpResponse PostForm(const HttpRequest& r, const Fields& form) {
  OutboundRequest req = Post(r);
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.body = FormUrlEncode(form);
  return SendHttp(req);
}

HttpResponse PostMultipart(const HttpRequest& r, const Fields& fields,
                           const std::vector<FilePart>& files) {
  OutboundRequest req = Post(r);
  for (const auto& [name, value] : fields) req.multipart.push_back({name, "", "", value});
  req.multipart.insert(req.multipart.end(), files.begin(), files.end());
  return SendHttp(req);
}

std::string Md5Hex(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_md5(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(md), len));
}

}  // namespace hb::claims
