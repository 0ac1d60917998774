// ParamIds: the search parameters a store indexes, (type + '\0' + code) -> pid, interned
// in its search_param table at open and immutable afterwards (so shared by threads).
// Contained resources' rows have negative pids computed from these (ContainedPid).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "search/contained.h"

namespace hb::storage::sql {

using ParamIds = std::unordered_map<std::string, int64_t>;
inline std::string ParamKey(std::string_view type, std::string_view code) {
  std::string k(type);
  k += '\0';
  k += code;
  return k;
}

// The pid of a contained resource's row (search/contained.h): `param` is a
// search::ContainedParam text; 0 when its parameter is not indexed here.
inline int64_t ContainedPid(const ParamIds& params, std::string_view param) {
  std::string_view type, code;
  int slot = 0;
  if (!search::ParseContainedParam(param, &type, &code, &slot)) return 0;
  if (code.empty()) return search::ContainedPid(0, slot);  // the marker row
  auto it = params.find(ParamKey(type, code));
  return it == params.end() ? 0 : search::ContainedPid(it->second, slot);
}

}  // namespace hb::storage::sql
