// Fuzzes SMART scope strings (token requests): auth::ParseScopes. Property beyond "no crash":
// the canonical form of a parsed scope set parses again to the same canonical form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/scopes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto scopes = hb::auth::ParseScopes(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!scopes.ok()) return 0;
  std::string canonical = scopes->ToString();
  auto again = hb::auth::ParseScopes(canonical);
  if (!again.ok() || again->ToString() != canonical) std::abort();
  return 0;
}
