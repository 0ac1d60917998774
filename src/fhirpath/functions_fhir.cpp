// The FHIR-specific functions: https://hl7.org/fhir/R4/fhirpath.html#functions
// extension(), hasValue(), getValue(), resolve(), conformsTo() (base types only),
// htmlChecks() (always true), and memberOf()/subsumes()/subsumedBy() through the
// EvalOptions::terminology resolver (an error when there is none).
#include "fhirpath/functions.h"
#include "fhirpath/navigation.h"
#include "fhirpath/operators.h"

namespace hb::fhirpath::internal {

namespace {

constexpr std::string_view kCoreProfiles = "http://hl7.org/fhir/StructureDefinition/";

Status Extension(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> url, StringArg(ev, call, 0));
  if (!url) return Status::Ok();
  Scratch extensions;
  for (const Item& item : in)
    HB_RETURN_IF_ERROR(Navigate(call, item, "extension", false, *extensions));
  for (const Item& e : *extensions) {
    if (e.is_node() && fhir::MemberString(e.json(), "url") == url->string()) out.push_back(e);
  }
  return Status::Ok();
}

bool HasPrimitiveValue(Span in) {
  if (in.size() != 1) return false;
  const Item& item = in[0];
  if (!item.is_node()) return item.kind() != ItemKind::kTypeInfo;
  return item.is_primitive() && !item.json().IsNull();
}

Status HasValue(Evaluator&, const Node&, Span in, Collection& out) {
  out.push_back(Item::Boolean(HasPrimitiveValue(in)));
  return Status::Ok();
}

Status GetValue(Evaluator&, const Node&, Span in, Collection& out) {
  if (!HasPrimitiveValue(in)) return Status::Ok();
  std::optional<Item> v = ToSystem(in[0]);
  if (v) out.push_back(*v);
  return Status::Ok();
}

// The entry resource of `bundle` that `ref` names, by fullUrl or as Type/id.
const fhir::JsonValue* FindInBundle(const fhir::JsonValue& bundle, std::string_view ref) {
  const fhir::JsonValue* entries = fhir::Member(bundle, "entry");
  if (entries == nullptr || !entries->IsArray()) return nullptr;
  size_t history = ref.find("/_history/");
  if (history != std::string_view::npos) ref = ref.substr(0, history);
  for (const fhir::JsonValue& entry : entries->GetArray()) {
    const fhir::JsonValue* resource = entry.IsObject() ? fhir::Member(entry, "resource") : nullptr;
    if (resource == nullptr || !resource->IsObject()) continue;
    std::string_view full_url = fhir::MemberString(entry, "fullUrl");
    if (!full_url.empty() && full_url == ref) return resource;
    std::string_view type = fhir::MemberString(*resource, "resourceType");
    std::string_view id = fhir::MemberString(*resource, "id");
    // "Patient/1" matches the resource itself, and the tail of an absolute fullUrl.
    if (ref.size() == type.size() + 1 + id.size() && ref.substr(0, type.size()) == type &&
        ref[type.size()] == '/' && ref.substr(type.size() + 1) == id && !id.empty()) {
      return resource;
    }
  }
  return nullptr;
}

const fhir::JsonValue* FindContained(const fhir::JsonValue& resource, std::string_view id) {
  const fhir::JsonValue* contained = fhir::Member(resource, "contained");
  if (contained == nullptr || !contained->IsArray()) return nullptr;
  for (const fhir::JsonValue& c : contained->GetArray()) {
    if (c.IsObject() && fhir::MemberString(c, "id") == id) return &c;
  }
  return nullptr;
}

Status Resolve(Evaluator& ev, const Node&, Span in, Collection& out) {
  const Item* root = ev.resource();
  const fhir::JsonValue* resource = root != nullptr && root->is_node() ? &root->json() : nullptr;
  for (const Item& item : in) {
    std::string_view ref;
    if (item.is_node() && item.json().IsObject()) {
      ref = fhir::MemberString(item.json(), "reference");
    } else if (std::optional<Item> v = ToSystem(item); v && v->kind() == ItemKind::kString) {
      ref = v->string();
    }
    if (ref.empty()) continue;
    const fhir::JsonValue* target = nullptr;
    if (ref[0] == '#' && resource != nullptr) {
      target = ref.size() == 1 ? resource : FindContained(*resource, ref.substr(1));
    } else if (resource != nullptr && fhir::MemberString(*resource, "resourceType") == "Bundle") {
      target = FindInBundle(*resource, ref);
    }
    if (target == nullptr && ref[0] != '#' && ev.options().resolver) {
      target = ev.options().resolver(ref);
    }
    if (target != nullptr) out.push_back(ResourceItem(*target));
  }
  return Status::Ok();
}

Status ConformsTo(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> url, StringArg(ev, call, 0));
  if (!url) return Status::Ok();
  std::string_view u = url->string();
  const fhir::TypeDef* type = nullptr;
  if (u.substr(0, kCoreProfiles.size()) == kCoreProfiles) {
    type = fhir::Model::R4().FindType(u.substr(kCoreProfiles.size()));
  }
  if (type == nullptr) {
    return EvalError(call, "conformsTo(): unknown profile '" + std::string(u) +
                               "' (only the R4 core type profiles are known)");
  }
  for (const Item& item : in) {
    out.push_back(Item::Boolean(item.is_node() && IsSubtypeOf(item.node_type(), type->name)));
  }
  return Status::Ok();
}

Status HtmlChecks(Evaluator&, const Node&, Span in, Collection& out) {
  if (!in.empty()) out.push_back(Item::Boolean(true));
  return Status::Ok();
}

// The coded values of one item: a Coding, the codings of a CodeableConcept, or a bare code
// (code, string, uri primitives and System strings: no system). False for another type.
bool CodesOf(const Item& item, std::vector<CodeRef>& out) {
  auto coding = [&out](const fhir::JsonValue& c) {
    if (!c.IsObject()) return;
    std::string_view code = fhir::MemberString(c, "code");
    if (!code.empty()) out.push_back({fhir::MemberString(c, "system"), code});
  };
  if (item.is_node() && item.json().IsObject()) {
    std::string_view type = item.node_type();
    const fhir::JsonValue* codings = fhir::Member(item.json(), "coding");
    if (type == "CodeableConcept" || (type.empty() && codings != nullptr)) {
      if (codings != nullptr && codings->IsArray()) {
        for (const fhir::JsonValue& c : codings->GetArray()) coding(c);
      }
      return true;
    }
    if (type == "Coding" || (type.empty() && fhir::Member(item.json(), "code") != nullptr)) {
      coding(item.json());
      return true;
    }
    return false;
  }
  std::optional<Item> v = ToSystem(item);
  if (!v) return item.is_node() && item.is_primitive();  // a primitive with only extensions
  if (v->kind() != ItemKind::kString) return false;
  if (!v->string().empty()) out.push_back({{}, v->string()});
  return true;
}

Result<TerminologyResolver*> NeedTerminology(Evaluator& ev, const Node& call) {
  if (ev.options().terminology == nullptr) {
    return EvalError(call, call.name + "() is not supported here: it needs a terminology service");
  }
  return ev.options().terminology;
}

// The single input item's codes; nullopt for an empty input.
Result<std::optional<std::vector<CodeRef>>> InputCodes(const Node& call, Span in) {
  if (in.size() > 1) {
    return EvalError(call, call.name + "() needs a single input item, not a collection");
  }
  if (in.empty()) return std::optional<std::vector<CodeRef>>();
  std::vector<CodeRef> codes;
  if (!CodesOf(in[0], codes)) {
    return EvalError(call, call.name + "() applies to a code, Coding, CodeableConcept or "
                                       "string, not to " + TypeName(in[0]));
  }
  return std::optional<std::vector<CodeRef>>(std::move(codes));
}

Status MemberOf(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(TerminologyResolver * terminology, NeedTerminology(ev, call));
  HB_ASSIGN_OR_RETURN(auto codes, InputCodes(call, in));
  HB_ASSIGN_OR_RETURN(std::optional<Item> url, StringArg(ev, call, 0));
  if (!codes || !url) return Status::Ok();
  if (codes->empty()) {  // a CodeableConcept with only text, a Coding without a code
    out.push_back(Item::Boolean(false));
    return Status::Ok();
  }
  Result<bool> member = terminology->MemberOf(*codes, url->string());
  if (!member.ok()) return EvalError(call, call.name + "(): " + member.status().message());
  out.push_back(Item::Boolean(*member));
  return Status::Ok();
}

// subsumes() (`down`: the input subsumes the argument) and subsumedBy(). Codes are compared
// within one system; a bare code takes the system of the other side. True when some pair
// is subsumed, false when some pair is comparable and none is, empty otherwise.
Status SubsumesImpl(Evaluator& ev, const Node& call, Span in, Collection& out, bool down) {
  HB_ASSIGN_OR_RETURN(TerminologyResolver * terminology, NeedTerminology(ev, call));
  HB_ASSIGN_OR_RETURN(auto left, InputCodes(call, in));
  Scratch arg;
  HB_RETURN_IF_ERROR(ev.Arg(call, 0, *arg));
  if (arg->size() > 1) {
    return EvalError(call, call.name + "() needs a single Coding or code argument");
  }
  if (!left || arg->empty()) return Status::Ok();
  std::vector<CodeRef> right;
  if (!CodesOf((*arg)[0], right)) {
    return EvalError(call, call.name + "() needs a Coding, CodeableConcept or code argument, not " +
                               TypeName((*arg)[0]));
  }
  bool comparable = false;
  for (const CodeRef& a : *left) {
    for (const CodeRef& b : right) {
      std::string_view system = !a.system.empty() ? a.system : b.system;
      if (system.empty() || (!b.system.empty() && b.system != system)) continue;
      Result<std::optional<bool>> r = down ? terminology->Subsumes(system, a.code, b.code)
                                           : terminology->Subsumes(system, b.code, a.code);
      if (!r.ok()) return EvalError(call, call.name + "(): " + r.status().message());
      if (!r->has_value()) continue;
      if (**r) {
        out.push_back(Item::Boolean(true));
        return Status::Ok();
      }
      comparable = true;
    }
  }
  if (comparable) out.push_back(Item::Boolean(false));
  return Status::Ok();
}

Status Subsumes(Evaluator& ev, const Node& call, Span in, Collection& out) {
  return SubsumesImpl(ev, call, in, out, true);
}
Status SubsumedBy(Evaluator& ev, const Node& call, Span in, Collection& out) {
  return SubsumesImpl(ev, call, in, out, false);
}

constexpr FunctionDef kFunctions[] = {
    {"extension", 1, 1, Extension},    {"hasValue", 0, 0, HasValue},
    {"getValue", 0, 0, GetValue},      {"resolve", 0, 0, Resolve},
    {"conformsTo", 1, 1, ConformsTo},  {"htmlChecks", 0, 0, HtmlChecks},
    {"memberOf", 1, 1, MemberOf},      {"subsumes", 1, 1, Subsumes},
    {"subsumedBy", 1, 1, SubsumedBy},
};

}  // namespace

std::span<const FunctionDef> FhirFunctions() { return kFunctions; }

}  // namespace hb::fhirpath::internal
