// Fuzzes bearer tokens as they arrive in Authorization headers: auth::DecodeJwtUnverified
// (base64url, the JOSE header, the claims JSON) and auth::VerifyJwt up to the key lookup.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "auth/jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view token(reinterpret_cast<const char*>(data), size);
  (void)hb::auth::DecodeJwtUnverified(token);
  hb::auth::VerifyOptions options;
  options.now = 1700000000;
  (void)hb::auth::VerifyJwt(
      token, [](std::string_view) { return std::optional<hb::auth::JwsKey>(); }, options);
  return 0;
}
