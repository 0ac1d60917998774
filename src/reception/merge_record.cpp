#include "reception/merge_record.h"

#include <charconv>

#include "common/clock.h"
#include "reception/json_out.h"
#include "reception/uris.h"

namespace hb::reception {

namespace {

using fhir::JsonValue;
using fhir::Member;
using fhir::MemberString;

void Target(JsonOut& j, std::string_view type, std::string_view id, int64_t version,
            const std::vector<RepointedSite>& sites) {
  j.BeginObject();
  if (!sites.empty()) {
    j.Key("extension");
    j.BeginArray();
    for (const auto& s : sites) {
      j.BeginObject();
      j.Put("url", MergeRepointedExtension());
      j.Key("extension");
      j.BeginArray();
      j.Extension("path", "valueString", s.location);
      j.Extension("original", "valueString", s.original);
      j.EndArray();
      j.EndObject();
    }
    j.EndArray();
  }
  j.Put("reference",
        std::string(type) + "/" + std::string(id) + "/_history/" + std::to_string(version));
  j.EndObject();
}

// "Type/id/_history/n" -> parts; false when it is not that shape.
bool SplitVersioned(std::string_view ref, MergeChange* c) {
  size_t slash = ref.find('/');
  size_t hist = ref.find("/_history/");
  if (slash == std::string_view::npos || hist == std::string_view::npos || hist <= slash) {
    return false;
  }
  c->type = std::string(ref.substr(0, slash));
  c->id = std::string(ref.substr(slash + 1, hist - slash - 1));
  std::string_view v = ref.substr(hist + 10);
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), c->version);
  return ec == std::errc() && p == v.data() + v.size();
}

std::vector<RepointedSite> SitesOf(const JsonValue& target) {
  std::vector<RepointedSite> out;
  const JsonValue* exts = Member(target, "extension");
  if (!exts || !exts->IsArray()) return out;
  const std::string url = MergeRepointedExtension();
  for (const auto& e : exts->GetArray()) {
    if (!e.IsObject() || MemberString(e, "url") != url) continue;
    RepointedSite s;
    const JsonValue* parts = Member(e, "extension");
    for (size_t i = 0; parts && parts->IsArray() && i < parts->Size(); ++i) {
      const JsonValue& p = (*parts)[static_cast<rapidjson::SizeType>(i)];
      if (!p.IsObject()) continue;
      if (MemberString(p, "url") == "path") s.location = MemberString(p, "valueString");
      if (MemberString(p, "url") == "original") s.original = MemberString(p, "valueString");
    }
    if (!s.location.empty()) out.push_back(std::move(s));
  }
  return out;
}

std::string ActivityOf(const JsonValue& doc) {
  const JsonValue* act = Member(doc, "activity");
  const JsonValue* codings = act && act->IsObject() ? Member(*act, "coding") : nullptr;
  for (size_t i = 0; codings && codings->IsArray() && i < codings->Size(); ++i) {
    const JsonValue& c = (*codings)[static_cast<rapidjson::SizeType>(i)];
    if (c.IsObject() && MemberString(c, "system") == kLifecycleSystem) {
      return std::string(MemberString(c, "code"));
    }
  }
  return "";
}

}  // namespace

std::string MergeProvenanceJson(const MergeRecord& r, std::string_view activity,
                                std::string_view undoes, const ProvenanceAgent& agent,
                                int64_t now) {
  JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Provenance");
  if (r.source_active && activity == "merge") {
    j.Key("extension");
    j.BeginArray();
    j.BeginObject();
    j.Put("url", MergeSourceActiveExtension());
    j.PutBool("valueBoolean", *r.source_active);
    j.EndObject();
    j.EndArray();
  }
  j.Key("target");
  j.BeginArray();
  Target(j, "Patient", r.source_id, r.source_version, {});
  Target(j, "Patient", r.target_id, r.target_version, {});
  for (const auto& c : r.changes) Target(j, c.type, c.id, c.version, c.sites);
  j.EndArray();
  j.Put("recorded", FormatInstant(now));
  j.PutConcept(
      "activity", kLifecycleSystem, activity,
      activity == "merge" ? "Merge Record Lifecycle Event" : "Unmerge Record Lifecycle Event");
  j.Key("agent");
  j.BeginArray();
  j.BeginObject();
  j.PutConcept("type", "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
               "performer", "Performer");
  j.PutReference("who", agent.reference, agent.display);
  j.EndObject();
  j.EndArray();
  j.Key("entity");
  j.BeginArray();
  j.BeginObject();
  if (undoes.empty()) {
    j.Put("role", "source");
    j.PutReference("what", "Patient/" + r.source_id);
  } else {
    j.Put("role", "revision");
    j.PutReference("what", "Provenance/" + std::string(undoes));
  }
  j.EndObject();
  j.EndArray();
  j.EndObject();
  return j.Take();
}

std::string ProvenanceActivity(std::string_view json) {
  auto doc = fhir::ParseJson(json);
  return doc.ok() && doc->IsObject() ? ActivityOf(*doc) : "";
}

Result<MergeRecord> ParseMergeProvenance(std::string_view json) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(json));
  if (!doc.IsObject() || ActivityOf(doc) != "merge") {
    return Status(ErrorCode::kNotFound, "not a merge record");
  }
  MergeRecord r;
  if (const JsonValue* exts = Member(doc, "extension"); exts && exts->IsArray()) {
    for (const auto& e : exts->GetArray()) {
      const JsonValue* b = e.IsObject() ? Member(e, "valueBoolean") : nullptr;
      if (b && b->IsBool() && MemberString(e, "url") == MergeSourceActiveExtension()) {
        r.source_active = b->GetBool();
      }
    }
  }
  const JsonValue* targets = Member(doc, "target");
  if (!targets || !targets->IsArray() || targets->Size() < 2) {
    return Status(ErrorCode::kNotFound, "a merge record without its two patients");
  }
  for (size_t i = 0; i < targets->Size(); ++i) {
    const JsonValue& t = (*targets)[static_cast<rapidjson::SizeType>(i)];
    MergeChange c;
    if (!t.IsObject() || !SplitVersioned(MemberString(t, "reference"), &c)) continue;
    if (i == 0) {
      r.source_id = c.id, r.source_version = c.version;
    } else if (i == 1) {
      r.target_id = c.id, r.target_version = c.version;
    } else {
      c.sites = SitesOf(t);
      r.changes.push_back(std::move(c));
    }
  }
  if (r.source_id.empty() || r.target_id.empty()) {
    return Status(ErrorCode::kNotFound, "a merge record without its two patients");
  }
  return r;
}

}  // namespace hb::reception
