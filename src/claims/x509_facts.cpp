#include "claims/x509_facts.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <xmlsec/openssl/x509.h>

#include <cstdio>

namespace hb::claims {

namespace {

std::string Name(X509_NAME* name) {
  BIO* b = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(b, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long n = BIO_get_mem_data(b, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(b);
  return out;
}

std::string Time(const ASN1_TIME* t) {
  BIO* b = BIO_new(BIO_s_mem());
  ASN1_TIME_print(b, t);
  char* data = nullptr;
  const long n = BIO_get_mem_data(b, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(b);
  return out;
}

}  // namespace

CertFacts ReadCert(X509* cert) {
  CertFacts f;
  if (!cert) return f;
  f.subject = Name(X509_get_subject_name(cert));
  f.issuer = Name(X509_get_issuer_name(cert));
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr)) {
    char* hex = BN_bn2hex(bn);
    f.serial = hex;
    OPENSSL_free(hex);
    BN_free(bn);
  }
  f.not_before = Time(X509_get0_notBefore(cert));
  f.not_after = Time(X509_get0_notAfter(cert));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len)) {
    char hex[4];
    for (unsigned i = 0; i < len; ++i) {
      std::snprintf(hex, sizeof hex, i ? ":%02X" : "%02X", md[i]);
      f.sha256_fingerprint += hex;
    }
  }
  return f;
}

std::string KeySubject(xmlSecKeyPtr key) {
  xmlSecKeyDataPtr data = xmlSecKeyGetData(key, xmlSecOpenSSLKeyDataX509Id);
  if (!data) return {};
  X509* cert = xmlSecOpenSSLKeyDataX509GetKeyCert(data);
  if (!cert && xmlSecOpenSSLKeyDataX509GetCertsSize(data) > 0)
    cert = xmlSecOpenSSLKeyDataX509GetCert(data, 0);
  return cert ? ReadCert(cert).subject : std::string();
}

}  // namespace hb::claims
