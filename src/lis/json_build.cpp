#include "lis/json_build.h"

#include <cstdint>
#include <string>

namespace hb::lis {

fhir::JsonValue& JsonNode::Member(std::string_view key) {
  if (!v_->IsObject()) v_->SetObject();
  if (fhir::JsonValue* m = fhir::Member(*v_, key)) return *m;
  fhir::JsonValue name(key.data(), static_cast<rapidjson::SizeType>(key.size()), *a_);
  v_->AddMember(name, fhir::JsonValue(), *a_);
  return (v_->MemberEnd() - 1)->value;
}

JsonNode& JsonNode::Str(std::string_view key, std::string_view value) {
  if (!value.empty()) fhir::SetString(Member(key), value, *a_);
  return *this;
}

JsonNode& JsonNode::Num(std::string_view key, std::string_view json_number) {
  if (!json_number.empty()) fhir::SetNumber(Member(key), json_number, *a_);
  return *this;
}

JsonNode& JsonNode::Bool(std::string_view key, bool value) {
  Member(key).SetBool(value);
  return *this;
}

JsonNode JsonNode::Obj(std::string_view key) {
  fhir::JsonValue& m = Member(key);
  m.SetObject();
  return JsonNode(&m, a_);
}

JsonNode JsonNode::Arr(std::string_view key) {
  fhir::JsonValue& m = Member(key);
  if (!m.IsArray()) m.SetArray();
  return JsonNode(&m, a_);
}

JsonNode JsonNode::Add() {
  if (!v_->IsArray()) v_->SetArray();
  v_->PushBack(fhir::JsonValue(rapidjson::kObjectType), *a_);
  return JsonNode(&(*v_)[v_->Size() - 1], a_);
}

void JsonNode::AddStr(std::string_view value) {
  if (value.empty()) return;
  if (!v_->IsArray()) v_->SetArray();
  fhir::JsonValue s;
  fhir::SetString(s, value, *a_);
  v_->PushBack(s, *a_);
}

JsonNode& JsonNode::Coding(std::string_view system, std::string_view code,
                           std::string_view display) {
  Str("system", system);
  Str("code", code);
  Str("display", display);
  return *this;
}

JsonNode& JsonNode::Ref(std::string_view key, std::string_view reference,
                        std::string_view display) {
  JsonNode r = Obj(key);
  r.Str("reference", reference);
  r.Str("display", display);
  return *this;
}

bool PruneEmpty(fhir::JsonValue& v) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd();) {
      if (PruneEmpty(it->value)) {
        it = v.EraseMember(it);
      } else {
        ++it;
      }
    }
    return v.MemberCount() == 0;
  }
  if (v.IsArray()) {
    for (auto it = v.Begin(); it != v.End();) {
      if (PruneEmpty(*it)) {
        it = v.Erase(it);
      } else {
        ++it;
      }
    }
    return v.Size() == 0;
  }
  if (v.IsString()) return v.GetStringLength() == 0;
  return v.IsNull();
}

}  // namespace hb::lis
