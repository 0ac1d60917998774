#include "imaging/json_util.h"

#include <rapidjson/error/en.h>

namespace hb::imaging {

Result<rapidjson::Document> ParsePlainJson(std::string_view text, std::string_view what) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  if (d.HasParseError()) {
    return Status(ErrorCode::kMalformedJson, std::string(what) + ": " +
                                                 rapidjson::GetParseError_En(d.GetParseError()) +
                                                 " at byte " + std::to_string(d.GetErrorOffset()));
  }
  return d;
}

std::string GetString(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  std::string_view v(it->value.GetString(), it->value.GetStringLength());
  // DICOM pads odd-length values with a space (or NUL for UIDs).
  while (!v.empty() && (v.back() == ' ' || v.back() == '\0')) v.remove_suffix(1);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  return std::string(v);
}

const rapidjson::Value* GetObject(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && it->value.IsObject() ? &it->value : nullptr;
}

const rapidjson::Value* GetArray(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && it->value.IsArray() ? &it->value : nullptr;
}

void Key(Writer& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

void Text(Writer& w, std::string_view value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void Str(Writer& w, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  Key(w, key);
  Text(w, value);
}

void Coding(Writer& w, std::string_view system, std::string_view code, std::string_view display) {
  w.StartObject();
  Str(w, "system", system);
  Str(w, "code", code);
  Str(w, "display", display);
  w.EndObject();
}

}  // namespace hb::imaging
