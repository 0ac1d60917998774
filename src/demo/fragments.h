// FHIR fragments shared by the demo generators: identifiers, human names,
// addresses with administrative-unit codes, phone numbers.
//
// Addresses: line = village or street group ("Bản Huổi Phạ"), city = commune,
// district = district, state = province, country = "VN", text = the whole.
// The codes go in the complex extension Systems().ext_address_admin_units with
// sub-extensions "province", "district", "commune", each a valueCoding in
// Systems().admin_unit ("11", "094", "03127").
//
// Contract: pure functions writing into the caller's JsonWriter; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "demo/catalogs.h"
#include "demo/context.h"
#include "demo/json_writer.h"
#include "demo/names.h"

namespace hb::demo {

// v2-0203 identifier types used here.
struct IdentifierType {
  std::string_view code;
  std::string_view display;
};
inline constexpr IdentifierType kTypeNationalId{"NI", "National unique individual identifier"};
inline constexpr IdentifierType kTypeMember{"MB", "Member Number"};
inline constexpr IdentifierType kTypeSocialBeneficiary{"SB", "Social Beneficiary Identifier"};
inline constexpr IdentifierType kTypeProvider{"PRN", "Provider number"};
inline constexpr IdentifierType kTypeLicence{"LN", "License number"};

// One element of an identifier array. `use` and `text` are omitted when empty.
void WriteIdentifier(JsonWriter& w, const IdentifierType& type, std::string_view text,
                     std::string_view system, std::string_view value,
                     std::string_view use = "official");

// One element of a name array; `prefix` omitted when empty.
void WriteHumanName(JsonWriter& w, const PersonName& name, std::string_view prefix = {});

// One element of an address array, in commune `commune` of district `district`.
void WriteAddress(JsonWriter& w, const DemoContext& ctx, int district, int commune,
                  std::string_view line, std::string_view use);

// "Thị Trấn Mường Chà" -> "thị trấn Mường Chà", "Huyện Mường Nhé" -> "huyện Mường Nhé":
// the unit's type word(s) in lower case, as written after "Trạm Y tế" or "Trung tâm Y tế".
std::string LowerUnitType(std::string_view unit_name);

// A Vietnamese mobile number, "0912345678".
std::string MobileNumber(Rng& rng);

// Patient: "communication": [{"language": vi, "preferred": true}]
void WriteVietnameseCommunication(JsonWriter& w);
// Practitioner (a plain CodeableConcept list): "communication": [vi]
void WritePractitionerCommunication(JsonWriter& w);

}  // namespace hb::demo
