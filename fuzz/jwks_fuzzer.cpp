// Fuzzes the JSON Web Key Sets that client registrations carry: auth::ParseJwks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "auth/jwk.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)hb::auth::ParseJwks(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
