// Vietnamese identifier systems and healthbook code-system URIs (GUIDE §5).
//
// Every module that writes or searches a Vietnamese identifier takes its system
// URI from Systems(); nothing else spells these URIs. The NamingSystem resources
// that define them live in resources/fhir/vn/NamingSystem-<name>.json, written
// with kDefaultSystemsBase; RebaseSystems() rewrites such a text for the
// configured base.
//
// Contract: ConfigureSystemsBase() is called at most once, at start-up, before
// any thread reads Systems(); after that Systems() is a read-only singleton and
// safe to read from any thread. The base is used as given, with a '/' appended
// when missing. Systems() before any configuration uses kDefaultSystemsBase.
#pragma once

#include <string>
#include <string_view>

namespace hb::fhir::vn {

inline constexpr std::string_view kDefaultSystemsBase = "https://fhir.healthbook.vn/sid/";

// Full URIs, each <base><slug>. The slug is also the NamingSystem file name.
struct IdentifierSystems {
  std::string base;  // ends with '/'

  // Identifier systems (NamingSystem kind "identifier", except admin_unit).
  std::string cccd;                  // cccd: citizen ID / personal ID number, 12 digits
  std::string cmnd;                  // cmnd: old people's ID card, 9 digits
  std::string bhyt_card;             // bhyt-card: health-insurance card number, 15 chars
  std::string bhxh;                  // bhxh: social-insurance number (mã số BHXH), 10 digits
  std::string facility;              // facility: MA_CSKCB facility code, 5 digits
  std::string admin_unit;            // admin-unit: province (2), district (3), commune (5 digits)
  std::string practitioner_licence;  // practitioner-licence: chứng chỉ hành nghề number

  // Code systems under the same base (NamingSystem/CodeSystem kind "codesystem").
  std::string icd10_vn;      // icd-10-vn: ICD-10 as published by QĐ 4469/QĐ-BYT, dotted codes
  std::string ethnic_group;  // ethnic-group: the 54 ethnic groups (MA_DANTOC, 01 Kinh ... 54)
  std::string charge_code;   // charge-code: a facility's own price-list codes (MA_NOI_BO), which
                             // the claims price list maps to the national codes

  // Extension URLs under the same base.
  std::string ext_ethnicity;            // extension/ethnicity: Patient, valueCoding ethnic_group
  std::string ext_address_admin_units;  // extension/address-admin-units: Address, complex:
                                        // province/district/commune, each valueCoding admin_unit
};

// The configured systems. Never changes after start-up.
const IdentifierSystems& Systems();

// Sets the base, e.g. "https://fhir.example.gov.vn/sid/". Not thread-safe: call
// once at start-up before threads start.
void ConfigureSystemsBase(std::string base);

// The systems that a given base yields, without touching the singleton.
IdentifierSystems MakeSystems(std::string base);

// Replaces every occurrence of kDefaultSystemsBase in `text` (a NamingSystem or
// CodeSystem JSON from resources/fhir/vn) with the configured base.
std::string RebaseSystems(std::string_view text);

}  // namespace hb::fhir::vn
