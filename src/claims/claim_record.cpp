#include "claims/claim_record.h"

#include <stdexcept>

namespace hb::claims {

void RowWriter::Set(std::string_view field, std::string value) {
  const int i = def_.IndexOf(field);
  if (i < 0) {
    throw std::logic_error(def_.loaihoso + " has no field " + std::string(field));
  }
  row_[i] = std::move(value);
}

void RowWriter::SetIfPresent(std::string_view field, std::string value) {
  const int i = def_.IndexOf(field);
  if (i >= 0) row_[i] = std::move(value);
}

const TableRows* ClaimRecord::Find(std::string_view loaihoso) const {
  for (const TableRows& t : tables) {
    if (t.def->loaihoso == loaihoso) return &t;
  }
  return nullptr;
}

TableRows& ClaimRecord::Add(std::string_view loaihoso) {
  const TableDef* def = Schemas(version).Table(loaihoso);
  if (!def) throw std::logic_error("no table " + std::string(loaihoso));
  tables.push_back(TableRows{def, {}});
  return tables.back();
}

RowWriter ClaimRecord::AddRow(TableRows& t) {
  t.rows.emplace_back(t.def->fields.size());
  return RowWriter(*t.def, t.rows.back());
}

std::string_view ClaimRecord::Value(std::string_view loaihoso, std::string_view field,
                                    size_t row) const {
  const TableRows* t = Find(loaihoso);
  if (!t || row >= t->rows.size()) return {};
  const int i = t->def->IndexOf(field);
  return i < 0 ? std::string_view() : std::string_view(t->rows[row][i]);
}

}  // namespace hb::claims
