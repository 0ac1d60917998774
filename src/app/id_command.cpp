// `healthbook id parse 'TEXT'`: reads a scanned citizen-ID (CCCD) or health-insurance
// card (BHYT) QR payload and prints one JSON object on one line: the kind, the
// fields with ISO dates, and `warnings`. A payload that cannot be read exits 1
// with the reason on stderr. Formats and rules: docs/implementation/identity.md.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

#include "app/commands.h"
#include "identity/card_qr.h"

namespace hb::app {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()), true);
}

void OptionalStr(JsonWriter& w, std::string_view key, const std::optional<std::string>& value) {
  if (value) {
    Str(w, key, *value);
    return;
  }
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.Null();
}

void Warnings(JsonWriter& w, const std::vector<std::string>& warnings) {
  w.Key("warnings");
  w.StartArray();
  for (const std::string& s : warnings)
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()), true);
  w.EndArray();
}

void WriteCccd(JsonWriter& w, const identity::CccdCard& c) {
  Str(w, "kind", "cccd");
  Str(w, "id", c.id);
  OptionalStr(w, "old_id", c.old_id);
  Str(w, "name", c.name);
  Str(w, "birth_date", c.birth_date.ToIso());
  Str(w, "gender", identity::GenderCode(c.gender));
  Str(w, "address", c.address);
  Str(w, "issue_date", c.issue_date.ToIso());
  Warnings(w, c.warnings);
}

void WriteBhyt(JsonWriter& w, const identity::BhytCard& c) {
  Str(w, "kind", "bhyt");
  Str(w, "card_number", c.card_number);
  Str(w, "name", c.name);
  Str(w, "birth_date", c.birth_date.ToIso());
  Str(w, "gender", identity::GenderCode(c.gender));
  Str(w, "address", c.address);
  Str(w, "registered_facility", c.facility_code);
  if (c.facility_name) Str(w, "registered_facility_name", *c.facility_name);
  Str(w, "valid_from", c.valid_from.ToIso());
  OptionalStr(w, "valid_to",
              c.valid_to ? std::optional<std::string>(c.valid_to->ToIso()) : std::nullopt);
  w.Key("card");
  w.StartObject();
  Str(w, "beneficiary_group", c.parts.group);
  w.Key("benefit_level");
  w.Int(c.parts.benefit_level);
  Str(w, "province", c.parts.province);
  Str(w, "social_insurance_number", c.parts.social_insurance_number);
  w.EndObject();
  Warnings(w, c.warnings);
}

}  // namespace

int RunIdParse(const std::string& text) {
  auto card = identity::ParseCardQr(text);
  if (!card.ok()) {
    std::fprintf(stderr, "healthbook id: %s\n", card.status().message().c_str());
    return 1;
  }
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  if (const auto* cccd = std::get_if<identity::CccdCard>(&*card)) {
    WriteCccd(w, *cccd);
  } else {
    WriteBhyt(w, std::get<identity::BhytCard>(*card));
  }
  w.EndObject();
  std::printf("%s\n", out.GetString());
  return 0;
}

}  // namespace hb::app
