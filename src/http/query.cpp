#include "http/query.h"

namespace hb::http {

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PercentDecode(std::string_view s, bool plus_as_space) {
  if (s.find('%') == std::string_view::npos &&
      (!plus_as_space || s.find('+') == std::string_view::npos)) {
    return std::string(s);
  }
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_as_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= raw_query.size()) {
    size_t amp = raw_query.find('&', pos);
    if (amp == std::string_view::npos) amp = raw_query.size();
    std::string_view piece = raw_query.substr(pos, amp - pos);
    if (!piece.empty()) {
      size_t eq = piece.find('=');
      std::string_view name = piece.substr(0, eq);
      std::string_view value =
          eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
      out.emplace_back(PercentDecode(name, true), PercentDecode(value, true));
    }
    pos = amp + 1;
  }
  return out;
}

}  // namespace hb::http
