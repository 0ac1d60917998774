#include "access/derived_links.h"

#include <limits>

#include "common/clock.h"

namespace hb::access {

namespace {

constexpr int64_t kOpen = std::numeric_limits<int64_t>::max();

// "Patient/x" -> "x" when the reference is to `type`; "" otherwise.
std::string_view RefId(const fhir::JsonValue* ref, std::string_view type) {
  if (!ref || !ref->IsObject()) return {};
  std::string_view r = fhir::MemberString(*ref, "reference");
  if (r.size() <= type.size() + 1 || r.substr(0, type.size()) != type || r[type.size()] != '/') {
    return {};
  }
  r.remove_prefix(type.size() + 1);
  return r.substr(0, r.find('/'));
}

int64_t TimeOr(const fhir::JsonValue& obj, std::string_view name, int64_t fallback) {
  std::string_view v = fhir::MemberString(obj, name);
  if (v.empty()) return fallback;
  auto t = ParseFhirDateTime(v);
  return t ? *t : fallback;
}

bool StatusIn(const fhir::JsonValue& r, std::initializer_list<std::string_view> open) {
  std::string_view s = fhir::MemberString(r, "status");
  for (auto o : open) {
    if (s == o) return true;
  }
  return false;
}

template <typename Fn>
void EachRef(const fhir::JsonValue& r, std::string_view member, Fn fn) {
  const fhir::JsonValue* v = fhir::Member(r, member);
  if (!v) return;
  if (v->IsArray()) {
    for (const auto& e : v->GetArray()) fn(&e);
  } else {
    fn(v);
  }
}

}  // namespace

void DeriveLinks(std::string_view type, std::string_view id, const fhir::JsonValue& r,
                 int64_t now, std::vector<storage::CareLink>* care,
                 std::vector<storage::ConsentDeny>* denies) {
  auto add = [&](std::string_view patient, std::string_view org, int64_t until) {
    if (!patient.empty() && !org.empty()) {
      care->push_back({std::string(patient), std::string(org), until});
    }
  };
  if (type == "Encounter") {
    std::string_view patient = RefId(fhir::Member(r, "subject"), "Patient");
    std::string_view org = RefId(fhir::Member(r, "serviceProvider"), "Organization");
    int64_t until = kOpen;
    if (!StatusIn(r, {"planned", "arrived", "triaged", "in-progress", "onleave"})) {
      const fhir::JsonValue* period = fhir::Member(r, "period");
      until = period ? TimeOr(*period, "end", TimeOr(*period, "start", now)) : now;
    }
    add(patient, org, until);
  } else if (type == "EpisodeOfCare") {
    add(RefId(fhir::Member(r, "patient"), "Patient"),
        RefId(fhir::Member(r, "managingOrganization"), "Organization"),
        StatusIn(r, {"active", "planned", "waitlist", "onhold"}) ? kOpen : now);
  } else if (type == "ServiceRequest") {
    std::string_view patient = RefId(fhir::Member(r, "subject"), "Patient");
    int64_t until =
        StatusIn(r, {"draft", "active", "on-hold"}) ? kOpen : TimeOr(r, "authoredOn", now);
    EachRef(r, "performer", [&](const fhir::JsonValue* p) {
      add(patient, RefId(p, "Organization"), until);
    });
  } else if (type == "Patient") {
    add(id, RefId(fhir::Member(r, "managingOrganization"), "Organization"), kOpen);
    EachRef(r, "generalPractitioner", [&](const fhir::JsonValue* p) {
      add(id, RefId(p, "Organization"), kOpen);
    });
  } else if (type == "Consent") {
    if (fhir::MemberString(r, "status") != "active") return;
    const fhir::JsonValue* prov = fhir::Member(r, "provision");
    if (!prov || fhir::MemberString(*prov, "type") != "deny") return;
    std::string patient(RefId(fhir::Member(r, "patient"), "Patient"));
    if (patient.empty()) return;
    std::string types;
    EachRef(*prov, "class", [&](const fhir::JsonValue* c) {
      std::string_view code = fhir::MemberString(*c, "code");
      if (code.empty()) return;
      if (!types.empty()) types += ' ';
      types.append(code);
    });
    size_t before = denies->size();
    EachRef(*prov, "actor", [&](const fhir::JsonValue* actor) {
      std::string_view org = RefId(fhir::Member(*actor, "reference"), "Organization");
      if (!org.empty()) denies->push_back({patient, std::string(org), types});
    });
    if (denies->size() == before) denies->push_back({patient, "*", types});
  }
}

}  // namespace hb::access
