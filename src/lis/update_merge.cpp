#include "lis/update_merge.h"

#include <algorithm>
#include <string>

#include "lis/lis_systems.h"

namespace hb::lis {

namespace {

bool SameIdentifier(const fhir::JsonValue& a, const fhir::JsonValue& b) {
  return fhir::MemberString(a, "system") == fhir::MemberString(b, "system") &&
         fhir::MemberString(a, "value") == fhir::MemberString(b, "value");
}

void SetMember(fhir::JsonValue& obj, std::string_view name, fhir::JsonValue value,
               fhir::JsonAlloc& alloc) {
  if (fhir::JsonValue* m = fhir::Member(obj, name)) {
    *m = value;
    return;
  }
  fhir::JsonValue key(name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc);
  obj.AddMember(key, value, alloc);
}

// The stored identifiers the message does not restate, then the message's.
void UniteIdentifiers(fhir::JsonValue& incoming, fhir::JsonAlloc& alloc,
                      const fhir::JsonValue& current) {
  const fhir::JsonValue* cur = fhir::Member(current, "identifier");
  if (cur == nullptr || !cur->IsArray()) return;
  fhir::JsonValue* in = fhir::Member(incoming, "identifier");
  fhir::JsonValue united(rapidjson::kArrayType);
  for (const fhir::JsonValue& c : cur->GetArray()) {
    bool restated = false;
    if (in != nullptr && in->IsArray()) {
      for (const fhir::JsonValue& i : in->GetArray()) restated |= SameIdentifier(c, i);
    }
    if (!restated) united.PushBack(fhir::JsonValue(c, alloc), alloc);
  }
  if (in != nullptr && in->IsArray()) {
    for (fhir::JsonValue& i : in->GetArray()) united.PushBack(i, alloc);
  }
  SetMember(incoming, "identifier", std::move(united), alloc);
}

// The stored meta (profile, security, tags) but the versioning the server sets, without the
// tags the rule clears, plus the message's tags.
void MergeMeta(fhir::JsonValue& incoming, fhir::JsonAlloc& alloc, const fhir::JsonValue& current,
               const MergeRule& rule) {
  const fhir::JsonValue* cur = fhir::Member(current, "meta");
  if (cur == nullptr || !cur->IsObject()) return;
  fhir::JsonValue meta(*cur, alloc);
  meta.RemoveMember("versionId");
  meta.RemoveMember("lastUpdated");
  if (fhir::JsonValue* tags = fhir::Member(meta, "tag"); tags != nullptr && tags->IsArray()) {
    const std::string system = ReconciliationTagSystem();
    for (auto it = tags->Begin(); it != tags->End();) {
      bool clear = fhir::MemberString(*it, "system") == system &&
                   std::find(rule.clear_tags.begin(), rule.clear_tags.end(),
                             fhir::MemberString(*it, "code")) != rule.clear_tags.end();
      it = clear ? tags->Erase(it) : it + 1;
    }
  }
  const fhir::JsonValue* in_meta = fhir::Member(incoming, "meta");
  const fhir::JsonValue* in_tags = in_meta ? fhir::Member(*in_meta, "tag") : nullptr;
  if (in_tags != nullptr && in_tags->IsArray()) {
    if (fhir::Member(meta, "tag") == nullptr)
      SetMember(meta, "tag", fhir::JsonValue(rapidjson::kArrayType), alloc);
    fhir::JsonValue* tags = fhir::Member(meta, "tag");
    for (const fhir::JsonValue& t : in_tags->GetArray()) {
      bool present = false;
      for (const fhir::JsonValue& have : tags->GetArray()) present |= have == t;
      if (!present) tags->PushBack(fhir::JsonValue(t, alloc), alloc);
    }
  }
  if (const fhir::JsonValue* tags = fhir::Member(meta, "tag"); tags && tags->Empty()) {
    meta.RemoveMember("tag");
  }
  if (meta.MemberCount() == 0) {
    incoming.RemoveMember("meta");
  } else {
    SetMember(incoming, "meta", std::move(meta), alloc);
  }
}

// A copy of `v` without id and the server's versioning, for comparison.
fhir::JsonValue Comparable(const fhir::JsonValue& v, fhir::JsonAlloc& alloc) {
  fhir::JsonValue c(v, alloc);
  c.RemoveMember("id");
  if (fhir::JsonValue* meta = fhir::Member(c, "meta"); meta != nullptr && meta->IsObject()) {
    meta->RemoveMember("versionId");
    meta->RemoveMember("lastUpdated");
    if (meta->MemberCount() == 0) c.RemoveMember("meta");
  }
  return c;
}

// The current items of array `name`, then the message's items that are not among them.
void UniteArray(fhir::JsonValue& incoming, fhir::JsonAlloc& alloc, const fhir::JsonValue& current,
                std::string_view name) {
  const fhir::JsonValue* cur = fhir::Member(current, name);
  fhir::JsonValue* in = fhir::Member(incoming, name);
  if (cur == nullptr || !cur->IsArray() || in == nullptr || !in->IsArray()) return;
  fhir::JsonValue united(*cur, alloc);
  for (fhir::JsonValue& item : in->GetArray()) {
    bool present = false;
    for (const fhir::JsonValue& have : cur->GetArray()) present |= have == item;
    if (!present) united.PushBack(item, alloc);
  }
  SetMember(incoming, name, std::move(united), alloc);
}

// The current object `name` with the message's members over it.
void MergeObject(fhir::JsonValue& incoming, fhir::JsonAlloc& alloc, const fhir::JsonValue& current,
                 std::string_view name) {
  const fhir::JsonValue* cur = fhir::Member(current, name);
  fhir::JsonValue* in = fhir::Member(incoming, name);
  if (cur == nullptr || !cur->IsObject() || in == nullptr || !in->IsObject()) return;
  fhir::JsonValue merged(*cur, alloc);
  for (auto it = in->MemberBegin(); it != in->MemberEnd(); ++it) {
    SetMember(merged, fhir::StringView(it->name), fhir::JsonValue(it->value, alloc), alloc);
  }
  SetMember(incoming, name, std::move(merged), alloc);
}

}  // namespace

void MergeUpdate(fhir::JsonValue& incoming, fhir::JsonAlloc& alloc, const fhir::JsonValue& current,
                 const MergeRule& rule) {
  if (!rule.merge || !current.IsObject()) return;
  for (const std::string& name : rule.unite) UniteArray(incoming, alloc, current, name);
  for (const std::string& name : rule.merge_objects) MergeObject(incoming, alloc, current, name);
  for (auto it = current.MemberBegin(); it != current.MemberEnd(); ++it) {
    std::string_view name = fhir::StringView(it->name);
    if (name == "id" || name == "meta" || name == "identifier") continue;
    bool keep = std::find(rule.keep_current.begin(), rule.keep_current.end(), name) !=
                rule.keep_current.end();
    if (keep || fhir::Member(incoming, name) == nullptr) {
      SetMember(incoming, name, fhir::JsonValue(it->value, alloc), alloc);
    }
  }
  UniteIdentifiers(incoming, alloc, current);
  MergeMeta(incoming, alloc, current, rule);
}

bool SameContent(const fhir::JsonValue& a, const fhir::JsonValue& b) {
  fhir::JsonDoc scratch;
  return Comparable(a, scratch.GetAllocator()) == Comparable(b, scratch.GetAllocator());
}

}  // namespace hb::lis
