#include "demo/fragments.h"

#include <fmt/format.h>

namespace hb::demo {

void WriteIdentifier(JsonWriter& w, const IdentifierType& type, std::string_view text,
                     std::string_view system, std::string_view value, std::string_view use) {
  w.StartObject();
  if (!use.empty()) w.Field("use", use);
  w.CodeableConcept("type", "http://terminology.hl7.org/CodeSystem/v2-0203", type.code,
                    type.display, text);
  w.Field("system", system);
  w.Field("value", value);
  w.EndObject();
}

void WriteHumanName(JsonWriter& w, const PersonName& name, std::string_view prefix) {
  w.StartObject();
  w.Field("use", "official");
  w.Field("text", name.Full());
  w.Field("family", name.family);
  w.ArrayField("given");
  w.String(name.middle);
  w.String(name.given);
  w.EndArray();
  if (!prefix.empty()) {
    w.ArrayField("prefix");
    w.String(prefix);
    w.EndArray();
  }
  w.EndObject();
}

namespace {

void AdminUnitPart(JsonWriter& w, std::string_view part, std::string_view system,
                   std::string_view code, std::string_view display) {
  w.StartObject();
  w.Field("url", part);
  w.Key("valueCoding");
  w.Coding(system, code, display);
  w.EndObject();
}

}  // namespace

void WriteAddress(JsonWriter& w, const DemoContext& ctx, int district, int commune,
                  std::string_view line, std::string_view use) {
  const District& d = ctx.province.districts[district];
  const Commune& c = d.communes[commune];
  const std::string& system = ctx.systems.admin_unit;
  w.StartObject();
  w.ArrayField("extension");
  w.StartObject();
  w.Field("url", ctx.systems.ext_address_admin_units);
  w.ArrayField("extension");
  AdminUnitPart(w, "province", system, ctx.province.code, ctx.province.name);
  AdminUnitPart(w, "district", system, d.code, d.name);
  AdminUnitPart(w, "commune", system, c.code, c.name);
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.Field("use", use);
  w.Field("type", "physical");
  std::string text;
  if (!line.empty()) text.append(line).append(", ");
  text.append(c.name).append(", ").append(d.name).append(", ").append(ctx.province.name);
  w.Field("text", text);
  if (!line.empty()) {
    w.ArrayField("line");
    w.String(line);
    w.EndArray();
  }
  w.Field("city", c.name);
  w.Field("district", d.name);
  w.Field("state", ctx.province.name);
  w.Field("country", "VN");
  w.EndObject();
}

std::string LowerUnitType(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"Thành phố ", "thành phố "}, {"Thị xã ", "thị xã "},
      {"Thị Xã ", "thị xã "},       {"Thị trấn ", "thị trấn "},
      {"Thị Trấn ", "thị trấn "},   {"Huyện ", "huyện "},
      {"Phường ", "phường "},       {"Xã ", "xã "},
      {"Tỉnh ", "tỉnh "},
  };
  for (const auto& [from, to] : kTypes) {
    if (name.starts_with(from)) return std::string(to) + std::string(name.substr(from.size()));
  }
  return std::string(name);
}

std::string MobileNumber(Rng& rng) {
  // Viettel, VinaPhone and MobiFone prefixes, most common first.
  static constexpr std::string_view kPrefixes[] = {"086", "096", "097", "098", "032", "033", "034",
                                                   "035", "036", "037", "038", "039", "091", "094",
                                                   "088", "090", "093", "089", "070", "079"};
  return fmt::format("{}{:07d}", kPrefixes[rng.Below(std::size(kPrefixes))], rng.Below(10000000));
}

void WriteVietnameseCommunication(JsonWriter& w) {
  w.ArrayField("communication");
  w.StartObject();
  w.CodeableConcept("language", "urn:ietf:bcp:47", "vi", "Vietnamese", "Tiếng Việt");
  w.FieldBool("preferred", true);
  w.EndObject();
  w.EndArray();
}

void WritePractitionerCommunication(JsonWriter& w) {
  w.ArrayField("communication");
  w.StartObject();
  w.ArrayField("coding");
  w.Coding("urn:ietf:bcp:47", "vi", "Vietnamese");
  w.EndArray();
  w.Field("text", "Tiếng Việt");
  w.EndObject();
  w.EndArray();
}

}  // namespace hb::demo
