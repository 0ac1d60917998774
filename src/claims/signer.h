// The facility's signature on a GIAMDINHHS file: an enveloped XMLDSig (RSA-SHA256,
// SHA-256 digest, inclusive C14N, Reference URI="" so the whole file is signed) placed in
// CHUKYDONVI, with the signer's X.509 certificate in KeyInfo, made with xmlsec1.
//
// Key sources:
//   PEM       key_file (PKCS#1/PKCS#8, optionally encrypted with `password`) + cert_file;
//   PKCS#12   key_file ending in .p12 or .pfx, holding key and certificate;
//   PKCS#11   a token (how Vietnamese facilities sign: USB tokens of the national CAs).
//             Debian's xmlsec (1.2.37 on OpenSSL 3) cannot sign with an OpenSSL ENGINE key:
//             its RSA key type check reads the private exponent through the provider API,
//             which an engine key never exports, so `xmlsec1 --privkey-openssl-engine`
//             fails with "key is not found". xmlsec's NSS crypto speaks PKCS#11 natively,
//             but one process cannot hold both crypto back ends (they register the same
//             transforms). So token signing runs in the helper `healthbook-p11sign`
//             (p11sign_main.cpp, xmlsec + NSS), fed the document on stdin, the PIN in its
//             environment; the key and certificate are found on the token by label.
//
// Thread-safety: a Signer is immutable after Open; Sign and VerifySignature may run on
// any thread concurrently. Failure modes: kInvalidArgument for unreadable keys or
// certificates, or a document without CHUKYDONVI; kInternal when xmlsec fails;
// kUnavailable when the token helper cannot run or the token refuses.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::claims {

struct SignerOptions {
  std::string key_file;
  std::string cert_file;
  std::string password;
  std::string pkcs11_module;  // e.g. /usr/lib/softhsm/libsofthsm2.so; set: sign on the token
  std::string pkcs11_token;   // token label
  std::string pkcs11_key;     // label (nickname) of the key and certificate on the token
  std::string pkcs11_pin;
  std::string helper;  // path of healthbook-p11sign (default: beside the running binary)
};

class Signer {
 public:
  virtual ~Signer() = default;
  static Result<std::unique_ptr<Signer>> Open(const SignerOptions& options);
  // The signed document; the input's CHUKYDONVI is emptied and filled with the signature.
  virtual Result<std::string> Sign(std::string_view xml) const = 0;
  // The certificate's subject, for logs and reports.
  virtual const std::string& subject() const = 0;
};

struct SignatureCheck {
  bool valid = false;
  std::string problem;  // why not, when not valid
  std::string subject, issuer, serial, not_before, not_after, sha256_fingerprint;
};

// Checks the signature in CHUKYDONVI with the certificate it carries (and, when
// `trusted_pem` names a file, that the certificate chains to it), and that it signs the
// whole document. kInvalidArgument when the file is not XML or carries no signature.
Result<SignatureCheck> VerifySignature(std::string_view xml, const std::string& trusted_pem = {});

// A new RSA-2048 key (PEM, mode 0600) and a self-signed certificate valid 5 years, for the
// demo and for facilities trying the system before their CA certificate arrives.
Status CreateSelfSignedKey(const std::string& key_path, const std::string& cert_path,
                           std::string_view common_name, std::string_view organization);

}  // namespace hb::claims
