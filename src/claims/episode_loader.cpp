#include "claims/episode_loader.h"

#include <set>

#include "claims/fhir_read.h"
#include "fhir/vn_systems.h"
#include "search/query_parser.h"

namespace hb::claims {

namespace {

Result<fhir::JsonDoc> ReadDoc(storage::ReadTxn& txn, std::string_view type, std::string_view id) {
  HB_ASSIGN_OR_RETURN(storage::ResourceVersion v, txn.Read(type, id));
  if (v.deleted)
    return Status(ErrorCode::kNotFound, std::string(type) + "/" + std::string(id) + " is deleted");
  return fhir::ParseJson(v.json);
}

Result<std::vector<fhir::JsonDoc>> SearchDocs(storage::ReadTxn& txn, std::string_view type,
                                              std::string_view param, std::string value) {
  search::ParseOptions o;
  o.strict = true;
  o.max_count = 1000;
  HB_ASSIGN_OR_RETURN(
      search::SearchQuery q,
      search::ParseSearch(type, {{std::string(param), std::move(value)}, {"_count", "1000"}}, o));
  q.total = false;
  HB_ASSIGN_OR_RETURN(storage::SearchResult r, txn.Search(q));
  std::vector<fhir::JsonDoc> out;
  out.reserve(r.matches.size());
  for (const auto& m : r.matches) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, fhir::ParseJson(m.json));
    out.push_back(std::move(d));
  }
  return out;
}

Result<FacilityFacts> ReadFacility(storage::ReadTxn& txn, std::string_view id) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc org, ReadDoc(txn, "Organization", id));
  FacilityFacts f;
  f.id = std::string(id);
  f.code = std::string(IdentifierIn(org, fhir::vn::Systems().facility));
  f.name = std::string(fhir::MemberString(org, "name"));
  f.level = LevelFromTypeText(ConceptText(First(org, "type")));
  return f;
}

// Every Practitioner the episode's resources name, with the paths the mappings read.
void CollectPractitioners(const fhir::JsonValue& v, std::set<std::string>& ids) {
  if (v.IsObject()) {
    if (const fhir::JsonValue* r = fhir::Member(v, "reference"); r && fhir::IsString(*r)) {
      std::string_view ref = fhir::StringView(*r);
      if (ref.starts_with("Practitioner/")) ids.emplace(ref.substr(13));
    }
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) CollectPractitioners(it->value, ids);
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) CollectPractitioners(e, ids);
  }
}

}  // namespace

Result<Episode> LoadEpisode(storage::ReadTxn& txn, std::string_view encounter_id,
                            std::string_view default_facility) {
  Episode e;
  HB_ASSIGN_OR_RETURN(e.encounter, ReadDoc(txn, "Encounter", encounter_id));
  const std::string enc_ref = "Encounter/" + std::string(encounter_id);
  std::string_view patient_id = RefId(At(e.encounter, {"subject"}), "Patient");
  if (patient_id.empty()) return Status(ErrorCode::kNotFound, enc_ref + " has no Patient subject");
  HB_ASSIGN_OR_RETURN(e.patient, ReadDoc(txn, "Patient", patient_id));
  std::string_view provider = RefId(At(e.encounter, {"serviceProvider"}), "Organization");
  if (provider.empty() && !default_facility.empty()) {
    e.facility.code = std::string(default_facility);
  } else if (provider.empty()) {
    return Status(ErrorCode::kUnprocessable, enc_ref + " names no serviceProvider (MA_CSKCB)");
  } else {
    HB_ASSIGN_OR_RETURN(e.facility, ReadFacility(txn, provider));
  }
  if (e.facility.code.empty())
    return Status(ErrorCode::kUnprocessable,
                  "Organization/" + std::string(provider) + " has no facility code (MA_CSKCB)");
  if (std::string_view gp = RefId(First(e.patient, "generalPractitioner"), "Organization");
      !gp.empty()) {
    auto reg = ReadFacility(txn, gp);
    if (reg.ok()) e.registered = std::move(reg).value();
  }

  // The Coverage in force when the episode began (the latest one when none says so).
  const std::string start(Str(e.encounter, {"period", "start"}));
  HB_ASSIGN_OR_RETURN(auto coverages, SearchDocs(txn, "Coverage", "beneficiary",
                                                 "Patient/" + std::string(patient_id)));
  for (auto& c : coverages) {
    if (fhir::MemberString(c, "status") != "active") continue;
    std::string_view from = Str(c, {"period", "start"}), to = Str(c, {"period", "end"});
    const bool covers = (from.empty() || from.substr(0, 10) <= start.substr(0, 10)) &&
                        (to.empty() || to.substr(0, 10) >= start.substr(0, 10));
    if (covers || !e.coverage) {
      e.coverage = std::move(c);
      if (covers) break;
    }
  }

  HB_ASSIGN_OR_RETURN(e.conditions, SearchDocs(txn, "Condition", "encounter", enc_ref));
  HB_ASSIGN_OR_RETURN(e.charge_items, SearchDocs(txn, "ChargeItem", "context", enc_ref));
  HB_ASSIGN_OR_RETURN(e.medication_requests,
                      SearchDocs(txn, "MedicationRequest", "encounter", enc_ref));
  HB_ASSIGN_OR_RETURN(e.medication_dispenses,
                      SearchDocs(txn, "MedicationDispense", "context", enc_ref));
  HB_ASSIGN_OR_RETURN(e.medication_administrations,
                      SearchDocs(txn, "MedicationAdministration", "context", enc_ref));
  HB_ASSIGN_OR_RETURN(e.observations, SearchDocs(txn, "Observation", "encounter", enc_ref));
  HB_ASSIGN_OR_RETURN(e.diagnostic_reports,
                      SearchDocs(txn, "DiagnosticReport", "encounter", enc_ref));
  HB_ASSIGN_OR_RETURN(e.referrals, SearchDocs(txn, "ServiceRequest", "encounter", enc_ref));
  // Only referrals (SNOMED 3457005 "Patient referral", as $close-visit and $discharge write
  // them) are; the encounter's lab, imaging and procedure orders are ServiceRequests too.
  std::erase_if(e.referrals, [](const fhir::JsonDoc& sr) {
    const fhir::JsonValue* cats = fhir::Member(sr, "category");
    if (!cats || !cats->IsArray()) return true;
    for (const auto& c : cats->GetArray()) {
      const fhir::JsonValue* codings = fhir::Member(c, "coding");
      if (!codings || !codings->IsArray()) continue;
      for (const auto& k : codings->GetArray()) {
        if (fhir::MemberString(k, "code") == "3457005") return false;
      }
    }
    return true;
  });
  HB_ASSIGN_OR_RETURN(e.appointments, SearchDocs(txn, "Appointment", "supporting-info", enc_ref));

  std::set<std::string> practitioners;
  CollectPractitioners(e.encounter, practitioners);
  for (const auto* list : {&e.conditions, &e.charge_items, &e.medication_requests,
                           &e.medication_dispenses, &e.medication_administrations, &e.observations,
                           &e.diagnostic_reports, &e.referrals, &e.appointments}) {
    for (const auto& d : *list) CollectPractitioners(d, practitioners);
  }
  for (const std::string& id : practitioners) {
    auto p = ReadDoc(txn, "Practitioner", id);
    if (!p.ok()) continue;  // a dangling reference leaves MA_BAC_SI empty: the validator says so
    PractitionerFacts f;
    f.licence = std::string(IdentifierIn(*p, fhir::vn::Systems().practitioner_licence));
    if (const fhir::JsonValue* n = First(*p, "name")) f.name = std::string(Str(*n, {"text"}));
    e.practitioners.emplace(id, std::move(f));
  }
  // Other facilities the tables name: referral destinations and the referring one.
  auto add_org = [&](const fhir::JsonValue* ref) {
    std::string_view org = RefId(ref, "Organization");
    if (org.empty() || e.organizations.count(std::string(org))) return;
    auto f = ReadFacility(txn, org);
    if (f.ok()) e.organizations.emplace(std::string(org), std::move(f).value());
  };
  add_org(At(e.encounter, {"hospitalization", "origin"}));
  add_org(At(e.encounter, {"hospitalization", "destination"}));
  for (const auto& r : e.referrals) {
    const fhir::JsonValue* performers = fhir::Member(r, "performer");
    if (!performers || !performers->IsArray()) continue;
    for (const auto& p : performers->GetArray()) add_org(&p);
  }
  return e;
}

const PractitionerFacts* Episode::Practitioner(std::string_view id) const {
  auto it = practitioners.find(std::string(id));
  return it == practitioners.end() ? nullptr : &it->second;
}

bool IsInpatient(const Episode& e) {
  const std::string_view cls = Str(e.encounter, {"class", "code"});
  return cls == "IMP" || cls == "ACUTE" || cls == "NONAC" || cls == "SS";
}

FacilityLevel LevelFromTypeText(std::string_view t) {
  if (t.find("xã") != std::string_view::npos) return FacilityLevel::kCommune;
  if (t.find("huyện") != std::string_view::npos) return FacilityLevel::kDistrict;
  if (t.find("tỉnh") != std::string_view::npos) return FacilityLevel::kProvince;
  if (t.find("trung ương") != std::string_view::npos) return FacilityLevel::kCentral;
  return FacilityLevel::kDistrict;
}

}  // namespace hb::claims
