#include "search/named_query.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <set>

#include "common/clock.h"
#include "common/embedded.h"
#include "common/ids.h"
#include "common/percent_encoding.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/search_escape.h"
#include "fhir/vn_systems.h"
#include "search/custom_params.h"
#include "search/date_range.h"
#include "search/param_registry.h"

HB_EMBEDDED(hb_nq_kham_ngoai_tru_trong_ngay)
HB_EMBEDDED(hb_nq_noi_tru_hien_tai)
HB_EMBEDDED(hb_nq_ket_qua_bat_thuong)
HB_EMBEDDED(hb_nq_don_thuoc_trong_ngay)

namespace hb::search {

namespace {

Status Invalid(std::string_view source, const std::string& why) {
  return Status(ErrorCode::kInvalidArgument,
                "OperationDefinition " + std::string(source) + ": " + why);
}

Status BadUse(const NamedQuery& q, const std::string& why) {
  return Status(ErrorCode::kInvalidSearchParameter, "_query=" + q.code + ": " + why);
}

// A placeholder inside a value: "{{name}}" or "{{name:today}}".
struct Placeholder {
  size_t begin = 0, end = 0;  // [begin, end) in the value, braces included
  std::string name;
  std::string fallback;  // "" or "today"
};

Result<std::vector<Placeholder>> Placeholders(std::string_view value, std::string_view source) {
  std::vector<Placeholder> out;
  size_t at = 0;
  while ((at = value.find("{{", at)) != std::string_view::npos) {
    size_t close = value.find("}}", at + 2);
    if (close == std::string_view::npos) {
      return Invalid(source, "an unclosed {{ in '" + std::string(value) + "'");
    }
    Placeholder p{at, close + 2, std::string(value.substr(at + 2, close - at - 2)), {}};
    if (size_t colon = p.name.find(':'); colon != std::string::npos) {
      p.fallback = p.name.substr(colon + 1);
      p.name.resize(colon);
      if (p.fallback != "today") {
        return Invalid(source, "the default '" + p.fallback + "' of {{" + p.name +
                                   "}} is not known (today is)");
      }
    }
    out.push_back(std::move(p));
    at = close + 2;
  }
  return out;
}

// Search escaping for one value (fhir/search_escape.h): `,` and `$` and `\` are literal;
// `|` stays a separator for the types whose values have parts.
std::string EscapeValue(std::string_view v, std::string_view search_type) {
  bool parts = search_type == "token" || search_type == "quantity" || search_type == "reference";
  return fhir::EscapeSearchValue(v, parts);
}

// Whether position `pos` of a `_filter` expression lies inside a double-quoted string
// (search_filter.html: a string is "..." with \" and \\ escaped).
bool InFilterString(std::string_view filter, size_t pos) {
  bool in = false;
  for (size_t i = 0; i < pos && i < filter.size(); ++i) {
    if (in && filter[i] == '\\') {
      ++i;  // the escaped character
    } else if (filter[i] == '"') {
      in = !in;
    }
  }
  return in;
}

// A value put inside a `_filter` string: the backslash and the double quote escaped, so that
// it cannot end the string (and add `or ...` to the expression).
std::string EscapeFilterString(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

// The search parameter code a criteria key names on `type` ("date", "subject:Patient.name",
// "_has:..." -> its first name; "" for the result parameters that need no check).
std::string_view KeyParam(std::string_view key) {
  if (key.starts_with("_has:")) return {};
  size_t end = key.find_first_of(":.");
  return key.substr(0, end);
}

bool IsResultParam(std::string_view p) {
  static const std::set<std::string, std::less<>> kResult = {
      "_sort", "_count", "_include", "_revinclude", "_elements", "_summary", "_total",
      "_contained", "_containedType", "_filter", "_list", "_id", "_lastUpdated", "_text",
      "_content"};
  return kResult.count(p) > 0;
}

Result<NamedQueryParam> ParseParam(const fhir::JsonValue& p, std::string_view source) {
  NamedQueryParam out;
  out.name = std::string(fhir::MemberString(p, "name"));
  if (out.name.empty() || out.name.starts_with('_') ||
      out.name.find_first_of(" .:$,|=&?{}") != std::string::npos) {
    return Invalid(source, "parameter name '" + out.name + "' is not usable");
  }
  if (fhir::MemberString(p, "use") != "in") {
    return Invalid(source, "parameter '" + out.name + "' must have use = in");
  }
  out.search_type = std::string(fhir::MemberString(p, "searchType"));
  static const std::set<std::string, std::less<>> kTypes = {
      "string", "token", "reference", "date", "number", "quantity", "uri"};
  if (!kTypes.count(out.search_type)) {
    return Invalid(source, "parameter '" + out.name + "' needs a searchType (" +
                               "string, token, reference, date, number, quantity or uri)");
  }
  const fhir::JsonValue* min = fhir::Member(p, "min");  // numbers keep their text (fhir/json.h)
  std::string_view min_text = min != nullptr ? fhir::NumberText(*min) : std::string_view();
  if (min_text != "0" && min_text != "1") {
    return Invalid(source, "parameter '" + out.name + "': min must be 0 or 1");
  }
  out.min = min_text == "1" ? 1 : 0;
  std::string_view max = fhir::MemberString(p, "max");
  if (max != "1" && max != "*") {
    return Invalid(source, "parameter '" + out.name + "': max must be 1 or *");
  }
  out.repeats = max == "*";
  out.documentation = std::string(fhir::MemberString(p, "documentation"));
  return out;
}

// Checks one value of a query parameter against its searchType.
Status CheckValue(const NamedQuery& q, const NamedQueryParam& p, std::string_view v) {
  if (v.empty()) return BadUse(q, "parameter '" + p.name + "' is empty");
  if (p.search_type == "date" && !DateRange(v)) {
    return BadUse(q, "parameter '" + p.name + "' takes a date (2025-06-10), not '" +
                         std::string(v) + "'");
  }
  if (p.search_type == "reference") {
    std::string_view type, id;
    bool ok = ParseReference(v, &type, &id) ||
              (v.find_first_of("/:|") == std::string_view::npos && IsValidFhirId(v));
    if (!ok) {
      return BadUse(q, "parameter '" + p.name + "' takes a reference (Type/id or id), not '" +
                           std::string(v) + "'");
    }
  }
  if (p.search_type == "number" && v.find_first_not_of("0123456789.-+eE") != std::string_view::npos) {
    return BadUse(q, "parameter '" + p.name + "' takes a number, not '" + std::string(v) + "'");
  }
  return Status::Ok();
}

}  // namespace

Result<NamedQuery> ParseNamedQuery(std::string_view json, std::string_view source) {
  auto doc = fhir::ParseJson(json);
  if (!doc.ok()) return Invalid(source, doc.status().message());
  if (!doc->IsObject() || fhir::MemberString(*doc, "resourceType") != "OperationDefinition") {
    return Invalid(source, "not an OperationDefinition resource");
  }
  if (fhir::MemberString(*doc, "kind") != "query") {
    return Invalid(source, "kind must be query (a named query)");
  }
  std::string_view status = fhir::MemberString(*doc, "status");
  if (status != "active" && status != "draft") {
    return Invalid(source, "status is '" + std::string(status) + "'; only active and draft ones are used");
  }
  NamedQuery q;
  q.source = std::string(source);
  q.json = std::string(json);
  q.code = std::string(fhir::MemberString(*doc, "code"));
  q.url = std::string(fhir::MemberString(*doc, "url"));
  q.title = std::string(fhir::MemberString(*doc, "title"));
  if (q.title.empty()) q.title = std::string(fhir::MemberString(*doc, "name"));
  if (q.code.empty() || q.code.find_first_of(" ,|$&=?#/") != std::string::npos) {
    return Invalid(source, "code '" + q.code + "' is not usable as a _query value");
  }
  if (q.url.empty()) return Invalid(source, "url is required");
  const fhir::JsonValue* type_level = fhir::Member(*doc, "type");
  if (type_level == nullptr || !type_level->IsBool() || !type_level->GetBool()) {
    return Invalid(source, "type must be true (a named query runs on a resource type)");
  }
  const fhir::JsonValue* types = fhir::Member(*doc, "resource");
  if (types == nullptr || !types->IsArray() || types->Empty()) {
    return Invalid(source, "resource must name the types the query runs on");
  }
  for (const fhir::JsonValue& t : types->GetArray()) {
    std::string_view name = fhir::IsString(t) ? fhir::StringView(t) : std::string_view();
    if (!fhir::Model::R4().IsResourceType(name)) {
      return Invalid(source, "resource '" + std::string(name) + "' is not a resource type");
    }
    q.types.emplace_back(name);
  }
  if (const fhir::JsonValue* params = fhir::Member(*doc, "parameter")) {
    if (!params->IsArray()) return Invalid(source, "parameter must be an array");
    for (const fhir::JsonValue& p : params->GetArray()) {
      if (!p.IsObject()) return Invalid(source, "parameter must hold objects");
      HB_ASSIGN_OR_RETURN(NamedQueryParam np, ParseParam(p, source));
      for (const NamedQueryParam& seen : q.params) {
        if (seen.name == np.name) return Invalid(source, "parameter '" + np.name + "' is declared twice");
      }
      q.params.push_back(std::move(np));
    }
  }
  std::string_view criteria;
  if (const fhir::JsonValue* ext = fhir::Member(*doc, "extension"); ext && ext->IsArray()) {
    for (const fhir::JsonValue& e : ext->GetArray()) {
      if (e.IsObject() && fhir::MemberString(e, "url") == kNamedQueryCriteriaUrl) {
        criteria = fhir::MemberString(e, "valueString");
      }
    }
  }
  if (criteria.empty()) {
    return Invalid(source, "the extension " + std::string(kNamedQueryCriteriaUrl) +
                               " (valueString: the search, in URL form) is required");
  }
  const ParamRegistry& registry = ParamRegistry::Default();
  std::set<std::string> used;
  size_t start = 0;
  while (start <= criteria.size()) {
    size_t amp = criteria.find('&', start);
    std::string_view pair = criteria.substr(start, amp == std::string_view::npos ? amp : amp - start);
    start = amp == std::string_view::npos ? criteria.size() + 1 : amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == pair.size()) {
      return Invalid(source, "criteria: '" + std::string(pair) + "' is not key=value");
    }
    std::string key = PercentDecode(pair.substr(0, eq), false);
    std::string value = PercentDecode(pair.substr(eq + 1), false);
    if (key == "_query") return Invalid(source, "criteria: a named query cannot name another");
    std::string_view code = KeyParam(key);
    if (!code.empty() && !IsResultParam(code)) {
      for (const std::string& t : q.types) {
        if (registry.Find(t, code) == nullptr) {
          return Invalid(source, "criteria: '" + std::string(code) + "' is not a search parameter of " + t);
        }
      }
    }
    HB_ASSIGN_OR_RETURN(std::vector<Placeholder> holders, Placeholders(value, source));
    for (const Placeholder& h : holders) {
      auto it = std::find_if(q.params.begin(), q.params.end(),
                             [&](const NamedQueryParam& p) { return p.name == h.name; });
      if (it == q.params.end()) {
        return Invalid(source, "criteria: {{" + h.name + "}} is not a declared parameter");
      }
      if (!h.fallback.empty() && it->search_type != "date") {
        return Invalid(source, "criteria: the default 'today' needs a date parameter, not '" + h.name + "'");
      }
      if (key == "_filter") {
        // A caller's value goes into the expression: only as the content of a string, where
        // it is escaped; a date or a number (checked before use) may also stand bare.
        bool bare_ok = it->search_type == "date" || it->search_type == "number";
        if (!bare_ok && !InFilterString(value, h.begin)) {
          return Invalid(source, "criteria: in _filter, {{" + h.name + "}} (searchType " +
                                     it->search_type +
                                     ") must be inside a double-quoted string: \"{{" + h.name +
                                     "}}\"");
        }
        if (it->repeats) {
          return Invalid(source, "criteria: in _filter, {{" + h.name +
                                     "}} takes one value: its parameter needs max = 1");
        }
      }
      used.insert(h.name);
    }
    q.criteria.emplace_back(std::move(key), std::move(value));
  }
  for (const NamedQueryParam& p : q.params) {
    if (!used.count(p.name)) {
      return Invalid(source, "parameter '" + p.name + "' is declared but the criteria do not use it");
    }
  }
  return q;
}

Result<std::vector<NamedQuery>> LoadNamedQueries(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> texts = {
      {"built-in kham-ngoai-tru-trong-ngay",
       fhir::vn::RebaseSystems(hb_nq_kham_ngoai_tru_trong_ngay_view())},
      {"built-in noi-tru-hien-tai", fhir::vn::RebaseSystems(hb_nq_noi_tru_hien_tai_view())},
      {"built-in ket-qua-bat-thuong", fhir::vn::RebaseSystems(hb_nq_ket_qua_bat_thuong_view())},
      {"built-in don-thuoc-trong-ngay", fhir::vn::RebaseSystems(hb_nq_don_thuoc_trong_ngay_view())},
  };
  HB_ASSIGN_OR_RETURN(auto files, ReadJsonFiles(dir, "OperationDefinition"));
  texts.insert(texts.end(), files.begin(), files.end());
  std::vector<NamedQuery> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [source, text] : texts) {
    HB_ASSIGN_OR_RETURN(NamedQuery q, ParseNamedQuery(text, source));
    for (const std::string& t : q.types) {
      if (!seen.emplace(t, q.code).second) {
        return Invalid(source, "the named query '" + q.code + "' on " + t + " is defined twice");
      }
    }
    out.push_back(std::move(q));
  }
  return out;
}

namespace {

struct Configured {
  std::mutex mu;
  std::unique_ptr<NamedQueries> queries;
  std::vector<std::string> keys;  // "type/code url", to compare configurations
};

Configured& TheConfigured() {
  static Configured* c = new Configured();
  return *c;
}

std::vector<std::string> KeysOf(const std::vector<NamedQuery>& qs) {
  std::vector<std::string> keys;
  for (const NamedQuery& q : qs) {
    std::string criteria;
    for (const auto& [k, v] : q.criteria) criteria += k + "=" + v + "&";
    for (const std::string& t : q.types) keys.push_back(t + "/" + q.code + " " + criteria);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

Status NamedQueries::Configure(std::vector<NamedQuery> queries, int utc_offset_minutes) {
  Configured& c = TheConfigured();
  std::lock_guard lock(c.mu);
  std::vector<std::string> keys = KeysOf(queries);
  if (c.queries) {
    if (keys == c.keys && utc_offset_minutes == c.queries->utc_offset_minutes_) {
      return Status::Ok();
    }
    return Status(ErrorCode::kConflict,
                  "named queries (and the day they call today) are already in use; they are "
                  "read at start-up");
  }
  c.keys = std::move(keys);
  c.queries.reset(new NamedQueries(std::move(queries), utc_offset_minutes));
  return Status::Ok();
}

const NamedQueries& NamedQueries::Default() {
  Configured& c = TheConfigured();
  std::lock_guard lock(c.mu);
  if (!c.queries) {
    auto built_in = LoadNamedQueries("");
    std::vector<NamedQuery> qs;
    if (built_in.ok()) qs = std::move(built_in).value();
    c.keys = KeysOf(qs);
    c.queries.reset(new NamedQueries(std::move(qs), kDefaultUtcOffsetMinutes));
  }
  return *c.queries;
}

const NamedQuery* NamedQueries::Find(std::string_view type, std::string_view code) const {
  for (const NamedQuery& q : queries_) {
    if (q.code != code) continue;
    if (std::find(q.types.begin(), q.types.end(), type) != q.types.end()) return &q;
  }
  return nullptr;
}

const std::vector<NamedQuery>& NamedQueries::All() const { return queries_; }

std::vector<const NamedQuery*> NamedQueries::ForType(std::string_view type) const {
  std::vector<const NamedQuery*> out;
  for (const NamedQuery& q : queries_) {
    if (std::find(q.types.begin(), q.types.end(), type) != q.types.end()) out.push_back(&q);
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ExpandNamedQuery(
    const NamedQuery& q, std::vector<std::pair<std::string, std::string>>* args,
    int64_t now_micros, int utc_offset_minutes) {
  // The query's own parameters, taken out of the request's.
  std::vector<std::vector<std::string>> values(q.params.size());
  std::vector<std::pair<std::string, std::string>> rest;
  for (auto& arg : *args) {
    std::string& name = arg.first;  // not a structured binding: clang 14 cannot capture those
    std::string& value = arg.second;
    auto it = std::find_if(q.params.begin(), q.params.end(),
                           [&](const NamedQueryParam& p) { return p.name == name; });
    if (it == q.params.end()) {
      rest.emplace_back(std::move(name), std::move(value));
      continue;
    }
    auto& v = values[static_cast<size_t>(it - q.params.begin())];
    if (!v.empty() && !it->repeats) {
      return BadUse(q, "parameter '" + it->name + "' may be given once");
    }
    HB_RETURN_IF_ERROR(CheckValue(q, *it, value));
    v.push_back(std::move(value));
  }
  *args = std::move(rest);
  for (size_t i = 0; i < q.params.size(); ++i) {
    if (q.params[i].min > 0 && values[i].empty()) {
      return BadUse(q, "parameter '" + q.params[i].name + "' is required");
    }
  }
  std::string today = LocalDate(now_micros != 0 ? now_micros : NowMicros(), utc_offset_minutes);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : q.criteria) {
    auto holders = Placeholders(value, q.source);
    if (!holders.ok()) return holders.status();  // checked at load; kept for safety
    std::string expanded;
    size_t at = 0;
    bool absent = false;
    for (const Placeholder& h : *holders) {
      expanded.append(value, at, h.begin - at);
      at = h.end;
      size_t i = static_cast<size_t>(
          std::find_if(q.params.begin(), q.params.end(),
                       [&](const NamedQueryParam& p) { return p.name == h.name; }) -
          q.params.begin());
      if (values[i].empty()) {
        if (h.fallback == "today") {
          expanded += today;
          continue;
        }
        absent = true;
        break;
      }
      std::string joined;
      for (const std::string& v : values[i]) {
        joined += (joined.empty() ? "" : ",") + (key == "_filter"
                                                     ? EscapeFilterString(v)
                                                     : EscapeValue(v, q.params[i].search_type));
      }
      expanded += joined;
    }
    if (absent) continue;  // an optional parameter that was not given: no such criterion
    expanded.append(value, at, std::string::npos);
    out.emplace_back(key, std::move(expanded));
  }
  return out;
}

}  // namespace hb::search
