// JwsKey: an asymmetric key for JSON Web Signatures (RFC 7515/7518), and the JWS
// algorithms hb_auth supports.
//
// Contract: a JwsKey is an immutable, cheaply copyable handle (shared ownership
// of one OpenSSL EVP_PKEY); copies may be used from many threads at once, since
// signing and verifying never modify the key. Only EC P-256, EC P-384 and RSA
// keys of at least 2048 bits are accepted. A key may be pinned to one algorithm
// (the JWK "alg" member); then Supports() accepts that algorithm only. Nothing
// here prints or logs private key material. Failures are Status values:
// InvalidArgument for unusable input, InvalidToken for a bad signature,
// Internal when OpenSSL fails.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::auth {

// The JWS "alg" values accepted. There is deliberately no "none" and no HMAC:
// every token is verified with a public key, so no key can be confused for a
// shared secret.
enum class JwsAlg { kES256, kES384, kRS256, kRS384 };

std::string_view AlgName(JwsAlg alg);                      // "ES256"
std::optional<JwsAlg> AlgFromName(std::string_view name);  // nullopt for "none", "HS256", ...

enum class KeyType { kEcP256, kEcP384, kRsa };

std::string_view KeyTypeName(KeyType type);  // "EC P-256", "EC P-384", "RSA"

class JwsKey {
 public:
  // A fresh key from the OpenSSL RNG. RSA keys have 3072 bits.
  static Result<JwsKey> Generate(KeyType type);
  // A PEM private key (PKCS#8, SEC1 or PKCS#1) or public key (SubjectPublicKeyInfo).
  static Result<JwsKey> FromPem(std::string_view pem);
  // Takes ownership of `pkey` (also on failure); checks its type and size.
  static Result<JwsKey> Adopt(EVP_PKEY* pkey, bool has_private);

  KeyType type() const { return type_; }
  int bits() const;
  bool has_private() const { return has_private_; }
  std::optional<JwsAlg> pinned_alg() const { return pinned_alg_; }

  // The same key pinned to `alg`; InvalidArgument when the key type cannot do it.
  Result<JwsKey> PinnedTo(JwsAlg alg) const;
  // True when `alg` fits the key type (ES256: P-256, ES384: P-384, RS*: RSA) and the pin.
  bool Supports(JwsAlg alg) const;
  // A copy that holds only the public part.
  JwsKey PublicOnly() const;
  // SubjectPublicKeyInfo PEM.
  std::string PublicPem() const;

  // The JWS signature over `data`: R||S for ECDSA (RFC 7518 §3.4), PKCS#1 v1.5
  // for RSA. Needs the private part and Supports(alg).
  Result<std::string> Sign(JwsAlg alg, std::string_view data) const;
  // OK, or InvalidToken "bad signature".
  Status Verify(JwsAlg alg, std::string_view data, std::string_view signature) const;

  // The underlying OpenSSL key, owned by this handle; for hb_auth's JWK code.
  EVP_PKEY* evp() const { return pkey_.get(); }

 private:
  JwsKey() = default;
  std::shared_ptr<EVP_PKEY> pkey_;
  KeyType type_ = KeyType::kEcP256;
  bool has_private_ = false;
  std::optional<JwsAlg> pinned_alg_;
};

}  // namespace hb::auth
