// Base64 codecs for JOSE (base64url, RFC 4648 §5) and PHC strings (standard
// alphabet), both without padding.
//
// Contract: pure functions, thread-safe. Decoders are strict: they refuse
// padding, whitespace, characters outside the alphabet, an impossible length
// and non-zero trailing bits, so every byte string has exactly one accepted
// encoding (no signature malleability through re-encoding).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hb::auth {

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// The standard alphabet (+ and /) without padding, as PHC strings use it.
std::string Base64EncodeNoPad(std::string_view bytes);
std::optional<std::string> Base64DecodeNoPad(std::string_view text);

}  // namespace hb::auth
