// One episode's claim as table rows (a HOSO of the GIAMDINHHS envelope): for each table
// that applies, its rows, each row one value per field of the table in element order.
// Values are the exact text the XML carries ("" for an empty element).
//
// Contract: a value type, thread-compatible. RowWriter::Set on a field the table does not
// have is a programming error (std::logic_error), caught by the mapping unit tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "claims/table_schema.h"

namespace hb::claims {

struct TableRows {
  const TableDef* def = nullptr;
  std::vector<std::vector<std::string>> rows;
};

class RowWriter {
 public:
  RowWriter(const TableDef& def, std::vector<std::string>& row) : def_(def), row_(row) {}
  void Set(std::string_view field, std::string value);
  // Sets the field when the table has it (fields that exist in one schema version only).
  void SetIfPresent(std::string_view field, std::string value);

 private:
  const TableDef& def_;
  std::vector<std::string>& row_;
};

struct ClaimRecord {
  SchemaVersion version = SchemaVersion::k4750;
  std::string ma_lk;
  std::string facility;           // MA_CSKCB
  std::vector<TableRows> tables;  // in LOAIHOSO order: XML1, XML2, ...

  const TableRows* Find(std::string_view loaihoso) const;
  // Appends an empty table of this version's schema.
  TableRows& Add(std::string_view loaihoso);
  // Appends a row of empty values to `t` and returns a writer for it.
  static RowWriter AddRow(TableRows& t);
  // The value of `field` in row `row` of `loaihoso`; "" when absent.
  std::string_view Value(std::string_view loaihoso, std::string_view field, size_t row = 0) const;
};

}  // namespace hb::claims
