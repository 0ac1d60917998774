// The insurance XML tables (QĐ 130 as amended by QĐ 4750, and the temporary QĐ 3176) as
// data: for each table (LOAIHOSO) its inner root/list/row elements and its fields in
// element order, with the official type and size and our rule for each field.
//
// Sources, all embedded at build time (resources/catalogs/claims/):
//   qd4750/xml*.csv   the official appendix, unchanged: order, field, type (Chuỗi/Số),
//                     max size ("n" = unbounded), description, amendment. An amendment
//                     that makes a field a string ("Đổi kiểu dữ liệu thành chuỗi") or
//                     raises its size ("Tăng kích thước tối đa lên N ký tự") applies.
//   tables.csv        LOAIHOSO -> file and root/list/row element names;
//   field-rules.csv   mandatory fields, formats and code lists (the official XSDs are
//                     not public, so these rules are ours; docs/implementation/claims-xml.md);
//   qd3176.csv        how QĐ 3176 differs (renamed or replaced fields).
//
// Contract: Schemas() parses once and is then immutable and thread-safe. A malformed
// embedded file is a build defect: Schemas() aborts with the reason (tested by unit tests).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hb::claims {

enum class SchemaVersion { k4750, k3176 };
std::string_view SchemaName(SchemaVersion v);  // "4750", "3176"
// "4750"/"130" -> k4750, "3176" -> k3176; false otherwise.
bool ParseSchemaVersion(std::string_view text, SchemaVersion* out);

enum class FieldFormat {
  kText,
  kCode,            // one code of `code_list`
  kInteger,         // digits
  kDecimal2,        // money, at most 2 decimals
  kDecimal3,        // unit prices and quantities, at most 3 decimals
  kPercent,         // whole number 0..100
  kDateTime,        // yyyyMMddHHmm
  kDate,            // yyyyMMdd
  kDates,           // yyyyMMdd;yyyyMMdd...
  kDateOrDateTime,  // yyyyMMdd or yyyyMMddHHmm
  kBirth,           // NGAY_SINH: yyyyMMddHHmm with unknown parts as zeros
  kYear,            // yyyy
  kMonth,           // 1..12
  kCard,            // 15-character insurance card numbers, ';'-joined
  kFacility,        // one 5-character facility code
  kFacilities,      // ';'-joined facility codes
  kIcd,             // one ICD-10 code without the dot, present in QĐ 4469
  kIcds,            // ';'-joined ICD-10 codes, at most 12
  kCccd,            // 12 digits, 9 digits, or a passport (letter + 7 digits)
  kPhone,           // digits, optionally a leading '+'
};

struct FieldDef {
  std::string name;
  bool number = false;  // official type Số (after amendments)
  int max_size = 0;     // characters; 0 = unbounded ("n")
  bool required = false;
  FieldFormat format = FieldFormat::kText;
  std::string code_list;
  bool cdata = false;  // free text, written inside CDATA
  std::string description;  // the official description (Vietnamese), for people reading
};

struct TableDef {
  std::string loaihoso;         // "XML1"
  std::string root, list, row;  // list/row empty for single-record tables
  std::vector<FieldDef> fields;
  std::unordered_map<std::string, int> index;  // field name -> position
  bool repeated() const { return !row.empty(); }
  const FieldDef* Find(std::string_view name) const;
  int IndexOf(std::string_view name) const;  // -1 when absent
};

class SchemaSet {
 public:
  SchemaVersion version() const { return version_; }
  // Nullptr for a LOAIHOSO this set does not describe.
  const TableDef* Table(std::string_view loaihoso) const;
  const std::map<std::string, TableDef, std::less<>>& tables() const { return tables_; }

 private:
  friend const SchemaSet& Schemas(SchemaVersion v);
  SchemaVersion version_ = SchemaVersion::k4750;
  std::map<std::string, TableDef, std::less<>> tables_;
};

const SchemaSet& Schemas(SchemaVersion v);

}  // namespace hb::claims
