// CSV as the claims catalogues come: UTF-8 (optional BOM), RFC 4180 quoting (fields may
// hold commas, quotes and line breaks), LF or CRLF line ends. A CsvTable keeps the header
// so that catalogue layouts are read by column name, not position, and a facility may add
// columns of its own.
//
// Contract: pure functions, thread-safe. Failure modes: kInvalidArgument for an unclosed
// quote or an empty input; a named column that is missing is reported by Require().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::claims {

class CsvTable {
 public:
  static Result<CsvTable> Parse(std::string_view text, std::string_view what);

  size_t rows() const { return rows_.size(); }
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

}  // namespace hb::claims
