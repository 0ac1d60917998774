#include "claims/csv.h"

namespace hb::claims {

Result<CsvTable> CsvTable::Parse(std::string_view text, std::string_view what) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  CsvTable t;
  t.what_ = std::string(what);
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  auto end_row = [&] {
    row.push_back(std::move(field));
    field.clear();
    const bool blank = row.size() == 1 && row[0].empty();
    if (!blank) {
      if (t.header_.empty()) {
        t.header_ = std::move(row);
      } else {
        t.rows_.push_back(std::move(row));
      }
    }
    row.clear();
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      end_row();
    } else {
      field.push_back(c);
      any = true;
    }
  }
  if (quoted) return Status(ErrorCode::kInvalidArgument, t.what_ + ": unclosed quote");
  if (any || !field.empty()) end_row();
  if (t.header_.empty()) return Status(ErrorCode::kInvalidArgument, t.what_ + ": empty file");
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

}  // namespace hb::claims
