#include "rest/search_op.h"

#include <unordered_set>

#include <spdlog/spdlog.h>

#include "access/access_policy.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "rest/terminology_source.h"
#include "search/contained.h"

namespace hb::rest {

namespace {

constexpr const char* kSubsettedSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

std::string KeyOf(const storage::ResourceVersion& v) { return v.type + "/" + v.id; }

// The JSON member names that stand for `element` of `type`: the name itself, the
// expanded choice forms (value -> valueQuantity), and their `_x` companions.
bool Selected(std::string_view type, std::string_view member,
              const std::vector<std::string_view>& wanted) {
  std::string_view name = member.starts_with('_') ? member.substr(1) : member;
  const fhir::ElementDef* def = fhir::Model::R4().FindElement(type, name);
  for (std::string_view w : wanted) {
    if (name == w) return true;
    if (def != nullptr && def->choice_group == w) return true;
  }
  return false;
}

void MarkSubsetted(fhir::JsonValue& resource, fhir::JsonAlloc& alloc) {
  fhir::JsonValue* meta = fhir::Member(resource, "meta");
  if (meta == nullptr || !meta->IsObject()) {
    resource.AddMember("meta", fhir::JsonValue(rapidjson::kObjectType), alloc);
    meta = fhir::Member(resource, "meta");
  }
  fhir::JsonValue* tags = fhir::Member(*meta, "tag");
  if (tags == nullptr || !tags->IsArray()) {
    meta->AddMember("tag", fhir::JsonValue(rapidjson::kArrayType), alloc);
    tags = fhir::Member(*meta, "tag");
  }
  fhir::JsonValue tag(rapidjson::kObjectType);
  tag.AddMember("system", rapidjson::StringRef(kSubsettedSystem), alloc);
  tag.AddMember("code", "SUBSETTED", alloc);
  tags->PushBack(tag, alloc);
}

// True when `c` or a criterion inside it is a _has over patient data.
bool HasOverPatientData(const search::Criterion& c) {
  if (c.kind == search::Criterion::Kind::kHas && !c.inner.empty() &&
      access::IsPatientData(c.inner.front().resource_type)) {
    return true;
  }
  for (const search::Criterion& inner : c.inner) {
    if (HasOverPatientData(inner)) return true;
  }
  return false;
}

// Copies into `out` the members of `in` (an element of `context`) that the summary view
// keeps: those marked isSummary in R4, recursively into complex elements. Sets `dropped`
// when anything was left out.
void CopySummary(const fhir::JsonValue& in, std::string_view context, fhir::JsonValue& out,
                 fhir::JsonAlloc& alloc, bool& dropped) {
  const fhir::Model& model = fhir::Model::R4();
  for (const auto& m : in.GetObject()) {
    std::string_view name = fhir::StringView(m.name);
    std::string_view element = name.starts_with('_') ? name.substr(1) : name;
    const fhir::ElementDef* def = model.FindElement(context, element);
    if (name != "resourceType" && (def == nullptr || !def->summary)) {
      dropped = true;
      continue;
    }
    bool nested = def != nullptr && !def->is_primitive && !def->polymorphic && !name.starts_with('_');
    if (!nested) {
      out.AddMember(fhir::JsonValue(m.name, alloc), fhir::JsonValue(m.value, alloc), alloc);
      continue;
    }
    auto copy = [&](const fhir::JsonValue& v) {
      if (!v.IsObject()) return fhir::JsonValue(v, alloc);
      fhir::JsonValue o(rapidjson::kObjectType);
      CopySummary(v, def->context.empty() ? def->type : def->context, o, alloc, dropped);
      return o;
    };
    if (m.value.IsArray()) {
      fhir::JsonValue a(rapidjson::kArrayType);
      for (const auto& item : m.value.GetArray()) a.PushBack(copy(item), alloc);
      out.AddMember(fhir::JsonValue(m.name, alloc), a, alloc);
    } else {
      out.AddMember(fhir::JsonValue(m.name, alloc), copy(m.value), alloc);
    }
  }
}

}  // namespace

Status CheckCriteriaAccess(const access::Principal& principal, const search::SearchQuery& q) {
  if (principal.role == access::Role::kSystem) return Status::Ok();
  for (const search::Criterion& c : q.criteria) {
    if (HasOverPatientData(c)) {
      return Status(ErrorCode::kForbidden,
                    "_has over patient data would select records by data the caller may not "
                    "read; it is for operator tokens only");
    }
  }
  return Status::Ok();
}

std::string ShapeResource(const std::string& json, const search::SearchQuery& q) {
  bool elements = !q.elements.empty();
  if (!elements && q.summary != search::Summary::kText && q.summary != search::Summary::kData &&
      q.summary != search::Summary::kTrue) {
    return json;
  }
  auto doc = fhir::ParseJson(json);
  if (!doc.ok() || !doc->IsObject()) return json;
  std::string type(fhir::MemberString(*doc, "resourceType"));
  if (q.summary == search::Summary::kTrue && !elements) {
    fhir::JsonDoc out;
    out.SetObject();
    bool dropped = false;
    CopySummary(*doc, type, out, out.GetAllocator(), dropped);
    if (!dropped) return json;
    MarkSubsetted(out, out.GetAllocator());
    return fhir::Serialize(out);
  }
  std::vector<std::string_view> wanted;
  if (elements) {
    for (const std::string& e : q.elements) wanted.push_back(e);
  }
  if (q.summary == search::Summary::kText) {
    wanted.push_back("text");
    for (const fhir::ElementDef* e : fhir::Model::R4().RequiredElements(type)) {
      wanted.push_back(e->choice_group.empty() ? e->name : e->choice_group);
    }
  }
  fhir::JsonDoc out;
  out.SetObject();
  auto& alloc = out.GetAllocator();
  bool dropped = false;
  for (auto& m : doc->GetObject()) {
    std::string_view name = fhir::StringView(m.name);
    bool keep;
    if (name == "resourceType" || name == "id" || name == "meta") {
      keep = true;
    } else if (q.summary == search::Summary::kData && !elements) {
      keep = name != "text";
    } else {
      keep =
          Selected(type, name, wanted) && !(q.summary == search::Summary::kData && name == "text");
    }
    if (keep) {
      out.AddMember(fhir::JsonValue(m.name, alloc), fhir::JsonValue(m.value, alloc), alloc);
    } else {
      dropped = true;
    }
  }
  if (!dropped) return json;
  MarkSubsetted(out, alloc);
  return fhir::Serialize(out);
}

Result<SearchOutcome> ExecuteSearch(storage::ReadTxn& txn, const search::SearchQuery& q,
                                    ReadAccess& access, bool filter,
                                    std::vector<storage::ResourceVersion> lead) {
  SearchOutcome out;
  search::SearchQuery expanded;
  HB_ASSIGN_OR_RETURN(const search::SearchQuery* run, WithTerminology(txn, q, expanded));
  HB_ASSIGN_OR_RETURN(storage::SearchResult r, txn.Search(*run));
  out.total = r.total;
  out.fetched = r.matches.size();
  out.matches = std::move(r.matches);
  // Scopes were checked on the searched type; a `_contained` match is returned as its
  // container (or, with _containedType=contained, as the contained resource), which may be of
  // another type: the token must be allowed to read that type too.
  auto type_allowed = [&](std::string_view type) {
    return type == q.type || access.CheckType(type).ok();
  };
  const bool containers = filter && q.contained != search::Contained::kFalse;
  if (q.contained_type_contained) {
    // _containedType=contained (search/contained.h): a match "<container id>#<id>" is the
    // resource contained there, read with its container's need-to-know (and a Consent on its
    // own type), returned alone.
    size_t kept = 0;
    for (size_t i = 0; i < out.matches.size(); ++i) {
      storage::ResourceVersion& m = out.matches[i];
      size_t hash = m.id.find('#');
      if (hash != std::string::npos) {
        storage::ResourceVersion container;
        container.type = m.type;
        container.id = m.id.substr(0, hash);
        std::string_view contained_id = std::string_view(m.id).substr(hash + 1);
        std::string type;
        std::string json = search::ContainedResourceJson(m.json, contained_id, &type);
        if (json.empty() || type.empty()) {
          // The index named a contained resource the container no longer holds (or one
          // without a type): nothing to return, and the total no longer counts the page.
          spdlog::warn("search {}: the contained match {}/{} is not in its container",
                       q.type, m.type, m.id);
          out.withheld = true;
          continue;
        }
        if (filter && (!type_allowed(type) || !type_allowed(m.type) ||
                       !access.CheckContained(txn, container, type, contained_id).ok())) {
          out.withheld = true;
          continue;
        }
        m.json = std::move(json);
      } else if (filter && (!type_allowed(m.type) || !access.Check(txn, m).ok())) {
        out.withheld = true;
        continue;
      }
      if (kept != i) out.matches[kept] = std::move(m);
      ++kept;
    }
    out.matches.resize(kept);
  } else if (filter) {
    if (containers) {
      size_t before = out.matches.size();
      std::erase_if(out.matches,
                    [&](const storage::ResourceVersion& v) { return !type_allowed(v.type); });
      out.withheld = out.matches.size() != before;
    }
    if (access.Filter(txn, out.matches,
                      [](const storage::ResourceVersion& v) -> const storage::ResourceVersion& {
                        return v;
                      })) {
      out.withheld = true;
    }
  }
  if (!lead.empty()) {
    if (out.total >= 0) out.total += static_cast<int64_t>(lead.size());
    out.matches.insert(out.matches.begin(), std::make_move_iterator(lead.begin()),
                       std::make_move_iterator(lead.end()));
  }
  if (q.includes.empty() || out.matches.empty()) return out;
  std::unordered_set<std::string> seen;
  std::vector<storage::ResourceKey> frontier;
  for (const auto& v : out.matches) {
    seen.insert(KeyOf(v));
    frontier.push_back({v.type, v.id});
  }
  for (int round = 0; round < kMaxIncludeRounds && !frontier.empty(); ++round) {
    std::vector<storage::ResourceKey> next;
    for (const search::IncludeSpec& spec : q.includes) {
      if (round > 0 && !spec.iterate) continue;
      int room = kMaxIncluded - static_cast<int>(out.included.size());
      if (room <= 0) break;
      HB_ASSIGN_OR_RETURN(auto found, txn.Include(spec, frontier, room));
      for (auto& v : found) {
        if (!seen.insert(KeyOf(v)).second) continue;
        // Included resources go through the same checks as the matches: the token's scopes
        // on their own type (an Observation-only token gets no Patient through _include)
        // and need-to-know.
        if (!access.CheckType(v.type).ok() || !access.Check(txn, v).ok()) continue;
        next.push_back({v.type, v.id});
        out.included.push_back(std::move(v));
      }
    }
    frontier = std::move(next);
  }
  return out;
}

}  // namespace hb::rest
