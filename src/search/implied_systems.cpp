#include "search/implied_systems.h"

#include <string>
#include <unordered_map>

#include "common/embedded.h"

HB_EMBEDDED(hb_implied_systems)

namespace hb::search {

namespace {

const std::unordered_map<std::string_view, std::string_view>& Table() {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string_view, std::string_view>();
    std::string_view text = hb_implied_systems_view();
    while (!text.empty()) {
      size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
      if (line.empty() || line.front() == '#') continue;
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      t->emplace(line.substr(0, tab), line.substr(tab + 1));
    }
    return t;
  }();
  return *table;
}

bool SimplePath(std::string_view s) {
  if (s.empty() || !(s.front() >= 'A' && s.front() <= 'Z')) return false;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '(')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == ')')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view ImpliedSystemOfPath(std::string_view path) {
  auto it = Table().find(path);
  return it == Table().end() ? std::string_view() : it->second;
}

std::string_view ImpliedSystemOfBranches(const std::vector<std::string_view>& branches) {
  std::string_view system;
  for (std::string_view b : branches) {
    b = Trim(b);
    if (!SimplePath(b)) return {};
    std::string_view s = ImpliedSystemOfPath(b);
    if (s.empty() || (!system.empty() && s != system)) return {};
    system = s;
  }
  return system;
}

}  // namespace hb::search
