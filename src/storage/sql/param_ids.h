// ParamIds: the search parameters a store indexes, (type + '\0' + code) -> pid, interned
// in its search_param table at open and immutable afterwards (so shared by threads).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace hb::storage::sql {

using ParamIds = std::unordered_map<std::string, int64_t>;
inline std::string ParamKey(std::string_view type, std::string_view code) {
  std::string k(type);
  k += '\0';
  k += code;
  return k;
}

}  // namespace hb::storage::sql
