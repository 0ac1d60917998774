// CreateSelfSignedKey (signer.h), with OpenSSL.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <string>

#include "claims/signer.h"

namespace hb::claims {

Status CreateSelfSignedKey(const std::string& key_path, const std::string& cert_path,
                           std::string_view common_name, std::string_view organization) {
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<X509, void (*)(X509*)> cert(X509_new(), X509_free);
  if (!key || !cert) return Status(ErrorCode::kInternal, "cannot generate an RSA key");
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  FILE* r = std::fopen("/dev/urandom", "rb");
  const bool random = r && std::fread(serial, 1, sizeof serial, r) == sizeof serial;
  if (r) std::fclose(r);
  if (!random) return Status(ErrorCode::kInternal, "cannot read /dev/urandom");
  serial[0] &= 0x7F;  // a positive serial
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 5L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  auto add = [&](const char* field, std::string_view v) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(v.data()),
                               static_cast<int>(v.size()), -1, 0);
  };
  add("C", "VN");
  add("O", organization);
  add("CN", common_name);
  X509_set_issuer_name(cert.get(), name);
  if (!X509_sign(cert.get(), key.get(), EVP_sha256()))
    return Status(ErrorCode::kInternal, "cannot sign the certificate");

  const mode_t old = umask(077);  // the key file is created readable by its owner only
  FILE* kf = std::fopen(key_path.c_str(), "wb");
  umask(old);
  if (!kf) return Status(ErrorCode::kUnavailable, "cannot write " + key_path);
  const bool key_ok = PEM_write_PrivateKey(kf, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(kf);
  FILE* cf = std::fopen(cert_path.c_str(), "wb");
  if (!cf) return Status(ErrorCode::kUnavailable, "cannot write " + cert_path);
  const bool cert_ok = PEM_write_X509(cf, cert.get());
  std::fclose(cf);
  if (!key_ok || !cert_ok)
    return Status(ErrorCode::kUnavailable, "cannot write the key or certificate");
  return Status::Ok();
}

}  // namespace hb::claims
