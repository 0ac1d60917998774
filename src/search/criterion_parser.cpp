#include "search/criterion_parser.h"

#include "common/clock.h"
#include "fhir/model.h"
#include "search/date_range.h"
#include "search/decimal_key.h"
#include "search/fulltext.h"
#include "search/quantity_units.h"
#include "search/special_params.h"
#include "search/text_fold.h"

namespace hb::search::internal {

namespace {

constexpr int kMaxDepth = 4;  // chained and _has levels

// 'text' (built by appending: GCC 12 warns wrongly on "lit" + std::string).
std::string Quote(std::string_view text) {
  std::string q(1, '\'');
  q.append(text);
  q.push_back('\'');
  return q;
}

Status Bad(std::string_view key, std::string_view why) {
  return Status(ErrorCode::kInvalidSearchParameter,
                "search parameter '" + std::string(key) + "': " + std::string(why));
}

std::optional<Modifier> ModifierFromName(std::string_view m) {
  if (m.empty()) return Modifier::kNone;
  if (m == "missing") return Modifier::kMissing;
  if (m == "exact") return Modifier::kExact;
  if (m == "contains") return Modifier::kContains;
  if (m == "text") return Modifier::kText;
  if (m == "not") return Modifier::kNot;
  if (m == "above") return Modifier::kAbove;
  if (m == "below") return Modifier::kBelow;
  if (m == "in") return Modifier::kIn;
  if (m == "not-in") return Modifier::kNotIn;
  if (m == "identifier") return Modifier::kIdentifier;
  if (m == "of-type") return Modifier::kOfType;
  if (fhir::Model::R4().IsResourceType(m)) return Modifier::kType;
  return std::nullopt;
}

bool Allowed(ParamType t, Modifier m, Criterion::Kind kind) {
  if (m == Modifier::kNone || m == Modifier::kMissing) return true;
  if (kind == Criterion::Kind::kId) return m == Modifier::kNot;
  if (kind == Criterion::Kind::kFullText) return false;
  switch (t) {
    case ParamType::kString:
      return m == Modifier::kExact || m == Modifier::kContains || m == Modifier::kText;
    case ParamType::kToken:
      return m == Modifier::kText || m == Modifier::kNot || m == Modifier::kOfType ||
             m == Modifier::kIn || m == Modifier::kNotIn || m == Modifier::kAbove ||
             m == Modifier::kBelow;
    case ParamType::kReference:  // :above/:below follow the target type's partof hierarchy
      return m == Modifier::kIdentifier || m == Modifier::kType || m == Modifier::kAbove ||
             m == Modifier::kBelow;
    case ParamType::kUri:
      return m == Modifier::kAbove || m == Modifier::kBelow;
    default:
      return false;
  }
}

// Removes the search escapes ("\\|", "\\$", "\\\\").
std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

// Reads a comparison prefix off `v`.
Prefix TakePrefix(std::string_view* v) {
  if (std::optional<Prefix> p = PrefixFromText(v->substr(0, 2))) {
    v->remove_prefix(2);
    return *p;
  }
  return Prefix::kEq;
}

TokenValue ParseToken(std::string_view part) {
  TokenValue tv;
  std::vector<std::string> bars = SplitBars(part);
  if (bars.size() == 1) {
    tv.code = std::move(bars[0]);
    return tv;
  }
  tv.system = bars[0];
  std::string code = bars[1];
  for (size_t i = 2; i < bars.size(); ++i) code += "|" + bars[i];
  if (!code.empty()) tv.code = std::move(code);
  return tv;
}

// Fills key/low_key/high_key of a number value; `bounds` receives the decimal range.
Status NumberValue(std::string_view key, std::string_view text, SearchValue* v,
                   DecimalBounds* bounds) {
  auto b = DecimalRange(text);
  if (!b) return Bad(key, Quote(text) + " is not a number");
  if (v->prefix == Prefix::kAp) {
    auto tenth = fhirpath::Decimal::Div(b->value.Abs(), fhirpath::Decimal::FromInteger(10));
    auto lo = tenth ? fhirpath::Decimal::Sub(b->value, *tenth) : std::nullopt;
    auto hi = tenth ? fhirpath::Decimal::Add(b->value, *tenth) : std::nullopt;
    if (!lo || !hi) return Bad(key, "number out of range");
    b->low = *lo;
    b->high = *hi;
  }
  v->key = DecimalKey(b->value);
  v->low_key = DecimalKey(b->low);
  v->high_key = DecimalKey(b->high);
  *bounds = *b;
  return Status::Ok();
}

Status QuantityValue(std::string_view key, std::string_view text, SearchValue* v) {
  std::vector<std::string> parts = SplitBars(text);
  if (parts.size() != 1 && parts.size() != 3) {
    return Bad(key, "a quantity is number, number|system|code or number||code");
  }
  DecimalBounds b;
  HB_RETURN_IF_ERROR(NumberValue(key, parts[0], v, &b));
  v->number = parts[0];
  if (parts.size() == 3) {
    v->system = parts[1];
    v->code = parts[2];
  }
  if (v->system == kUcumSystem && !v->code.empty()) {
    v->canonical_unit = UcumDimension(v->code);
    v->canonical = !v->canonical_unit.empty();
  }
  return Status::Ok();
}

Status DateValue(std::string_view key, std::string_view text, int64_t now, SearchValue* v) {
  auto r = DateRange(text);
  if (!r) return Bad(key, Quote(text) + " is not a date");
  v->low = r->low;
  v->high = r->high;
  if (v->prefix == Prefix::kAp) {
    int64_t gap = now > r->low ? now - r->low : r->low - now;
    int64_t widen = gap / 10;
    v->low = r->low - widen;
    v->high = r->high > kMaxTime - widen ? kMaxTime : r->high + widen;
  }
  return Status::Ok();
}

Status ReferenceValue(std::string_view key, std::string_view text, const Criterion& c,
                      std::string_view type_modifier, SearchValue* v) {
  if (c.modifier == Modifier::kIdentifier) {
    v->token = ParseToken(text);
    return Status::Ok();
  }
  std::string_view t, id;
  if (ParseReference(text, &t, &id)) {
    if (!type_modifier.empty() && t != type_modifier) {
      return Bad(
          key, "the reference names a " + std::string(t) + ", not a " + std::string(type_modifier));
    }
    v->ref_type = std::string(t);
    v->ref_id = std::string(id);
    v->text = std::string(text);
    return Status::Ok();
  }
  if (text.find('/') == std::string_view::npos && text.find(':') == std::string_view::npos) {
    v->ref_type = std::string(type_modifier);
    v->ref_id = std::string(text);
    return Status::Ok();
  }
  if (!type_modifier.empty())
    return Bad(key, Quote(text) + " is not a reference to a " + std::string(type_modifier));
  std::string_view url = text.substr(0, text.find('|'));
  v->text = std::string(url);
  return Status::Ok();
}

// Reference :above/:below: a Type/id (or an id, when the parameter has one target type)
// whose type has a partof hierarchy (search/special_params.h).
Status HierarchyValue(std::string_view key, const RegisteredParam& p, SearchValue* v) {
  if (v->ref_id.empty()) return Bad(key, ":above and :below take a reference Type/id");
  if (v->ref_type.empty()) {
    if (p.targets.size() != 1) return Bad(key, ":above and :below need Type/id here");
    v->ref_type = std::string(p.targets.front());
  }
  if (HierarchyParam(v->ref_type).empty()) {
    return Bad(key, v->ref_type + " has no partof hierarchy for :above or :below to follow");
  }
  v->text.clear();  // the hierarchy is followed by id
  return Status::Ok();
}

// Splits a composite value on the `$` not escaped as `\$`.
std::vector<std::string> SplitDollar(std::string_view s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back() += s[i];
      out.back() += s[++i];
    } else if (s[i] == '$') {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

// One composite value `a$b`: each part as its component's type reads (the first a token
// or a reference).
Status CompositeValue(std::string_view key, std::string_view part,
                      const std::vector<CompositeComponent>& components, int64_t now,
                      SearchValue* v) {
  std::vector<std::string> pieces = SplitDollar(part);
  if (pieces.size() != components.size()) {
    return Bad(key, "a composite value has " + std::to_string(components.size()) +
                        " parts joined by $, got " + Quote(part));
  }
  for (size_t i = 0; i < pieces.size(); ++i) {
    SearchValue pv;
    std::string_view text = pieces[i];
    if (text.empty()) return Bad(key, "part " + std::to_string(i + 1) + " of " + Quote(part) + " is empty");
    switch (components[i].type) {
      case ParamType::kToken:
        pv.token = ParseToken(text);
        if (!pv.token.code) return Bad(key, "part " + std::to_string(i + 1) + " needs a code");
        break;
      case ParamType::kQuantity:
        pv.prefix = TakePrefix(&text);
        HB_RETURN_IF_ERROR(QuantityValue(key, text, &pv));
        break;
      case ParamType::kDate:
        pv.prefix = TakePrefix(&text);
        HB_RETURN_IF_ERROR(DateValue(key, text, now, &pv));
        break;
      case ParamType::kNumber: {
        pv.prefix = TakePrefix(&text);
        DecimalBounds b;
        HB_RETURN_IF_ERROR(NumberValue(key, text, &pv, &b));
        break;
      }
      case ParamType::kString:
        pv.text = FoldText(Unescape(text));
        break;
      case ParamType::kUri:
        pv.text = Unescape(text);
        break;
      case ParamType::kReference:  // Type/id, id or an absolute URL, as a reference parameter
        HB_RETURN_IF_ERROR(ReferenceValue(key, Unescape(text), Criterion{}, {}, &pv));
        break;
      default:
        return Bad(key, "this composite cannot be searched here");
    }
    v->parts.push_back(std::move(pv));
  }
  return Status::Ok();
}

Result<std::optional<Criterion>> Parse(std::string_view type, std::string_view key,
                                       std::string_view value, int64_t now, int depth);

Result<std::optional<Criterion>> ParseHas(std::string_view type, std::string_view key,
                                          std::string_view value, int64_t now, int depth) {
  // _has:Type:param:rest
  std::string_view rest = key.substr(5);
  size_t c1 = rest.find(':');
  size_t c2 = c1 == std::string_view::npos ? c1 : rest.find(':', c1 + 1);
  if (c2 == std::string_view::npos) {
    return Bad(key, "_has takes the form _has:Type:reference-parameter:parameter");
  }
  std::string_view source = rest.substr(0, c1);
  std::string_view ref_param = rest.substr(c1 + 1, c2 - c1 - 1);
  if (!fhir::Model::R4().IsResourceType(source)) {
    return Bad(key, Quote(source) + " is not a resource type");
  }
  const RegisteredParam* p = ParamRegistry::Default().Find(source, ref_param);
  if (p == nullptr || p->type != ParamType::kReference || p->storage != Storage::kIndexed) {
    return std::optional<Criterion>();
  }
  HB_ASSIGN_OR_RETURN(auto inner, Parse(source, rest.substr(c2 + 1), value, now, depth + 1));
  if (!inner) return std::optional<Criterion>();
  Criterion c;
  c.kind = Criterion::Kind::kHas;
  c.resource_type = std::string(type);
  c.param = std::string(ref_param);
  c.type = ParamType::kReference;
  c.inner.push_back(std::move(*inner));
  return std::optional<Criterion>(std::move(c));
}

Result<std::optional<Criterion>> ParseChain(std::string_view type, std::string_view head,
                                            std::string_view tail, std::string_view key,
                                            std::string_view value, int64_t now, int depth) {
  std::string_view name = head, target;
  if (size_t colon = head.find(':'); colon != std::string_view::npos) {
    name = head.substr(0, colon);
    target = head.substr(colon + 1);
    if (!fhir::Model::R4().IsResourceType(target)) {
      return Bad(key,
                 "a chain's modifier must be a resource type, not '" + std::string(target) + "'");
    }
  }
  const RegisteredParam* p = ParamRegistry::Default().Find(type, name);
  if (p == nullptr || p->storage != Storage::kIndexed) return std::optional<Criterion>();
  if (p->type != ParamType::kReference) return Bad(key, "only reference parameters can be chained");
  std::vector<std::string_view> targets;
  if (!target.empty()) {
    targets.push_back(target);
  } else {
    targets = p->targets;
  }
  Criterion c;
  c.kind = Criterion::Kind::kChain;
  c.resource_type = std::string(type);
  c.param = std::string(name);
  c.type = ParamType::kReference;
  for (std::string_view t : targets) {
    HB_ASSIGN_OR_RETURN(auto inner, Parse(t, tail, value, now, depth + 1));
    if (inner) c.inner.push_back(std::move(*inner));
  }
  if (c.inner.empty()) return std::optional<Criterion>();
  return std::optional<Criterion>(std::move(c));
}

Result<std::optional<Criterion>> Parse(std::string_view type, std::string_view key,
                                       std::string_view value, int64_t now, int depth) {
  if (depth > kMaxDepth) return Bad(key, "chains and _has nest at most 4 levels");
  if (key.starts_with("_has:")) return ParseHas(type, key, value, now, depth);
  if (size_t dot = key.find('.'); dot != std::string_view::npos) {
    return ParseChain(type, key.substr(0, dot), key.substr(dot + 1), key, value, now, depth);
  }
  std::string_view name = key, mod_name;
  if (size_t colon = key.find(':'); colon != std::string_view::npos) {
    name = key.substr(0, colon);
    mod_name = key.substr(colon + 1);
  }
  const RegisteredParam* p = ParamRegistry::Default().Find(type, name);
  if (p == nullptr || p->storage == Storage::kUnsupported) return std::optional<Criterion>();
  Criterion c;
  c.resource_type = std::string(type);
  c.param = std::string(name);
  c.type = p->type;
  for (const CompositeComponent& comp : p->components) c.component_types.push_back(comp.type);
  if (name == "_id") c.kind = Criterion::Kind::kId;
  if (name == "_lastUpdated") c.kind = Criterion::Kind::kLastUpdated;
  if (p->storage == Storage::kFullText) c.kind = Criterion::Kind::kFullText;
  auto mod = ModifierFromName(mod_name);
  if (!mod || !Allowed(p->type, *mod, c.kind)) {
    return Bad(key, "modifier ':" + std::string(mod_name) + "' is not supported on a " +
                        std::string(ParamTypeName(p->type)) + " parameter");
  }
  c.modifier = *mod;
  if (c.modifier == Modifier::kType) {
    bool ok = p->targets.empty();
    for (std::string_view t : p->targets) ok |= t == mod_name;
    if (!ok) return Bad(key, std::string(mod_name) + " is not a target of " + std::string(name));
  }
  if (c.modifier == Modifier::kMissing) {
    if (value != "true" && value != "false") return Bad(key, ":missing takes true or false");
    if (c.kind != Criterion::Kind::kIndexed) return Bad(key, ":missing is not supported here");
    c.missing = value == "true";
    return std::optional<Criterion>(std::move(c));
  }
  for (const std::string& part : SplitOr(value)) {
    if (part.empty()) return Bad(key, "has an empty value");
    SearchValue v;
    std::string_view text = part;
    if (c.kind == Criterion::Kind::kId) {
      v.text = Unescape(part);
    } else if (c.kind == Criterion::Kind::kFullText) {
      v.text = FullTextWords(Unescape(part));  // search/fulltext.h
      if (v.text.empty()) return Bad(key, "has no words to search for");
    } else {
      switch (p->type) {
        case ParamType::kString:
          v.text = c.modifier == Modifier::kExact ? Unescape(part) : FoldText(Unescape(part));
          if (v.text.empty()) return Bad(key, "has an empty value");
          break;
        case ParamType::kToken:
          if (c.modifier == Modifier::kText) {
            v.text = FoldText(Unescape(part));
          } else if (c.modifier == Modifier::kOfType) {
            auto bars = SplitBars(part);
            if (bars.size() != 3 || bars[1].empty() || bars[2].empty()) {
              return Bad(key, ":of-type takes type-system|type-code|value");
            }
            v.token.system = bars[0];
            v.token.code = bars[1];
            v.text = bars[2];
          } else if (c.modifier == Modifier::kIn || c.modifier == Modifier::kNotIn) {
            v.text = Unescape(part);  // the ValueSet's canonical URL (search/terminology.h)
          } else if (c.modifier == Modifier::kAbove || c.modifier == Modifier::kBelow) {
            v.token = ParseToken(part);
            if (!v.token.system || v.token.system->empty() || !v.token.code ||
                v.token.code->empty()) {
              return Bad(key, std::string(c.modifier == Modifier::kAbove ? ":above" : ":below") +
                                  " takes system|code (the code system's hierarchy decides)");
            }
          } else {
            v.token = ParseToken(part);
            if (!v.token.code && (!v.token.system || v.token.system->empty())) {
              return Bad(key, "needs a code or a system");
            }
          }
          break;
        case ParamType::kDate:
          v.prefix = TakePrefix(&text);
          HB_RETURN_IF_ERROR(DateValue(key, text, now, &v));
          break;
        case ParamType::kNumber:
          v.prefix = TakePrefix(&text);
          {
            DecimalBounds b;
            HB_RETURN_IF_ERROR(NumberValue(key, text, &v, &b));
          }
          break;
        case ParamType::kQuantity:
          v.prefix = TakePrefix(&text);
          HB_RETURN_IF_ERROR(QuantityValue(key, text, &v));
          break;
        case ParamType::kReference:
          HB_RETURN_IF_ERROR(ReferenceValue(
              key, part, c, c.modifier == Modifier::kType ? mod_name : std::string_view(), &v));
          if (c.modifier == Modifier::kAbove || c.modifier == Modifier::kBelow) {
            HB_RETURN_IF_ERROR(HierarchyValue(key, *p, &v));
          }
          break;
        case ParamType::kSpecial:
          if (name != "near") return std::optional<Criterion>();
          HB_RETURN_IF_ERROR(ParseNearValue(key, part, &v));
          break;
        case ParamType::kUri:
          v.text = Unescape(part);
          break;
        case ParamType::kComposite:
          HB_RETURN_IF_ERROR(CompositeValue(key, part, p->components, now, &v));
          break;
        default:
          return std::optional<Criterion>();
      }
    }
    c.any_of.push_back(std::move(v));
  }
  return std::optional<Criterion>(std::move(c));
}

}  // namespace

std::optional<Prefix> PrefixFromText(std::string_view text) {
  static constexpr std::pair<std::string_view, Prefix> kPrefixes[] = {
      {"eq", Prefix::kEq}, {"ne", Prefix::kNe}, {"gt", Prefix::kGt},
      {"lt", Prefix::kLt}, {"ge", Prefix::kGe}, {"le", Prefix::kLe},
      {"sa", Prefix::kSa}, {"eb", Prefix::kEb}, {"ap", Prefix::kAp}};
  for (const auto& [name, p] : kPrefixes) {
    if (text == name) return p;
  }
  return std::nullopt;
}

std::vector<std::string> SplitOr(std::string_view s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back() += s[i];
      out.back() += s[++i];  // keep the escape: '|' and '$' escapes are read later
    } else if (s[i] == ',') {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  // Only "\," is resolved here; other escapes stay for SplitBars.
  for (auto& part : out) {
    std::string clean;
    for (size_t i = 0; i < part.size(); ++i) {
      if (part[i] == '\\' && i + 1 < part.size() && part[i + 1] == ',') continue;
      clean += part[i];
    }
    part = std::move(clean);
  }
  return out;
}

std::vector<std::string> SplitBars(std::string_view s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back() += s[++i];
    } else if (s[i] == '|') {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

Result<std::optional<Criterion>> ParseCriterion(std::string_view type, std::string_view key,
                                                std::string_view value, int64_t now_micros) {
  return Parse(type, key, value, now_micros == 0 ? NowMicros() : now_micros, 0);
}

}  // namespace hb::search::internal
