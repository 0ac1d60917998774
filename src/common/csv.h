// CSV as the catalogues come (administrative units, ICD-10, price lists, code lists, bank
// BINs, LIS code maps): UTF-8 with an optional BOM, RFC 4180 quoting (fields may hold
// commas, doubled quotes and line breaks), LF, CRLF or CR line ends; blank lines skipped.
// CsvTable keeps the header so that layouts are read by column name, and a file may carry
// columns of its own.
//
// Contract: pure functions, thread-safe. Failure: kInvalidArgument for an unclosed quote
// (and, for CsvTable, an input without a header), naming `what`.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb {

// `delimiter`: ',' for the catalogues; ';' or '\t' for what spreadsheets export in locales
// whose decimal mark is the comma (Excel's "CSV" and "Unicode Text" in Vietnamese).
Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text,
                                                       std::string_view what = "CSV",
                                                       char delimiter = ',');

class CsvTable {
 public:
  static Result<CsvTable> Parse(std::string_view text, std::string_view what,
                                char delimiter = ',');

  size_t rows() const { return rows_.size(); }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::string>& row(size_t i) const { return rows_[i]; }
  // -1 when the header has no such column.
  int Column(std::string_view name) const;
  // kInvalidArgument naming the file and the first missing column.
  Status Require(std::initializer_list<std::string_view> names) const;
  // The cell, or "" for a missing column or a short row.
  std::string_view Get(size_t row, std::string_view column) const;
  std::string_view Get(size_t row, int column) const;

 private:
  std::string what_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace hb
