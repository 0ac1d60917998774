#include "common/csv.h"

namespace hb {

Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text,
                                                       std::string_view what, char delimiter) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  auto end_row = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
    if (!(row.size() == 1 && row[0].empty())) rows.push_back(std::move(row));
    row.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field.push_back(c);
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == delimiter) {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (quoted) {
    return Status(ErrorCode::kInvalidArgument, std::string(what) + ": unterminated quoted field");
  }
  if (field_started || !row.empty()) end_row();
  return rows;
}

Result<CsvTable> CsvTable::Parse(std::string_view text, std::string_view what, char delimiter) {
  HB_ASSIGN_OR_RETURN(auto rows, ParseCsv(text, what, delimiter));
  if (rows.empty()) return Status(ErrorCode::kInvalidArgument, std::string(what) + ": empty file");
  CsvTable t;
  t.what_ = std::string(what);
  t.header_ = std::move(rows.front());
  t.rows_.assign(std::make_move_iterator(rows.begin() + 1), std::make_move_iterator(rows.end()));
  return t;
}

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Status CsvTable::Require(std::initializer_list<std::string_view> names) const {
  for (std::string_view n : names) {
    if (Column(n) < 0) {
      return Status(ErrorCode::kInvalidArgument,
                    what_ + ": the column " + std::string(n) + " is missing from the header");
    }
  }
  return Status::Ok();
}

std::string_view CsvTable::Get(size_t row, int column) const {
  if (column < 0 || row >= rows_.size()) return {};
  const auto& r = rows_[row];
  return static_cast<size_t>(column) < r.size() ? std::string_view(r[column]) : std::string_view();
}

std::string_view CsvTable::Get(size_t row, std::string_view column) const {
  return Get(row, Column(column));
}

}  // namespace hb
