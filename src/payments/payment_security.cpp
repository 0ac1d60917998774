#include "payments/payment_security.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "common/ascii.h"
#include "common/hex.h"

namespace hb::payments {

namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string Hmac(std::string_view secret, std::string_view message) {
  unsigned char out[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace

std::string HmacSha256Hex(std::string_view secret, std::string_view message) {
  return HexEncode(Hmac(secret, message));
}

bool VerifyHmacHex(std::string_view secret, std::string_view message,
                   std::string_view hex_signature) {
  std::string expected = HmacSha256Hex(secret, message);
  if (hex_signature.size() != expected.size() || secret.empty()) return false;
  std::string given = AsciiLower(hex_signature);
  return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

std::string NewPaymentReference() {
  unsigned char bytes[8];
  RAND_bytes(bytes, sizeof bytes);
  std::string out = "HB";
  for (unsigned char b : bytes) out.push_back(kCrockford[b & 31]);
  return out;
}

std::vector<std::string> FindPaymentReferences(std::string_view transfer_text) {
  std::string t;
  for (char c : transfer_text) {
    if (c == ' ' || c == '-' || c == '.' || c == '_') continue;
    t.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  std::vector<std::string> out;
  for (size_t at = t.find("HB"); at != std::string::npos; at = t.find("HB", at + 1)) {
    if (at + 10 > t.size()) break;
    std::string ref = t.substr(at, 10);
    bool ok = true;
    for (size_t i = 2; i < 10; ++i) ok = ok && kCrockford.find(ref[i]) != std::string_view::npos;
    if (ok) out.push_back(std::move(ref));
  }
  return out;
}

std::string ReceiptToken(std::string_view secret, std::string_view invoice_id, int64_t paid) {
  std::string msg = "receipt|" + std::string(invoice_id) + "|" + std::to_string(paid);
  return HmacSha256Hex(secret, msg).substr(0, 32);
}

bool VerifyReceiptToken(std::string_view secret, std::string_view invoice_id, int64_t paid,
                        std::string_view token) {
  std::string expected = ReceiptToken(secret, invoice_id, paid);
  return token.size() == expected.size() &&
         CRYPTO_memcmp(token.data(), expected.data(), expected.size()) == 0;
}

}  // namespace hb::payments
