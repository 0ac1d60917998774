// ICD-10 as used in Viet Nam (QĐ 4469/QĐ-BYT, 2020), from the bilingual catalogue
// resources/catalogs/icd10-vn-qd4469.csv ("MÃ BỆNH" dotted, "MÃ BỆNH KHÔNG DẤU" undotted,
// "TÊN BỆNH", "DISEASE NAME"). The insurance tables write codes without the dot (A000);
// FHIR resources carry the dotted code (A00.0). Also renders the catalogue as a FHIR R4
// CodeSystem (content complete, Vietnamese displays, English designations).
//
// Contract: immutable after Load; thread-safe. Failure modes: kInvalidArgument for a
// catalogue without the expected columns or with no codes.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace hb::claims {

struct IcdCode {
  std::string dotted;    // "A00.0"
  std::string undotted;  // "A000"
  std::string name_vi, name_en;
};

class Icd10 {
 public:
  static Result<Icd10> Load(std::string_view csv);

  // By either form of the code; nullptr when unknown.
  const IcdCode* Find(std::string_view code) const;
  size_t size() const { return codes_.size(); }
  // A CodeSystem resource with id `id` and url `system_url`, one concept per code.
  std::string CodeSystemJson(std::string_view id, std::string_view system_url) const;

 private:
  std::vector<IcdCode> codes_;
  std::unordered_map<std::string, size_t> by_code_;  // both forms
};

// "A00.0" -> "A000" (the tables' form).
std::string UndottedIcd(std::string_view code);

}  // namespace hb::claims
