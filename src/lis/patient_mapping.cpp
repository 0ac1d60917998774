// PID (and NK1) -> Patient. docs/implementation/hl7v2-mapping.md, "Patient".
#include <cctype>

#include "fhir/vn_systems.h"
#include "lis/code_tables.h"
#include "lis/lis_systems.h"
#include "lis/mapping_context.h"

namespace hb::lis {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsFacilityCode(std::string_view s) { return s.size() == 5 && AllDigits(s); }

struct MappedId {
  std::string system;
  std::string type;       // v2-0203 code
  std::string use;        // Identifier.use
  std::string type_text;  // Vietnamese label
};

// Which identifier system a PID-3 repetition belongs to. Vietnamese senders label national
// ids loosely (NI, NN, CZ, or only the authority BCA, Bộ Công an), so the number's shape
// decides between CCCD (12 digits) and the old CMND (9 digits).
MappedId Classify(const Cx& cx, const MappingOptions& o) {
  const std::string& type = cx.identifier_type;
  const std::string& authority = cx.assigning_authority.namespace_id;
  const auto& vn = fhir::vn::Systems();
  bool national = type == "NI" || type == "NN" || type == "CZ" || authority == "BCA" ||
                  authority == "CCCD" || authority == "CMND";
  if (national && AllDigits(cx.id) && cx.id.size() == 12) {
    return {vn.cccd, "NI", "official", "Số định danh cá nhân (CCCD)"};
  }
  if (national && AllDigits(cx.id) && cx.id.size() == 9) {
    return {vn.cmnd, "NI", "old", "Chứng minh nhân dân"};
  }
  if ((type == "HC" || type == "MB" || authority == "BHYT" || authority == "BHXH") &&
      LooksLikeBhytCard(cx.id)) {
    return {vn.bhyt_card, "MB", "official", "Mã thẻ BHYT"};
  }
  if ((type == "SS" || type == "SB" || authority == "BHXH") && AllDigits(cx.id) &&
      cx.id.size() == 10) {
    return {vn.bhxh, "SB", "secondary", "Mã số BHXH"};
  }
  if (type == "MR" || type.empty()) {
    std::string facility = o.facility;
    if (IsFacilityCode(cx.assigning_authority.universal_id)) {
      facility = cx.assigning_authority.universal_id;
    } else if (auto it = o.authorities.find(authority); it != o.authorities.end()) {
      facility = it->second;
    }
    return {MrnSystem(facility), "MR", "usual", "Mã bệnh nhân"};
  }
  return {OtherIdentifierSystem(authority.empty() ? type : authority), type, "secondary", ""};
}

void AddName(JsonNode names, const Segment& pid, int rep) {
  Xpn xpn = ReadXpn(pid, 5, rep);
  if (xpn.family.empty() && xpn.given.empty()) return;
  JsonNode name = names.Add();
  name.Str("use", NameUse(xpn.name_type));
  std::string text = xpn.family;
  for (const std::string* part : {&xpn.given, &xpn.further_given}) {
    if (part->empty()) continue;
    if (!text.empty()) text.push_back(' ');
    text += *part;
  }
  name.Str("text", text).Str("family", xpn.family);
  // Vietnamese names: XPN-2 holds the middle and given names ("Thị Hồng"); FHIR lists them
  // as given[] in order, the given name (the one people are called by) last.
  JsonNode given = name.Arr("given");
  std::string_view g = xpn.given;
  size_t last_space = g.rfind(' ');
  if (xpn.further_given.empty() && last_space != std::string_view::npos) {
    given.AddStr(g.substr(0, last_space));
    given.AddStr(g.substr(last_space + 1));
  } else {
    given.AddStr(g);
    given.AddStr(xpn.further_given);
  }
  if (!xpn.prefix.empty()) name.Arr("prefix").AddStr(xpn.prefix);
  if (!xpn.suffix.empty()) name.Arr("suffix").AddStr(xpn.suffix);
}

// XAD: street, other designation (ward/commune), city (district-level), state (province),
// zip, country, type. Laid out as the rest of healthbook writes Vietnamese addresses.
void AddAddress(JsonNode addresses, const Segment& s, int field, int rep) {
  std::string line = s.Get(field, rep, 1), commune = s.Get(field, rep, 2),
              district = s.Get(field, rep, 3), province = s.Get(field, rep, 4);
  if (line.empty() && commune.empty() && district.empty() && province.empty()) return;
  JsonNode a = addresses.Add();
  std::string type = s.Get(field, rep, 7);
  a.Str("use", type == "H" || type == "P" || type.empty() ? "home" : type == "O" ? "work" : "");
  std::string text;
  for (const std::string* p : {&line, &commune, &district, &province}) {
    if (p->empty()) continue;
    if (!text.empty()) text += ", ";
    text += *p;
  }
  a.Str("text", text);
  a.Arr("line").AddStr(line);
  a.Str("city", commune).Str("district", district).Str("state", province);
  a.Str("postalCode", s.Get(field, rep, 5));
  std::string country = s.Get(field, rep, 6);
  a.Str("country", country == "VNM" ? "VN" : country);
}

// XTN: the number is XTN-1 (older versions) or XTN-12 (unformatted), email XTN-4.
void AddTelecom(JsonNode telecom, const Segment& s, int field, int rep) {
  std::string number = s.Get(field, rep, 12);
  if (number.empty()) number = s.Get(field, rep, 1);
  std::string email = s.Get(field, rep, 4);
  std::string equipment = s.Get(field, rep, 3);
  if (!number.empty() && equipment != "Internet" && equipment != "X.400") {
    JsonNode t = telecom.Add();
    t.Str("system", equipment == "FX" ? "fax" : equipment == "BP" ? "pager" : "phone");
    t.Str("value", number).Str("use", TelecomUse(s.Get(field, rep, 2), equipment));
  }
  if (!email.empty()) {
    JsonNode t = telecom.Add();
    t.Str("system", "email").Str("value", email);
  }
}

void AddContacts(MapContext& ctx, JsonNode patient, const Segment& pid) {
  const Message& m = ctx.message();
  bool after = false;
  JsonNode contacts = patient.Arr("contact");
  for (const Segment& s : m.segments()) {
    if (&s == &pid) after = true;
    if (!after || s.name() != "NK1") continue;
    JsonNode c = contacts.Add();
    Cwe rel = ReadCwe(s, 3);
    if (!rel.code.empty() || !rel.text.empty()) {
      JsonNode cc = c.Arr("relationship").Add();
      cc.Arr("coding").Add().Coding(
          CodingSystemUri(rel.system.empty() ? "HL70063" : rel.system, ctx.options().facility),
          rel.code, rel.text);
      cc.Str("text", rel.text);
    }
    Xpn xpn = ReadXpn(s, 2);
    {
      JsonNode name = c.Obj("name");
      name.Str("family", xpn.family);
      name.Arr("given").AddStr(xpn.given);
      name.Str("text", xpn.family + (xpn.given.empty() ? "" : " " + xpn.given));
    }
    AddTelecom(c.Arr("telecom"), s, 5, 1);
    JsonNode addr = c.Obj("address");
    std::string line = s.Get(4, 1, 1);
    addr.Arr("line").AddStr(line);
    addr.Str("city", s.Get(4, 1, 2)).Str("district", s.Get(4, 1, 3)).Str("state", s.Get(4, 1, 4));
  }
}

}  // namespace

// A BHYT card number: two letters, one digit, two digits (province), ten digits.
bool LooksLikeBhytCard(std::string_view s) {
  if (s.size() != 15) return false;
  return std::isalpha(static_cast<unsigned char>(s[0])) &&
         std::isalpha(static_cast<unsigned char>(s[1])) && AllDigits(s.substr(2));
}

std::string PatientIdentifierCondition(MapContext& ctx, const Segment& s, int field,
                                       bool first_only) {
  std::string condition;
  for (int rep = 1; rep <= s.RepetitionCount(field); ++rep) {
    Cx cx = ReadCx(s, field, rep);
    if (cx.id.empty()) continue;
    if (!condition.empty()) condition.push_back(',');
    condition += TokenCondition(Classify(cx, ctx.options()).system, cx.id);
    if (first_only) break;
  }
  return condition;
}

PatientRefs AddPatient(MapContext& ctx, BundleBuilder& bundle, const Segment& pid,
                       bool provisional) {
  const MappingOptions& o = ctx.options();
  fhir::JsonValue res = bundle.NewResource("Patient");
  JsonNode p(&res, &bundle.alloc());
  std::string condition;
  if (provisional) {
    JsonNode tag = p.Obj("meta").Arr("tag").Add();
    tag.Coding(ReconciliationTagSystem(), kProvisionalTag,
               "Provisional: created from a laboratory result for an unknown patient");
  }
  {
    JsonNode ids = p.Arr("identifier");
    for (int rep = 1; rep <= pid.RepetitionCount(3); ++rep) {
      Cx cx = ReadCx(pid, 3, rep);
      if (cx.id.empty()) continue;
      MappedId m = Classify(cx, o);
      JsonNode id = ids.Add();
      id.Str("use", m.use);
      {
        JsonNode type = id.Obj("type");
        type.Arr("coding").Add().Coding(kIdentifierTypeSystem, m.type,
                                        IdentifierTypeDisplay(m.type));
        type.Str("text", m.type_text);
      }
      id.Str("system", m.system).Str("value", cx.id);
      if (!condition.empty()) condition.push_back(',');
      condition += TokenCondition(m.system, cx.id);
    }
  }
  p.Bool("active", true);
  {
    JsonNode names = p.Arr("name");
    for (int rep = 1; rep <= pid.RepetitionCount(5); ++rep) AddName(names, pid, rep);
  }
  {
    JsonNode telecom = p.Arr("telecom");
    for (int rep = 1; rep <= pid.RepetitionCount(13); ++rep) AddTelecom(telecom, pid, 13, rep);
    for (int rep = 1; rep <= pid.RepetitionCount(14); ++rep) AddTelecom(telecom, pid, 14, rep);
  }
  p.Str("gender", Gender(pid.Get(8)));
  p.Str("birthDate", ctx.Date(pid, 7));
  {
    JsonNode addresses = p.Arr("address");
    for (int rep = 1; rep <= pid.RepetitionCount(11); ++rep) AddAddress(addresses, pid, 11, rep);
  }
  if (auto ms = MaritalStatus(pid.Get(16))) {
    JsonNode marital = p.Obj("maritalStatus");
    marital.Arr("coding").Add().Coding("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus",
                                       ms->code, ms->display);
  }
  if (!provisional) AddContacts(ctx, p, pid);
  if (!o.facility_org.empty()) p.Ref("managingOrganization", ctx.FacilityReference());

  PatientRefs refs;
  Xpn first = ReadXpn(pid, 5, 1);
  refs.display = first.family + (first.given.empty() ? "" : " " + first.given);
  // ADT^A40: PID-3 names the surviving patient, and its other identifiers (a CCCD) may still
  // sit on the duplicate being merged away; the first (its medical record number) decides.
  if (!provisional && ctx.message().TriggerEvent() == "A40") {
    condition = PatientIdentifierCondition(ctx, pid, 3, true);
  }
  std::string query = condition.empty() ? std::string() : "identifier=" + condition;
  if (provisional || query.empty()) {
    // Unknown identifiers (or none at all) must still yield a patient: a result is never lost.
    refs.patient = bundle.Post(std::move(res), query);
  } else {
    MergeRule rule;
    rule.merge = true;
    // The custodian, and a record that $merge retired (active false, link), stay as they are.
    rule.keep_current = {"managingOrganization", "active", "link"};
    rule.clear_tags = {std::string(kProvisionalTag)};
    refs.patient = bundle.Put(std::move(res), query, std::move(rule));
  }
  return refs;
}

}  // namespace hb::lis
