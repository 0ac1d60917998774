// FHIR R4 JSON representation rules: https://hl7.org/fhir/R4/json.html
#include "fhir/validator.h"

#include <algorithm>
#include <charconv>

#include "fhir/model.h"
#include "fhir/primitives.h"

namespace hb::fhir {

namespace {

enum class ResourceRole { kTop, kContained, kNested };

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string out = "'";
  out.append(s.substr(0, kMax));
  if (s.size() > kMax) out += "...";
  out += "'";
  return out;
}

class Validator {
 public:
  Validator(ResourceFacts* facts, const ValidateOptions& options)
      : model_(Model::R4()),
        facts_(facts),
        max_issues_(std::max<size_t>(options.max_issues, 1)),
        root_location_(options.root_location) {}

  void Root(JsonValue& resource) {
    path_.assign(root_location_);
    Resource(resource, ResourceRole::kTop);
  }
  std::vector<Issue>& issues() { return issues_; }

 private:
  // Restores a string's length when a scope ends.
  struct Mark {
    std::string& s;
    size_t len;
    explicit Mark(std::string& str) : s(str), len(str.size()) {}
    ~Mark() { s.resize(len); }
  };

  bool Full() const { return issues_.size() >= max_issues_; }

  void Add(std::string message, ErrorCode code = ErrorCode::kInvalidResource) {
    if (Full()) return;
    issues_.push_back(Issue{code, std::move(message), path_, false});
  }

  void AppendIndex(size_t i) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, i);
    path_ += '[';
    path_.append(buf, r.ptr);
    path_ += ']';
  }

  void Resource(JsonValue& obj, ResourceRole role) {
    ErrorCode code =
        role == ResourceRole::kTop ? ErrorCode::kUnknownResourceType : ErrorCode::kInvalidResource;
    if (!obj.IsObject()) {
      Add("a resource must be a JSON object", ErrorCode::kInvalidResource);
      return;
    }
    std::string_view rt = MemberString(obj, "resourceType");
    if (rt.empty()) {
      Add("resourceType is missing", code);
      return;
    }
    const TypeDef* type = model_.FindType(rt);
    if (type == nullptr || type->kind != TypeKind::kResource) {
      Add("unknown resourceType " + Quote(rt), code);
      return;
    }
    if (type->is_abstract) {
      Add("resourceType " + Quote(rt) + " is abstract", code);
      return;
    }
    if (role == ResourceRole::kContained && Member(obj, "contained") != nullptr) {
      Mark m(path_);
      path_ += ".contained";
      Add("a contained resource must not contain resources (dom-2)");
    }
    // Save the per-resource state; nested resources are their own world.
    bool saved_top = top_, saved_collect = collect_;
    std::string saved_def = std::move(def_path_);
    top_ = role == ResourceRole::kTop;
    collect_ = facts_ != nullptr && (collect_ || top_) && role != ResourceRole::kNested;
    def_path_.assign(type->name);
    if (top_) {
      if (facts_ != nullptr) facts_->resource_type = type->name;
      compartment_ = &model_.PatientCompartmentPaths(type->name);
    }
    if (role == ResourceRole::kTop) {
      path_.assign(root_location_.empty() ? type->name : root_location_);
    }
    Object(obj, type->name, true);
    top_ = saved_top;
    collect_ = saved_collect;
    def_path_ = std::move(saved_def);
  }

  // Reports repeated property names (JSON allows them; FHIR does not).
  void CheckDuplicates(const JsonValue& obj) {
    size_t n = obj.MemberCount();
    if (n < 2) return;
    auto begin = obj.MemberBegin();
    if (n <= 24) {
      for (size_t i = 1; i < n; ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (begin[i].name == begin[j].name) {
            Add("duplicate property " + Quote(StringView(begin[i].name)));
            break;
          }
        }
      }
      return;
    }
    std::vector<std::string_view> names;
    names.reserve(n);
    for (size_t i = 0; i < n; ++i) names.push_back(StringView(begin[i].name));
    std::sort(names.begin(), names.end());
    for (size_t i = 1; i < n; ++i) {
      if (names[i] == names[i - 1] && (i < 2 || names[i - 2] != names[i]))
        Add("duplicate property " + Quote(names[i]));
    }
  }

  static JsonValue* FindCompanion(JsonValue& obj, std::string_view name) {
    for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
      std::string_view key = StringView(it->name);
      if (key.size() == name.size() + 1 && key[0] == '_' && key.substr(1) == name)
        return &it->value;
    }
    return nullptr;
  }

  // Validates an object of `context` ("Patient", "HumanName", "Patient.contact", "date").
  void Object(JsonValue& obj, std::string_view context, bool resource_root) {
    if (obj.MemberCount() == 0) {
      Add("empty object (omit the element instead)");
      return;
    }
    CheckDuplicates(obj);
    bool any_companion = false;
    for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
      any_companion =
          any_companion || (it->name.GetStringLength() > 0 && it->name.GetString()[0] == '_');
    }
    std::string_view groups[16];
    std::string_view group_names[16];
    size_t ngroups = 0;
    for (auto it = obj.MemberBegin(); it != obj.MemberEnd() && !Full(); ++it) {
      std::string_view name = StringView(it->name);
      if (resource_root && name == "resourceType") continue;
      bool companion = !name.empty() && name[0] == '_';
      std::string_view base = companion ? name.substr(1) : name;
      const ElementDef* el = model_.FindElement(context, base);
      if (el == nullptr || (companion && !el->has_companion)) {
        Mark m(path_);
        path_ += '.';
        path_ += name;
        if (el == nullptr) {
          Add("unknown element " + Quote(name) + " in " + std::string(context));
        } else {
          Add(Quote(name) + " is not allowed: " + std::string(base) +
              " is not a primitive that can carry extensions");
        }
        continue;
      }
      JsonValue* value = companion ? nullptr : &it->value;
      JsonValue* extra = companion ? &it->value : nullptr;
      if (companion) {
        if (Member(obj, base) != nullptr) continue;  // handled with its base
      } else if (any_companion && el->has_companion) {
        extra = FindCompanion(obj, base);
      }
      if (!el->choice_group.empty()) {
        size_t g = 0;
        while (g < ngroups && groups[g] != el->choice_group) ++g;
        if (g < ngroups && group_names[g] != base) {
          Mark m(path_);
          path_ += '.';
          path_ += base;
          Add("only one of " + std::string(el->choice_group) + "[x] may be present, found " +
              Quote(group_names[g]) + " and " + Quote(base));
        } else if (g == ngroups && ngroups < 16) {
          groups[ngroups] = el->choice_group;
          group_names[ngroups++] = base;
        }
      }
      Mark m(path_), d(def_path_);
      path_ += '.';
      path_ += base;
      def_path_ += '.';
      def_path_ += el->choice_group.empty() ? base : el->choice_group;
      if (el->is_primitive) {
        Primitive(*el, value, extra);
        if (value != nullptr && collect_ && context == "Reference" && base == "reference" &&
            value->IsString()) {
          Mark p(def_path_);
          def_path_.resize(def_path_.size() - sizeof(".reference") + 1);
          bool in_compartment = top_ && std::find(compartment_->begin(), compartment_->end(),
                                                  def_path_) != compartment_->end();
          facts_->references.push_back(ReferenceSite{value, path_, in_compartment});
        }
      } else {
        Complex(*el, *value);
        if (collect_ && top_ && resource_root && base == "identifier") {
          if (value->IsObject()) facts_->identifiers.push_back(value);
          if (value->IsArray()) {
            for (auto& item : value->GetArray()) {
              if (item.IsObject()) facts_->identifiers.push_back(&item);
            }
          }
        }
      }
    }
    Required(obj, context);
  }

  void Required(JsonValue& obj, std::string_view context) {
    for (const ElementDef* req : model_.RequiredElements(context)) {
      if (Full()) return;
      bool present = false;
      for (auto it = obj.MemberBegin(); it != obj.MemberEnd() && !present; ++it) {
        std::string_view key = StringView(it->name);
        if (!key.empty() && key[0] == '_') key.remove_prefix(1);
        if (req->choice_group.empty()) {
          present = key == req->name;
        } else if (key.substr(0, req->choice_group.size()) == req->choice_group) {
          const ElementDef* e = model_.FindElement(context, key);
          present = e != nullptr && e->choice_group == req->choice_group;
        }
      }
      if (!present) {
        Mark m(path_);
        path_ += '.';
        path_ += req->choice_group.empty() ? req->name : req->choice_group;
        Add(req->choice_group.empty()
                ? "missing required element " + Quote(req->name)
                : "missing required element " + Quote(std::string(req->choice_group) + "[x]"));
      }
    }
  }

  // A primitive element: `value` and its `_name` companion `extra`, either may be absent.
  void Primitive(const ElementDef& el, JsonValue* value, JsonValue* extra) {
    if (!el.array) {
      if (value != nullptr) Scalar(el, *value);
      if (extra != nullptr) {
        if (extra->IsArray() || !extra->IsObject()) {
          Add("_" + std::string(el.name) + " must be a JSON object (max 1)");
        } else {
          Object(*extra, el.context, false);
        }
      }
      return;
    }
    if (value != nullptr && !value->IsArray()) {
      Add("expected a JSON array (the element repeats)");
      value = nullptr;
    }
    if (extra != nullptr && !extra->IsArray()) {
      Add("_" + std::string(el.name) + " must be a JSON array, parallel to " +
          std::string(el.name));
      extra = nullptr;
    }
    size_t nv = value != nullptr ? value->Size() : 0;
    size_t ne = extra != nullptr ? extra->Size() : 0;
    if ((value != nullptr && nv == 0) || (extra != nullptr && ne == 0)) {
      Add("empty array (omit the element instead)");
      return;
    }
    if (value != nullptr && extra != nullptr && nv != ne) {
      Add(std::string(el.name) + " and _" + std::string(el.name) + " must have the same length (" +
          std::to_string(nv) + " vs " + std::to_string(ne) + ")");
    }
    size_t n = std::max(nv, ne);
    size_t base_len = path_.size();
    for (size_t i = 0; i < n && !Full(); ++i) {
      path_.resize(base_len);
      AppendIndex(i);
      JsonValue* v = i < nv ? &(*value)[static_cast<rapidjson::SizeType>(i)] : nullptr;
      JsonValue* e = i < ne ? &(*extra)[static_cast<rapidjson::SizeType>(i)] : nullptr;
      bool v_null = v == nullptr || v->IsNull();
      bool e_null = e == nullptr || e->IsNull();
      if (v_null && e_null) {
        Add("null entry with no value in " +
            (value != nullptr ? std::string(el.name) : "_" + std::string(el.name)) +
            " or its parallel array");
        continue;
      }
      if (!v_null) Scalar(el, *v);
      if (!e_null) {
        if (!e->IsObject()) {
          Add("entries of _" + std::string(el.name) + " must be JSON objects or null");
        } else {
          Object(*e, el.context, false);
        }
      }
    }
    path_.resize(base_len);
  }

  void Scalar(const ElementDef& el, const JsonValue& v) {
    if (v.IsArray()) {
      Add("expected a single value, not an array (max 1)");
      return;
    }
    if (v.IsNull()) {
      Add("null is not allowed here");
      return;
    }
    if (const char* why = CheckPrimitive(el.primitive, v)) {
      std::string msg = std::string(el.type) + ": " + why;
      if (IsString(v)) msg += ", got " + Quote(StringView(v));
      if (IsNumber(v)) msg += ", got " + std::string(NumberText(v));
      Add(std::move(msg));
    }
  }

  void Complex(const ElementDef& el, JsonValue& value) {
    if (!el.array) {
      if (value.IsArray()) {
        Add("expected a single JSON object, not an array (max 1)");
      } else {
        Item(el, value);
      }
      return;
    }
    if (!value.IsArray()) {
      Add("expected a JSON array (the element repeats)");
      return;
    }
    if (value.Empty()) {
      Add("empty array (omit the element instead)");
      return;
    }
    size_t base_len = path_.size();
    for (rapidjson::SizeType i = 0; i < value.Size() && !Full(); ++i) {
      path_.resize(base_len);
      AppendIndex(i);
      Item(el, value[i]);
    }
    path_.resize(base_len);
  }

  void Item(const ElementDef& el, JsonValue& v) {
    if (!v.IsObject()) {
      Add(v.IsNull() ? "null is not allowed here" : "expected a JSON object");
    } else if (el.polymorphic) {
      Resource(v, el.name == "contained" ? ResourceRole::kContained : ResourceRole::kNested);
    } else {
      Object(v, el.context, false);
    }
  }

  const Model& model_;
  ResourceFacts* facts_;
  size_t max_issues_;
  std::string_view root_location_;
  std::vector<Issue> issues_;
  std::string path_;      // FHIRPath of the current node, with indices
  std::string def_path_;  // element path without indices ("Observation.performer")
  bool top_ = false;      // inside the top-level resource itself (not contained nor nested)
  bool collect_ = false;  // record facts (top-level resource and its contained resources)
  const std::vector<std::string_view>* compartment_ = nullptr;
};

}  // namespace

Status ValidateResource(JsonValue& resource, ResourceFacts* facts, const ValidateOptions& options) {
  Validator v(facts, options);
  v.Root(resource);
  return Status::FromIssues(std::move(v.issues()));
}

}  // namespace hb::fhir
