// Quoting of untrusted text (a kid, a scope token, a client id) inside an error
// message, for hb_auth's own .cpp files.
//
// Contract: pure, thread-safe. The result holds printable ASCII only (anything
// else becomes '?') and at most `max` characters of the input, so a hostile
// value cannot forge log lines or flood them.
#pragma once

#include <string>
#include <string_view>

namespace hb::auth::internal {

inline std::string Quote(std::string_view s, size_t max = 64) {
  std::string out = "'";
  for (char c : s.substr(0, max)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  if (s.size() > max) out += "...";
  return out + "'";
}

}  // namespace hb::auth::internal
