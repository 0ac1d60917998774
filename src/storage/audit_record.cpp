#include "storage/audit_record.h"

#include <openssl/evp.h>

namespace hb::storage {

std::string CanonicalText(const AuditRecord& r) {
  std::string t;
  auto add = [&t](std::string_view v) {
    t.append(v);
    t += '\x1f';
  };
  add(std::to_string(r.recorded));
  add(r.action);
  add(r.interaction);
  add(std::to_string(r.outcome));
  add(r.agent);
  add(r.role);
  add(r.facility);
  add(r.address);
  add(r.patient);
  add(r.what);
  add(r.reason);
  add(r.flagged ? "1" : "0");
  return t;
}

std::string ChainHash(std::string_view prev, const AuditRecord& r) {
  std::string text = CanonicalText(r);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, prev.data(), prev.size());
  EVP_DigestUpdate(ctx, text.data(), text.size());
  EVP_DigestFinal_ex(ctx, out, &n);
  EVP_MD_CTX_free(ctx);
  return std::string(reinterpret_cast<const char*>(out), n);
}

const std::string& GenesisHash() {
  static const std::string kZero(32, '\0');
  return kZero;
}

}  // namespace hb::storage
