#include "auth/base64.h"

#include "common/base64.h"

namespace hb::auth {
namespace {

// The standard alphabet, unpadded, with the same one-encoding-per-byte-string strictness as
// kBase64UrlCanonical (PHC strings).
constexpr Base64Format kStandardCanonicalNoPad{Base64Alphabet::kStandard, Base64Padding::kNone,
                                               /*skip_whitespace=*/false, /*canonical=*/true};

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  return Base64Encode(bytes, kBase64UrlCanonical);
}
std::optional<std::string> Base64UrlDecode(std::string_view text) {
  return Base64Decode(text, kBase64UrlCanonical);
}
std::string Base64EncodeNoPad(std::string_view bytes) {
  return Base64Encode(bytes, kStandardCanonicalNoPad);
}
std::optional<std::string> Base64DecodeNoPad(std::string_view text) {
  return Base64Decode(text, kStandardCanonicalNoPad);
}

}  // namespace hb::auth
