#include "http/internal/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <cstring>
#include <fstream>

namespace hb::http::internal {

namespace ssl = boost::asio::ssl;

namespace {

constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:P-256:P-384";

// The first reason OpenSSL queued, the most specific one ("no start line" rather than the
// "PEM lib" that wraps it), or `fallback`; clears the queue.
std::string OpenSslReason(const char* fallback) {
  unsigned long first = ERR_get_error();
  ERR_clear_error();
  const char* reason = first ? ERR_reason_error_string(first) : nullptr;
  return reason ? reason : fallback;
}

Status Fail(const std::string& what) { return Status(ErrorCode::kInvalidArgument, what); }

// Selects "http/1.1" from the client's ALPN list; no agreement without it.
int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in,
               unsigned int in_len, void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_len, kHttp11, sizeof kHttp11, in, in_len) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const std::string& cert_file,
                                                           const std::string& key_file) {
  if (cert_file.empty() || key_file.empty()) {
    return Fail("TLS needs both a certificate (--tls-cert) and a private key (--tls-key)");
  }
  for (const std::string* f : {&cert_file, &key_file}) {
    if (!std::ifstream(*f)) {
      return Fail(std::string("cannot read the TLS ") +
                  (f == &cert_file ? "certificate" : "private key") + " '" + *f +
                  "': " + std::strerror(errno));
    }
  }
  ERR_clear_error();
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(native, 0);  // the highest the library speaks: TLS 1.3
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(native, kTls13Suites) != 1 ||
      SSL_CTX_set1_groups_list(native, kGroups) != 1) {
    return Status(ErrorCode::kInternal, "the TLS library refused healthbook's cipher settings: " +
                                            OpenSslReason("unknown reason"));
  }
  SSL_CTX_set_alpn_select_cb(native, SelectAlpn, nullptr);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_SERVER);
  // An encrypted key would make OpenSSL prompt on the terminal: refuse it instead.
  SSL_CTX_set_default_passwd_cb(native, [](char*, int, int, void*) { return 0; });

  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1) {
    return Fail("cannot load the TLS certificate '" + cert_file +
                "': " + OpenSslReason("not a PEM certificate"));
  }
  if (SSL_CTX_use_PrivateKey_file(native, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::string reason = OpenSslReason("not a PEM private key");
    if (reason.find("mismatch") == std::string::npos) {
      return Fail("cannot load the TLS private key '" + key_file + "': " + reason);
    }
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return Fail("the TLS private key '" + key_file + "' does not match the certificate '" +
                cert_file + "'");
  }
  ERR_clear_error();
  return ctx;
}

}  // namespace hb::http::internal
