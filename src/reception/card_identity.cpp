#include "reception/card_identity.h"

#include "fhir/vn_systems.h"
#include "identity/vietnamese_name.h"
#include "reception/json_out.h"
#include "reception/uris.h"

namespace hb::reception {

namespace {

void Identifier(JsonOut& j, std::string_view use, std::string_view type_code,
                std::string_view type_display, std::string_view text, std::string_view system,
                std::string_view value) {
  j.BeginObject();
  j.Put("use", use);
  j.PutConcept("type", kIdentifierTypeSystem, type_code, type_display, text);
  j.Put("system", system);
  j.Put("value", value);
}

}  // namespace

CardIdentity IdentityOf(identity::ParsedCard card) {
  CardIdentity c;
  if (auto* cccd = std::get_if<identity::CccdCard>(&card)) {
    c.kind = identity::CardKind::kCccd;
    c.cccd = cccd->id;
    c.cmnd = cccd->old_id.value_or("");
    c.name = cccd->name;
    c.birth = cccd->birth_date;
    c.gender = cccd->gender;
    c.address = cccd->address;
    c.warnings = cccd->warnings;
    c.cccd_card = std::move(*cccd);
  } else {
    auto& bhyt = std::get<identity::BhytCard>(card);
    c.kind = identity::CardKind::kBhyt;
    c.bhyt = bhyt.card_number;
    c.bhxh = bhyt.parts.social_insurance_number;
    c.name = bhyt.name;
    c.birth = bhyt.birth_date;
    c.gender = bhyt.gender;
    c.address = bhyt.address;
    c.warnings = bhyt.warnings;
    c.bhyt_card = std::move(bhyt);
  }
  return c;
}

PatientFeatures FeaturesOf(const CardIdentity& c) {
  PatientFeatures f;
  if (!c.cccd.empty()) f.cccd.push_back(c.cccd);
  if (!c.cmnd.empty()) f.cmnd.push_back(c.cmnd);
  if (!c.bhyt.empty()) f.bhyt.push_back(c.bhyt);
  if (!c.bhxh.empty()) f.bhxh.push_back(c.bhxh);
  SetNameFromText(c.name, &f);
  f.display_name = identity::DisplayName(c.name);
  f.birth = ParseBirthDate(c.birth.ToIso());
  if (c.gender != identity::Gender::kUnknown) f.gender = std::string(GenderCode(c.gender));
  return f;
}

std::string NewPatientJson(const CardIdentity& c, std::string_view managing_org) {
  const auto& sys = fhir::vn::Systems();
  JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Patient");
  j.Key("identifier");
  j.BeginArray();
  if (!c.cccd.empty()) {
    Identifier(j, "official", "NI", "National unique individual identifier",
               "Số định danh cá nhân (CCCD)", sys.cccd, c.cccd);
    j.EndObject();
  }
  if (!c.cmnd.empty()) {
    Identifier(j, "old", "NI", "National unique individual identifier", "Chứng minh nhân dân",
               sys.cmnd, c.cmnd);
    j.EndObject();
  }
  if (!c.bhyt.empty()) {
    Identifier(j, "official", "MB", "Member Number", "Mã thẻ BHYT", sys.bhyt_card, c.bhyt);
    if (c.bhyt_card) {
      j.Key("period");
      j.BeginObject();
      j.Put("start", c.bhyt_card->valid_from.ToIso());
      if (c.bhyt_card->valid_to) j.Put("end", c.bhyt_card->valid_to->ToIso());
      j.EndObject();
    }
    j.EndObject();
  }
  if (!c.bhxh.empty()) {
    Identifier(j, "secondary", "SB", "Social Beneficiary Identifier", "Mã số BHXH", sys.bhxh,
               c.bhxh);
    j.EndObject();
  }
  j.EndArray();
  j.PutBool("active", true);
  const std::string display = identity::DisplayName(c.name);
  const std::vector<std::string> words = SplitWords(display);
  j.Key("name");
  j.BeginArray();
  j.BeginObject();
  j.Put("use", "official");
  j.Put("text", display);
  if (!words.empty()) {
    j.Put("family", words[0]);
    if (words.size() > 1) {
      j.Key("given");
      j.BeginArray();
      for (size_t i = 1; i < words.size(); ++i) j.Str(words[i]);
      j.EndArray();
    }
  }
  j.EndObject();
  j.EndArray();
  j.Put("gender", identity::GenderCode(c.gender));
  if (c.birth.year) j.Put("birthDate", c.birth.ToIso());
  if (!c.address.empty()) {
    j.Key("address");
    j.BeginArray();
    j.BeginObject();
    j.Put("use", "home");
    j.Put("type", "physical");
    j.Put("text", c.address);
    j.Put("country", "VN");
    j.EndObject();
    j.EndArray();
  }
  j.Key("communication");
  j.BeginArray();
  j.BeginObject();
  j.PutConcept("language", "urn:ietf:bcp:47", "vi", "Vietnamese", "Tiếng Việt");
  j.PutBool("preferred", true);
  j.EndObject();
  j.EndArray();
  if (!managing_org.empty()) {
    j.PutReference("managingOrganization", "Organization/" + std::string(managing_org));
  }
  j.EndObject();
  return j.Take();
}

}  // namespace hb::reception
