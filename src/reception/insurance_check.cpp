#include "reception/insurance_check.h"

#include "fhir/vn_systems.h"
#include "reception/json_out.h"
#include "reception/patient_features.h"
#include "reception/uris.h"

namespace hb::reception {

namespace {

using fhir::JsonValue;
using fhir::Member;
using fhir::MemberString;

// A complete ISO date (the first 10 characters of a date or dateTime); nullopt otherwise.
std::optional<identity::CardDate> IsoDate(std::string_view iso) {
  BirthDate b = ParseBirthDate(iso.substr(0, 10));
  if (!b.complete()) return std::nullopt;
  return identity::CardDate{b.year, b.month, b.day};
}

std::string_view StatusOf(const InsuranceCheck& c) { return c.valid ? "active" : "cancelled"; }

std::string NetworkText(const std::optional<bool>& n) { return !n ? "" : *n ? "in" : "out"; }

// What makes two checks the same record: card, period, status, where and when, network.
std::string Signature(std::string_view card, std::string_view status, std::string_view start,
                      std::string_view end, std::string_view facility, std::string_view date,
                      std::string_view network) {
  std::string s;
  for (std::string_view part : {card, status, start, end, facility, date, network}) {
    s.append(part).push_back('\x1f');
  }
  return s;
}

}  // namespace

InsuranceCard CardOf(const identity::BhytCard& card) {
  InsuranceCard c;
  c.card_number = card.card_number;
  c.parts = card.parts;
  c.valid_from = card.valid_from;
  c.valid_to = card.valid_to;
  c.registered_facility = card.facility_code;
  c.registered_facility_name = card.facility_name.value_or("");
  return c;
}

std::optional<InsuranceCard> CardOfPatient(const JsonValue& patient) {
  const JsonValue* ids = Member(patient, "identifier");
  if (!ids || !ids->IsArray()) return std::nullopt;
  for (const auto& id : ids->GetArray()) {
    if (!id.IsObject() || MemberString(id, "system") != fhir::vn::Systems().bhyt_card) continue;
    auto parts = identity::ParseBhytCardNumber(MemberString(id, "value"), "insurance card");
    if (!parts.ok()) continue;
    InsuranceCard c;
    c.card_number = std::string(MemberString(id, "value"));
    c.parts = *parts;
    if (const JsonValue* p = Member(id, "period"); p && p->IsObject()) {
      c.valid_from = IsoDate(MemberString(*p, "start"));
      c.valid_to = IsoDate(MemberString(*p, "end"));
    }
    return c;
  }
  return std::nullopt;
}

InsuranceCheck CheckInsurance(const InsuranceCard& card, const identity::CardDate& visit,
                              std::string_view facility) {
  InsuranceCheck c;
  c.facility = std::string(facility);
  c.visit_date = visit.ToIso();
  c.beneficiary_group = card.parts.group;
  c.benefit_level = card.parts.benefit_level;
  c.benefit_percent = identity::BenefitPercent(card.parts.benefit_level);
  if (!card.valid_from) {
    c.warnings.push_back("the card's valid-from date is not known");
  } else if (visit < *card.valid_from) {
    c.problems.push_back("the card is valid only from " + card.valid_from->ToIso());
  }
  if (!card.valid_to) {
    c.warnings.push_back("the card's valid-to date is not known: validity assumed");
  } else if (*card.valid_to < visit) {
    c.problems.push_back("the card expired on " + card.valid_to->ToIso());
  }
  c.valid = c.problems.empty();
  const std::string& reg = card.registered_facility;
  if (reg.empty()) {
    c.warnings.push_back("the registered facility (MA_DKBD) is not known: scan the insurance card");
  } else if (facility.empty()) {
    c.warnings.push_back("no facility to compare the registered facility " + reg + " with");
  } else if (reg == facility) {
    c.in_network = true;
  } else if (reg.size() == 5 && reg.ends_with("000") && facility.starts_with(reg.substr(0, 2))) {
    c.in_network = true;  // a temporary card (province + 000) is registered province-wide
    c.warnings.push_back("temporary card: registered facility " + reg + " (the whole province)");
  } else {
    c.in_network = false;
    c.warnings.push_back("out of network: the card is registered at " + reg +
                         (card.registered_facility_name.empty()
                              ? std::string()
                              : " (" + card.registered_facility_name + ")"));
  }
  return c;
}

std::string CoverageJson(const InsuranceCard& card, const InsuranceCheck& check,
                         std::string_view patient_id, std::string_view patient_display,
                         std::string_view payor) {
  JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Coverage");
  j.Key("extension");
  j.BeginArray();
  j.BeginObject();
  j.Put("url", InsuranceCheckExtension());
  j.Key("extension");
  j.BeginArray();
  if (!check.facility.empty()) j.Extension("facility", "valueString", check.facility);
  j.Extension("date", "valueDate", check.visit_date);
  if (check.in_network) {
    j.BeginObject();
    j.Put("url", "in-network");
    j.PutBool("valueBoolean", *check.in_network);
    j.EndObject();
  }
  j.Extension("source", "valueCode", check.source);
  for (const auto& p : check.problems) j.Extension("problem", "valueString", p);
  j.EndArray();
  j.EndObject();
  j.EndArray();
  j.Key("identifier");
  j.BeginArray();
  j.BeginObject();
  j.Put("system", fhir::vn::Systems().bhyt_card);
  j.Put("value", card.card_number);
  j.EndObject();
  j.EndArray();
  j.Put("status", StatusOf(check));
  j.PutConcept("type", kActCodeSystem, "PUBLICPOL", "public healthcare", "Bảo hiểm y tế");
  const std::string patient = "Patient/" + std::string(patient_id);
  j.PutReference("subscriber", patient, patient_display);
  j.Put("subscriberId", card.card_number);
  j.PutReference("beneficiary", patient, patient_display);
  j.PutConcept("relationship", "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
               "self", "Self");
  if (card.valid_from || card.valid_to) {
    j.Key("period");
    j.BeginObject();
    if (card.valid_from) j.Put("start", card.valid_from->ToIso());
    if (card.valid_to) j.Put("end", card.valid_to->ToIso());
    j.EndObject();
  }
  j.PutReferenceArray("payor", payor.empty() ? std::string() : "Organization/" + std::string(payor),
                      "Bảo hiểm xã hội Việt Nam");
  j.Key("class");
  j.BeginArray();
  j.BeginObject();
  j.PutConcept("type", kCoverageClassSystem, "group", "Group");
  j.Put("value", card.parts.group);
  j.Put("name", "Đối tượng " + card.parts.group);
  j.EndObject();
  j.BeginObject();
  j.PutConcept("type", kCoverageClassSystem, "plan", "Plan");
  j.Put("value", std::to_string(card.parts.benefit_level));
  j.Put("name", "Mức hưởng " + std::to_string(card.parts.benefit_level) + ": " +
                    std::to_string(check.benefit_percent) + "%");
  j.EndObject();
  j.EndArray();
  if (!card.registered_facility.empty()) j.Put("network", card.registered_facility);
  j.EndObject();
  return j.Take();
}

bool SameCoverage(std::string_view json, const InsuranceCard& card, const InsuranceCheck& check) {
  auto doc = fhir::ParseJson(json);
  if (!doc.ok() || !doc->IsObject()) return false;
  std::string_view facility, date, network, source;
  const JsonValue* exts = Member(*doc, "extension");
  for (size_t i = 0; exts && exts->IsArray() && i < exts->Size(); ++i) {
    const JsonValue& e = (*exts)[static_cast<rapidjson::SizeType>(i)];
    if (!e.IsObject() || MemberString(e, "url") != InsuranceCheckExtension()) continue;
    const JsonValue* parts = Member(e, "extension");
    if (!parts || !parts->IsArray()) continue;
    for (const auto& p : parts->GetArray()) {
      if (!p.IsObject()) continue;
      std::string_view url = MemberString(p, "url");
      if (url == "facility") facility = MemberString(p, "valueString");
      if (url == "date") date = MemberString(p, "valueDate");
      if (url == "source") source = MemberString(p, "valueCode");
      const JsonValue* b = Member(p, "valueBoolean");
      if (url == "in-network" && b && b->IsBool()) network = b->GetBool() ? "in" : "out";
    }
  }
  std::string_view start, end;
  if (const JsonValue* p = Member(*doc, "period"); p && p->IsObject()) {
    start = MemberString(*p, "start");
    end = MemberString(*p, "end");
  }
  if (source != check.source) return false;
  return Signature(MemberString(*doc, "subscriberId"), MemberString(*doc, "status"), start, end,
                   facility, date, network) ==
         Signature(card.card_number, StatusOf(check),
                   card.valid_from ? card.valid_from->ToIso() : "",
                   card.valid_to ? card.valid_to->ToIso() : "", check.facility, check.visit_date,
                   NetworkText(check.in_network));
}

}  // namespace hb::reception
