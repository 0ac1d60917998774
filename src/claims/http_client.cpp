#include "claims/http_client.h"

#include <openssl/evp.h>

#include "common/hex.h"

namespace hb::claims {

HttpResponse PostForm(OutboundRequest r, const Fields& form) {
  r.method = "POST";
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.body = FormUrlEncode(form);
  r.multipart.clear();
  return SendHttp(r);
}

HttpResponse PostMultipart(OutboundRequest r, const Fields& fields,
                           const std::vector<FilePart>& files) {
  r.method = "POST";
  r.body.clear();
  r.multipart.clear();
  for (const auto& [name, value] : fields) r.multipart.push_back({name, "", "", value});
  r.multipart.insert(r.multipart.end(), files.begin(), files.end());
  return SendHttp(r);
}

std::string Md5Hex(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_md5(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(md), len));
}

}  // namespace hb::claims
