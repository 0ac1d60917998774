// Small RAII wrappers over OpenSSL 3 handles, for hb_auth's own .cpp files only.
//
// Contract: header-only, no state. Each alias frees its handle with the matching
// OpenSSL *_free. OpenSslError() reads and clears this thread's OpenSSL error
// queue, so a failure never leaks into an unrelated later call.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>

namespace hb::auth::internal {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;

// A PEM passphrase callback that supplies none, so that reading an encrypted
// key fails instead of OpenSSL's default prompting on the terminal.
inline int NoPassphrase(char*, int, int, void*) { return 0; }

// The most recent OpenSSL error as text ("unknown" when the queue is empty);
// clears the queue.
inline std::string OpenSslError() {
  unsigned long last = 0;
  while (unsigned long e = ERR_get_error()) last = e;
  if (last == 0) return "unknown";
  char buf[256];
  ERR_error_string_n(last, buf, sizeof(buf));
  return buf;
}

}  // namespace hb::auth::internal
