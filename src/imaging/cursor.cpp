#include "imaging/cursor.h"

#include "imaging/imaging_systems.h"
#include "imaging/json_util.h"

namespace hb::imaging {

std::string CursorJson(int64_t seq) {
  rapidjson::StringBuffer out;
  Writer w(out);
  w.StartObject();
  Str(w, "resourceType", "Basic");
  Str(w, "id", kCursorId);
  Key(w, "extension");
  w.StartArray();
  w.StartObject();
  Str(w, "url", CursorExtensionUrl());
  // valueString: Orthanc's Seq is a 64-bit integer, FHIR R4 integer only 32 bits.
  Str(w, "valueString", std::to_string(seq));
  w.EndObject();
  w.EndArray();
  Key(w, "code");
  w.StartObject();
  Key(w, "coding");
  w.StartArray();
  Coding(w, CursorCodeSystem(), "orthanc-change-cursor", "Orthanc change feed position");
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return out.GetString();
}

Result<int64_t> ParseCursor(std::string_view json) {
  HB_ASSIGN_OR_RETURN(rapidjson::Document d, ParsePlainJson(json, "imaging cursor"));
  const rapidjson::Value* ext = GetArray(d, "extension");
  if (ext) {
    for (const auto& e : ext->GetArray()) {
      if (GetString(e, "url") != CursorExtensionUrl()) continue;
      std::string v = GetString(e, "valueString");
      if (!v.empty() && v.size() < 19 && v.find_first_not_of("0123456789") == std::string::npos) {
        return std::stoll(v);
      }
    }
  }
  return Status(ErrorCode::kInvalidArgument, "the imaging cursor resource holds no sequence");
}

}  // namespace hb::imaging
