#include "fhir/json_patch.h"

#include <charconv>
#include <string>
#include <vector>

namespace hb::fhir {

namespace {

Status Fail(size_t op, std::string msg) {
  return Status(ErrorCode::kInvalidPatch, "patch operation " + std::to_string(op) + ": " + msg);
}

Result<std::vector<std::string>> ParsePointer(std::string_view p) {
  std::vector<std::string> tokens;
  if (p.empty()) return tokens;
  if (p[0] != '/') {
    return Status(ErrorCode::kInvalidPatch, "JSON Pointer '" + std::string(p) + "' must start with /");
  }
  size_t i = 1;
  tokens.emplace_back();
  for (; i < p.size(); ++i) {
    char c = p[i];
    if (c == '/') {
      tokens.emplace_back();
    } else if (c == '~') {
      if (i + 1 >= p.size() || (p[i + 1] != '0' && p[i + 1] != '1')) {
        return Status(ErrorCode::kInvalidPatch, "bad escape in JSON Pointer '" + std::string(p) + "'");
      }
      tokens.back() += p[++i] == '0' ? '~' : '/';
    } else {
      tokens.back() += c;
    }
  }
  return tokens;
}

bool ArrayIndex(const std::string& tok, size_t size, bool allow_end, size_t* out) {
  if (allow_end && tok == "-") {
    *out = size;
    return true;
  }
  if (tok.empty() || (tok.size() > 1 && tok[0] == '0')) return false;
  size_t v = 0;
  auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (ec != std::errc() || p != tok.data() + tok.size()) return false;
  if (v > size || (!allow_end && v == size)) return false;
  *out = v;
  return true;
}

JsonValue* Resolve(JsonValue& root, const std::vector<std::string>& toks, size_t n) {
  JsonValue* cur = &root;
  for (size_t i = 0; i < n; ++i) {
    if (cur->IsObject()) {
      cur = Member(*cur, toks[i]);
    } else if (cur->IsArray()) {
      size_t idx;
      if (!ArrayIndex(toks[i], cur->Size(), false, &idx)) return nullptr;
      cur = &(*cur)[static_cast<rapidjson::SizeType>(idx)];
    } else {
      return nullptr;
    }
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

// Removes the value at toks and moves it into *out (when out is not null).
bool RemoveAt(JsonValue& root, const std::vector<std::string>& toks, JsonValue* out) {
  if (toks.empty()) return false;
  JsonValue* parent = Resolve(root, toks, toks.size() - 1);
  if (!parent) return false;
  const std::string& last = toks.back();
  if (parent->IsObject()) {
    auto it = parent->FindMember(rapidjson::StringRef(last.data(), last.size()));
    if (it == parent->MemberEnd()) return false;
    if (out) *out = std::move(it->value);
    parent->EraseMember(it);
    return true;
  }
  if (parent->IsArray()) {
    size_t idx;
    if (!ArrayIndex(last, parent->Size(), false, &idx)) return false;
    if (out) *out = std::move((*parent)[static_cast<rapidjson::SizeType>(idx)]);
    parent->Erase(parent->Begin() + idx);
    return true;
  }
  return false;
}

bool AddAt(JsonValue& root, const std::vector<std::string>& toks, JsonValue&& value,
           JsonAlloc& alloc, bool replace_only) {
  if (toks.empty()) {
    root = std::move(value);
    return true;
  }
  JsonValue* parent = Resolve(root, toks, toks.size() - 1);
  if (!parent) return false;
  const std::string& last = toks.back();
  if (parent->IsObject()) {
    JsonValue* existing = Member(*parent, last);
    if (existing) {
      *existing = std::move(value);
      return true;
    }
    if (replace_only) return false;
    JsonValue key;
    key.SetString(last.data(), static_cast<rapidjson::SizeType>(last.size()), alloc);
    parent->AddMember(key, value, alloc);
    return true;
  }
  if (parent->IsArray()) {
    size_t idx;
    if (!ArrayIndex(last, parent->Size(), !replace_only, &idx)) return false;
    if (replace_only) {
      (*parent)[static_cast<rapidjson::SizeType>(idx)] = std::move(value);
      return true;
    }
    parent->PushBack(JsonValue(), alloc);
    for (size_t i = parent->Size() - 1; i > idx; --i) {
      (*parent)[static_cast<rapidjson::SizeType>(i)] =
          std::move((*parent)[static_cast<rapidjson::SizeType>(i - 1)]);
    }
    (*parent)[static_cast<rapidjson::SizeType>(idx)] = std::move(value);
    return true;
  }
  return false;
}

}  // namespace

Status ApplyJsonPatch(JsonDoc& target, const JsonValue& patch) {
  if (!patch.IsArray()) {
    return Status(ErrorCode::kInvalidPatch, "a JSON Patch document must be a JSON array");
  }
  JsonDoc work;
  work.CopyFrom(target, work.GetAllocator());
  JsonAlloc& alloc = work.GetAllocator();
  for (rapidjson::SizeType i = 0; i < patch.Size(); ++i) {
    const JsonValue& op = patch[i];
    if (!op.IsObject()) return Fail(i, "must be an object");
    std::string_view name = MemberString(op, "op");
    const JsonValue* path_v = Member(op, "path");
    if (!path_v || !IsString(*path_v)) return Fail(i, "needs a string 'path'");
    auto path = ParsePointer(StringView(*path_v));
    if (!path.ok()) return Fail(i, path.status().message());
    const JsonValue* value = Member(op, "value");
    std::string where = " at '" + std::string(StringView(*path_v)) + "'";
    if (name == "add" || name == "replace" || name == "test") {
      if (!value) return Fail(i, std::string(name) + " needs a 'value'");
    }
    if (name == "add" || name == "replace") {
      JsonValue copy(*value, alloc);
      if (!AddAt(work, *path, std::move(copy), alloc, name == "replace")) {
        return Fail(i, std::string(name) + where + ": the target location does not exist");
      }
    } else if (name == "remove") {
      if (!RemoveAt(work, *path, nullptr)) return Fail(i, "nothing to remove" + where);
    } else if (name == "move" || name == "copy") {
      const JsonValue* from_v = Member(op, "from");
      if (!from_v || !IsString(*from_v)) return Fail(i, std::string(name) + " needs 'from'");
      auto from = ParsePointer(StringView(*from_v));
      if (!from.ok()) return Fail(i, from.status().message());
      JsonValue moved;
      if (name == "move") {
        if (from->size() <= path->size() &&
            std::equal(from->begin(), from->end(), path->begin()) && from->size() != path->size()) {
          return Fail(i, "cannot move a value into itself");
        }
        if (!RemoveAt(work, *from, &moved)) return Fail(i, "nothing at 'from'");
      } else {
        JsonValue* src = Resolve(work, *from, from->size());
        if (!src) return Fail(i, "nothing at 'from'");
        moved.CopyFrom(*src, alloc);
      }
      if (!AddAt(work, *path, std::move(moved), alloc, false)) {
        return Fail(i, std::string(name) + where + ": the target location does not exist");
      }
    } else if (name == "test") {
      JsonValue* cur = Resolve(work, *path, path->size());
      if (!cur || *cur != *value) return Fail(i, "test failed" + where);
    } else {
      return Fail(i, "unknown op '" + std::string(name) + "'");
    }
  }
  target.Swap(work);
  return Status::Ok();
}

}  // namespace hb::fhir
