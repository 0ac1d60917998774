#include "imaging/change_feed.h"

#include <algorithm>

#include "imaging/json_util.h"

namespace hb::imaging {

Result<ChangePage> ParseChanges(std::string_view json) {
  HB_ASSIGN_OR_RETURN(rapidjson::Document d, ParsePlainJson(json, "Orthanc /changes"));
  const rapidjson::Value* changes = GetArray(d, "Changes");
  if (!changes || !d.HasMember("Last") || !d["Last"].IsInt64()) {
    return Status(ErrorCode::kMalformedJson, "Orthanc /changes: no Changes array or Last");
  }
  ChangePage page;
  page.last = d["Last"].GetInt64();
  page.done = d.HasMember("Done") && d["Done"].IsBool() ? d["Done"].GetBool() : true;
  for (const auto& c : changes->GetArray()) {
    if (!c.IsObject() || !c.HasMember("Seq") || !c["Seq"].IsInt64()) continue;
    page.changes.push_back({c["Seq"].GetInt64(), GetString(c, "ChangeType"), GetString(c, "ID")});
  }
  return page;
}

std::vector<std::string> StableStudies(const ChangePage& page) {
  std::vector<std::string> out;
  for (const Change& c : page.changes) {
    if (c.type != "StableStudy" || c.resource_id.empty()) continue;
    if (std::find(out.begin(), out.end(), c.resource_id) == out.end()) {
      out.push_back(c.resource_id);
    }
  }
  return out;
}

}  // namespace hb::imaging
