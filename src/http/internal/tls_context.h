// The server's TLS settings, in one place (OpenSSL 3 through Boost.Asio's ssl::context).
//
// Settings: TLS 1.2 minimum, TLS 1.3 preferred (the highest both sides speak wins); TLS 1.2 only
// with ECDHE key exchange and AEAD ciphers (AES-GCM, ChaCha20-Poly1305), server order; the
// default TLS 1.3 suites (all AEAD); groups X25519, P-256, P-384; no compression; no
// renegotiation; ALPN answers "http/1.1" when the client offers it.
//
// Contract (internal): MakeServerTlsContext reads the PEM certificate chain and private key once;
// it fails with kInvalidArgument naming the file and OpenSSL's reason when a file is missing,
// unreadable or not PEM, or when the key does not match the certificate. The context is
// immutable afterwards and shared by every connection (thread-safe for that use).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/result.h"

namespace hb::http::internal {

// The value of the Strict-Transport-Security header that every TLS response carries.
inline constexpr std::string_view kHstsHeader =
    "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n";

Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_file, const std::string& key_file);

}  // namespace hb::http::internal
