// What a report says about a signer's certificate, read with OpenSSL: subject, issuer,
// serial, validity and SHA-256 fingerprint.
#pragma once

#include <openssl/x509.h>
#include <xmlsec/keys.h>

#include <string>

namespace hb::claims {

struct CertFacts {
  std::string subject, issuer, serial, not_before, not_after, sha256_fingerprint;
};

CertFacts ReadCert(X509* cert);
// The subject of the certificate an xmlsec key carries; "" when it has none.
std::string KeySubject(xmlSecKeyPtr key);

}  // namespace hb::claims
