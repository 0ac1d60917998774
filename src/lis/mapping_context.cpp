#include "lis/mapping_context.h"

#include <cstdio>

#include "common/clock.h"
#include "lis/code_tables.h"
#include "lis/lis_systems.h"

namespace hb::lis {

// ---------------------------------------------------------------------------- BundleBuilder

BundleBuilder::BundleBuilder() {
  doc_.SetObject();
  JsonNode b(&doc_, &doc_.GetAllocator());
  b.Str("resourceType", "Bundle").Str("type", "transaction");
  b.Arr("entry");
}

fhir::JsonValue BundleBuilder::NewResource(std::string_view type) {
  fhir::JsonValue r(rapidjson::kObjectType);
  JsonNode(&r, &alloc()).Str("resourceType", type);
  return r;
}

std::string BundleBuilder::Add(fhir::JsonValue resource, std::string_view method, std::string url,
                               std::string_view if_none_exist, MergeRule rule) {
  PruneEmpty(resource);
  // Aliases only need to be unique within the Bundle; numbering them keeps the mapping
  // deterministic, so tests can compare whole Bundles.
  char alias[64];
  std::snprintf(alias, sizeof alias, "urn:uuid:00000000-0000-4000-8000-%012zx", rules_.size() + 1);
  fhir::JsonValue entry(rapidjson::kObjectType);
  JsonNode e(&entry, &alloc());
  e.Str("fullUrl", alias);
  {
    JsonNode request = e.Obj("request");
    request.Str("method", method).Str("url", url).Str("ifNoneExist", if_none_exist);
  }
  entry.AddMember("resource", resource, alloc());
  fhir::Member(doc_, "entry")->PushBack(entry, alloc());
  rules_.push_back(std::move(rule));
  return alias;
}

std::string BundleBuilder::Post(fhir::JsonValue resource, std::string_view if_none_exist) {
  std::string type(fhir::MemberString(resource, "resourceType"));
  return Add(std::move(resource), "POST", type, if_none_exist, {});
}

std::string BundleBuilder::Put(fhir::JsonValue resource, std::string_view condition,
                               MergeRule rule) {
  std::string url(fhir::MemberString(resource, "resourceType"));
  url.append(1, '?').append(condition);
  return Add(std::move(resource), "PUT", std::move(url), {}, std::move(rule));
}

std::string BundleBuilder::PutStable(fhir::JsonValue resource, std::string_view system,
                                     std::string_view value, MergeRule rule) {
  const std::string id = StableId(system, value);
  std::string url(fhir::MemberString(resource, "resourceType"));
  url.append(1, '/').append(id);
  fhir::JsonValue id_value;
  fhir::SetString(id_value, id, alloc());
  // "id" right after resourceType, where FHIR JSON puts it.
  fhir::JsonValue ordered(rapidjson::kObjectType);
  for (auto it = resource.MemberBegin(); it != resource.MemberEnd(); ++it) {
    ordered.AddMember(it->name, it->value, alloc());
    if (fhir::StringView(ordered.MemberBegin()->name) == "resourceType" &&
        ordered.MemberCount() == 1) {
      ordered.AddMember("id", id_value, alloc());
    }
  }
  return Add(std::move(ordered), "PUT", std::move(url), {}, std::move(rule));
}

MappedMessage BundleBuilder::Finish(std::string message_key, std::string summary) {
  MappedMessage m;
  m.bundle = std::move(doc_);
  m.rules = std::move(rules_);
  m.message_key = std::move(message_key);
  m.summary = std::move(summary);
  return m;
}

// ---------------------------------------------------------------------------- MapContext

MapContext::MapContext(const Message& message, const MappingOptions& options,
                       fhir::JsonAlloc& alloc)
    : msg_(message),
      options_(options),
      alloc_(alloc),
      received_(options.received_micros != 0 ? options.received_micros : NowMicros()) {}

void MapContext::Error(Hl7Error code, const Segment& segment, int field, std::string message) {
  AckError e;
  e.code = code;
  e.location.segment = segment.name();
  e.location.sequence = msg_.OccurrenceOf(&segment);
  e.location.field = field;
  e.user_message = std::move(message);
  errors_.push_back(std::move(e));
}

std::string MapContext::FacilityReference() const {
  return options_.facility_org.empty() ? std::string() : "Organization/" + options_.facility_org;
}

std::string MapContext::DateTime(const Segment& s, int field, int comp) {
  std::string ts = s.Get(field, 1, comp);
  if (ts.empty()) return {};
  auto r = TsToFhirDateTime(ts, options_.default_offset);
  if (!r.ok()) {
    Error(Hl7Error::kDataType, s, field,
          s.name() + "-" + std::to_string(field) + ": " + r.status().message());
    return {};
  }
  return *r;
}

std::string MapContext::Date(const Segment& s, int field) {
  std::string dt = DateTime(s, field);
  return dt.substr(0, std::min<size_t>(dt.size(), 10));
}

std::string MapContext::Instant(const Segment& s, int field) {
  std::string dt = DateTime(s, field);
  // "YYYY-MM-DDThh:mm:ss" and a zone: TsToFhirDateTime adds seconds and the zone once a time
  // is given, so only a date-only or shorter value falls short of an instant.
  return dt.size() >= 20 ? dt : std::string();
}

bool MapContext::CodeableConcept(JsonNode out, const Segment& s, int field, int rep) {
  Cwe cwe = ReadCwe(s, field, rep);
  if (cwe.code.empty() && cwe.text.empty() && cwe.alternate_code.empty()) return false;
  const std::string& facility = options_.facility;
  JsonNode codings = out.Arr("coding");
  bool has_loinc = false;
  std::string local_code;
  auto add = [&](const std::string& code, const std::string& text, const std::string& system) {
    if (code.empty()) return;
    codings.Add().Coding(CodingSystemUri(system, facility), code, text);
    has_loinc |= CodingSystemUri(system, facility) == kLoincSystem;
    if (IsLocalCodingSystem(system) && local_code.empty()) local_code = code;
  };
  add(cwe.code, cwe.text, cwe.system);
  add(cwe.alternate_code, cwe.alternate_text, cwe.alternate_system);
  if (!has_loinc && !local_code.empty() && options_.local_codes != nullptr) {
    if (const LoincTarget* t = options_.local_codes->Find(local_code)) {
      codings.Add().Coding(kLoincSystem, t->loinc, t->loinc_display);
    }
  }
  out.Str("text", !cwe.text.empty() ? cwe.text : cwe.alternate_text);
  return true;
}

std::string MapContext::PersonName(const Segment& s, int field, int rep) const {
  std::string name;
  for (int comp : {6, 2, 3, 4}) {  // prefix ("BS."), family, given, middle: Vietnamese order
    std::string part = s.Get(field, rep, comp);
    if (part.empty()) continue;
    if (!name.empty()) name.push_back(' ');
    name += part;
  }
  return name;
}

bool MapContext::PersonReference(JsonNode out, const Segment& s, int field, int rep) {
  std::string id = s.Get(field, rep, 1);
  std::string name = PersonName(s, field, rep);
  if (id.empty() && name.empty()) return false;
  if (!id.empty()) {
    JsonNode ident = out.Obj("identifier");
    ident.Str("system", StaffCodeSystem(options_.facility)).Str("value", id);
  }
  out.Str("display", name);
  return true;
}

std::string JsonNumber(std::string_view nm) {
  if (!IsHl7Numeric(nm)) return {};
  std::string out;
  if (nm.front() == '+') nm.remove_prefix(1);
  if (nm.front() == '-') {
    out.push_back('-');
    nm.remove_prefix(1);
  }
  if (nm.front() == '.') out.push_back('0');
  out.append(nm);
  if (out.back() == '.') out.pop_back();
  // JSON forbids leading zeros ("007"); keep one before the point.
  size_t first = out.front() == '-' ? 1 : 0;
  while (out.size() > first + 1 && out[first] == '0' && out[first + 1] != '.') {
    out.erase(first, 1);
  }
  return out;
}

}  // namespace hb::lis
