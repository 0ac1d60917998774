#include "auth/jws_key.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "auth/internal/openssl.h"

namespace hb::auth {
namespace {

using internal::BioPtr;
using internal::BnPtr;
using internal::EcdsaSigPtr;
using internal::MdCtxPtr;
using internal::OpenSslError;
using internal::PkeyPtr;

constexpr int kMinRsaBits = 2048;
constexpr int kGeneratedRsaBits = 3072;

const EVP_MD* DigestFor(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kES256:
    case JwsAlg::kRS256:
      return EVP_sha256();
    case JwsAlg::kES384:
    case JwsAlg::kRS384:
      return EVP_sha384();
  }
  return nullptr;
}

// Bytes of one ECDSA coordinate, 0 for RSA.
size_t EcFieldBytes(KeyType type) {
  switch (type) {
    case KeyType::kEcP256:
      return 32;
    case KeyType::kEcP384:
      return 48;
    case KeyType::kRsa:
      return 0;
  }
  return 0;
}

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

std::string_view AlgName(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kES256:
      return "ES256";
    case JwsAlg::kES384:
      return "ES384";
    case JwsAlg::kRS256:
      return "RS256";
    case JwsAlg::kRS384:
      return "RS384";
  }
  return "?";
}

std::optional<JwsAlg> AlgFromName(std::string_view name) {
  for (JwsAlg a : {JwsAlg::kES256, JwsAlg::kES384, JwsAlg::kRS256, JwsAlg::kRS384}) {
    if (AlgName(a) == name) return a;
  }
  return std::nullopt;
}

std::string_view KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kEcP256:
      return "EC P-256";
    case KeyType::kEcP384:
      return "EC P-384";
    case KeyType::kRsa:
      return "RSA";
  }
  return "?";
}

Result<JwsKey> JwsKey::Adopt(EVP_PKEY* raw, bool has_private) {
  PkeyPtr pkey(raw);
  if (!pkey) return Invalid("no key");
  JwsKey key;
  if (EVP_PKEY_is_a(pkey.get(), "EC")) {
    char group[64] = {0};
    size_t len = 0;
    if (!EVP_PKEY_get_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, group,
                                        sizeof(group), &len)) {
      return Invalid("EC key without a named curve");
    }
    std::string_view g(group, len);
    if (g == "prime256v1" || g == "P-256" || g == "secp256r1") {
      key.type_ = KeyType::kEcP256;
    } else if (g == "secp384r1" || g == "P-384") {
      key.type_ = KeyType::kEcP384;
    } else {
      return Invalid("EC curve " + std::string(g) + " is not supported (P-256 or P-384)");
    }
  } else if (EVP_PKEY_is_a(pkey.get(), "RSA")) {
    key.type_ = KeyType::kRsa;
    if (EVP_PKEY_get_bits(pkey.get()) < kMinRsaBits) {
      return Invalid("RSA key has " + std::to_string(EVP_PKEY_get_bits(pkey.get())) +
                     " bits, at least 2048 are required");
    }
  } else {
    return Invalid("key type is not supported (EC P-256, EC P-384 or RSA)");
  }
  key.pkey_ = std::shared_ptr<EVP_PKEY>(pkey.release(), EVP_PKEY_free);
  key.has_private_ = has_private;
  return key;
}

Result<JwsKey> JwsKey::Generate(KeyType type) {
  EVP_PKEY* raw = nullptr;
  switch (type) {
    case KeyType::kEcP256:
      raw = EVP_EC_gen("P-256");
      break;
    case KeyType::kEcP384:
      raw = EVP_EC_gen("P-384");
      break;
    case KeyType::kRsa:
      raw = EVP_RSA_gen(kGeneratedRsaBits);
      break;
  }
  if (!raw) return Status(ErrorCode::kInternal, "key generation failed: " + OpenSslError());
  return Adopt(raw, true);
}

Result<JwsKey> JwsKey::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  if (!bio) return Status(ErrorCode::kInternal, "BIO_new_mem_buf failed");
  if (EVP_PKEY* priv =
          PEM_read_bio_PrivateKey(bio.get(), nullptr, internal::NoPassphrase, nullptr)) {
    return Adopt(priv, true);
  }
  ERR_clear_error();
  BioPtr bio2(BIO_new_mem_buf(pem.data(), int(pem.size())));
  if (EVP_PKEY* pub = PEM_read_bio_PUBKEY(bio2.get(), nullptr, internal::NoPassphrase, nullptr)) {
    return Adopt(pub, false);
  }
  ERR_clear_error();
  return Invalid("not a PEM private or public key");
}

int JwsKey::bits() const { return EVP_PKEY_get_bits(pkey_.get()); }

bool JwsKey::Supports(JwsAlg alg) const {
  if (pinned_alg_ && *pinned_alg_ != alg) return false;
  switch (alg) {
    case JwsAlg::kES256:
      return type_ == KeyType::kEcP256;
    case JwsAlg::kES384:
      return type_ == KeyType::kEcP384;
    case JwsAlg::kRS256:
    case JwsAlg::kRS384:
      return type_ == KeyType::kRsa;
  }
  return false;
}

Result<JwsKey> JwsKey::PinnedTo(JwsAlg alg) const {
  JwsKey copy = *this;
  copy.pinned_alg_.reset();
  if (!copy.Supports(alg)) {
    return Invalid("alg " + std::string(AlgName(alg)) + " does not fit a " +
                   std::string(KeyTypeName(type_)) + " key");
  }
  copy.pinned_alg_ = alg;
  return copy;
}

JwsKey JwsKey::PublicOnly() const {
  if (!has_private_) return *this;
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pkey_.get(), &der);
  const unsigned char* p = der;
  EVP_PKEY* pub = len > 0 ? d2i_PUBKEY(nullptr, &p, len) : nullptr;
  OPENSSL_free(der);
  if (!pub) std::abort();  // re-reading our own public key cannot fail but for memory
  JwsKey copy = *this;
  copy.pkey_ = std::shared_ptr<EVP_PKEY>(pub, EVP_PKEY_free);
  copy.has_private_ = false;
  return copy;
}

std::string JwsKey::PublicPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) != 1) return {};
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, size_t(len));
}

Result<std::string> JwsKey::Sign(JwsAlg alg, std::string_view data) const {
  if (!has_private_) return Invalid("cannot sign with a public key");
  if (!Supports(alg)) {
    return Invalid("alg " + std::string(AlgName(alg)) + " does not fit this " +
                   std::string(KeyTypeName(type_)) + " key");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, DigestFor(alg), nullptr, pkey_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return Status(ErrorCode::kInternal, "signing failed: " + OpenSslError());
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Status(ErrorCode::kInternal, "signing failed: " + OpenSslError());
  }
  sig.resize(len);
  size_t n = EcFieldBytes(type_);
  if (n == 0) return sig;
  // DER ECDSA-Sig-Value -> fixed-width R || S.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
  EcdsaSigPtr ecdsa(d2i_ECDSA_SIG(nullptr, &p, long(sig.size())));
  if (!ecdsa) return Status(ErrorCode::kInternal, "bad ECDSA signature from OpenSSL");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(ecdsa.get(), &r, &s);
  std::string raw(2 * n, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, int(n)) < 0 || BN_bn2binpad(s, out + n, int(n)) < 0) {
    return Status(ErrorCode::kInternal, "ECDSA signature does not fit the curve");
  }
  return raw;
}

Status JwsKey::Verify(JwsAlg alg, std::string_view data, std::string_view signature) const {
  if (!Supports(alg)) {
    return Status(ErrorCode::kInvalidToken, "alg " + std::string(AlgName(alg)) +
                                                " does not match the key type " +
                                                std::string(KeyTypeName(type_)));
  }
  std::string der;
  std::string_view sig = signature;
  if (size_t n = EcFieldBytes(type_); n != 0) {
    if (signature.size() != 2 * n) {
      return Status(ErrorCode::kInvalidToken,
                    "bad signature (wrong length for " + std::string(AlgName(alg)) + ")");
    }
    const auto* in = reinterpret_cast<const unsigned char*>(signature.data());
    EcdsaSigPtr ecdsa(ECDSA_SIG_new());
    BnPtr r(BN_bin2bn(in, int(n), nullptr));
    BnPtr s(BN_bin2bn(in + n, int(n), nullptr));
    if (!ecdsa || !r || !s || ECDSA_SIG_set0(ecdsa.get(), r.get(), s.get()) != 1) {
      return Status(ErrorCode::kInternal, "ECDSA_SIG_set0 failed");
    }
    r.release();  // now owned by ecdsa
    s.release();
    unsigned char* buf = nullptr;
    int len = i2d_ECDSA_SIG(ecdsa.get(), &buf);
    if (len <= 0) return Status(ErrorCode::kInternal, "i2d_ECDSA_SIG failed");
    der.assign(reinterpret_cast<char*>(buf), size_t(len));
    OPENSSL_free(buf);
    sig = der;
  } else if (signature.size() != size_t(EVP_PKEY_get_size(pkey_.get()))) {
    return Status(ErrorCode::kInvalidToken, "bad signature (wrong length for the RSA key)");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, DigestFor(alg), nullptr, pkey_.get()) != 1) {
    return Status(ErrorCode::kInternal, "verify init failed: " + OpenSslError());
  }
  int rc =
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size());
  ERR_clear_error();
  if (rc != 1) return Status(ErrorCode::kInvalidToken, "bad signature");
  return Status::Ok();
}

}  // namespace hb::auth
