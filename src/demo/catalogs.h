// The catalogues the demo reads: administrative units and ICD-10 VN.
//
// Both are the CSV files under resources/catalogs, passed in as raw text
// (UTF-8, optional BOM, RFC 4180 quoting, LF or CRLF). Only what the demo needs
// is kept: one province's districts and communes, and the ICD-10 codes asked
// for.
//
// Contract: pure functions, thread-safe. Failure modes: kInvalidArgument when a
// header column is missing, a row is malformed, the province has no communes,
// or a requested ICD code is absent from the catalogue.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::demo {

struct Commune {
  std::string code;   // 5 digits, "03127"
  std::string name;   // as in the catalogue, "Phường Him Lam"
  std::string level;  // "Xã", "Phường" or "Thị trấn"
};

struct District {
  std::string code;               // 3 digits, "094"
  std::string name;               // "Thành phố Điện Biên Phủ"
  std::vector<Commune> communes;  // in catalogue order
};

struct Province {
  std::string code;                 // 2 digits, "11"
  std::string name;                 // "Tỉnh Điện Biên"
  std::vector<District> districts;  // ordered by district code
  size_t CommuneCount() const;
};

struct IcdEntry {
  std::string code;     // dotted, "J06.9"
  std::string name_vi;  // TÊN BỆNH
  std::string name_en;  // DISEASE NAME
};

// Columns: province_name, province_code, district_name, district_code,
// commune_name, commune_code, level.
Result<Province> LoadProvince(std::string_view admin_units_csv, std::string_view province_code);

// Columns "MÃ BỆNH", "DISEASE NAME", "TÊN BỆNH". Every code in `wanted` must exist.
Result<std::map<std::string, IcdEntry, std::less<>>> LoadIcdCodes(
    std::string_view icd10_csv, std::span<const std::string_view> wanted);

}  // namespace hb::demo
