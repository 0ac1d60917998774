#include "claims/table_schema.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "common/csv.h"
#include "claims/resources.h"

namespace hb::claims {

namespace {

[[noreturn]] void Broken(const std::string& what) {
  // The files are embedded at build time: a defect here is a build defect.
  std::fprintf(stderr, "claims: embedded table definitions are broken: %s\n", what.c_str());
  std::abort();
}

CsvTable Load(std::string_view name) {
  auto t = CsvTable::Parse(EmbeddedResource(name), name);
  if (!t.ok()) Broken(t.status().message());
  return std::move(t).value();
}

FieldFormat ParseFormat(std::string_view f, const std::string& where) {
  static const std::pair<std::string_view, FieldFormat> kFormats[] = {
      {"", FieldFormat::kText},
      {"code", FieldFormat::kCode},
      {"int", FieldFormat::kInteger},
      {"dec2", FieldFormat::kDecimal2},
      {"dec3", FieldFormat::kDecimal3},
      {"percent", FieldFormat::kPercent},
      {"datetime", FieldFormat::kDateTime},
      {"date", FieldFormat::kDate},
      {"dates", FieldFormat::kDates},
      {"date_or_datetime", FieldFormat::kDateOrDateTime},
      {"birth", FieldFormat::kBirth},
      {"year", FieldFormat::kYear},
      {"month", FieldFormat::kMonth},
      {"card", FieldFormat::kCard},
      {"facility", FieldFormat::kFacility},
      {"facilities", FieldFormat::kFacilities},
      {"icd", FieldFormat::kIcd},
      {"icds", FieldFormat::kIcds},
      {"cccd", FieldFormat::kCccd},
      {"phone", FieldFormat::kPhone},
  };
  for (const auto& [name, format] : kFormats) {
    if (name == f) return format;
  }
  Broken(where + ": unknown format '" + std::string(f) + "'");
}

// Type and size after the amendment column: "Đổi kiểu dữ liệu thành chuỗi" makes the
// field a string; "Tăng kích thước tối đa lên N ký tự" raises its size.
void ApplyAmendment(std::string_view amendment, FieldDef& f) {
  if (amendment.find("thành chuỗi") != std::string_view::npos) f.number = false;
  const std::string_view kRaise = "lên ";
  size_t at = amendment.find("Tăng kích thước tối đa");
  if (at == std::string_view::npos) return;
  at = amendment.find(kRaise, at);
  if (at == std::string_view::npos) return;
  int n = 0;
  for (size_t i = at + kRaise.size();
       i < amendment.size() && amendment[i] >= '0' && amendment[i] <= '9'; ++i) {
    n = n * 10 + (amendment[i] - '0');
  }
  if (n > 0) f.max_size = n;
}

int ParseSize(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s == "n" || s.empty()) return 0;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

// Free text goes in CDATA: unbounded or long strings and people's names, never codes (a
// code may be 255 characters long: MA_THUOC, MA_BAC_SI) or numbers.
bool IsFreeText(const FieldDef& f) {
  if (f.number) return false;
  if (f.max_size == 0 || f.max_size >= 1024) return true;
  const std::string& n = f.name;
  return n.starts_with("HO_TEN") || n.starts_with("HOTEN") || n.starts_with("TEN_") ||
         n == "NGUOI_GIAM_HO" || n == "CHUCDANH_NGUOI_HT" || n == "PHUONGTIEN_VC";
}

void Reindex(TableDef& t) {
  t.index.clear();
  for (size_t i = 0; i < t.fields.size(); ++i) t.index[t.fields[i].name] = static_cast<int>(i);
}

TableDef LoadTable(const CsvTable& tables, size_t row) {
  TableDef t;
  t.loaihoso = std::string(tables.Get(row, "LOAIHOSO"));
  t.root = std::string(tables.Get(row, "ROOT"));
  t.list = std::string(tables.Get(row, "LIST"));
  t.row = std::string(tables.Get(row, "ROW"));
  const std::string file = "qd4750/" + std::string(tables.Get(row, "FILE"));
  CsvTable def = Load(file);
  if (Status st = def.Require({"field", "type", "max_size", "amendment"}); !st.ok())
    Broken(st.message());
  for (size_t i = 0; i < def.rows(); ++i) {
    FieldDef f;
    f.name = std::string(def.Get(i, "field"));
    f.number = def.Get(i, "type").starts_with("Số");
    f.max_size = ParseSize(def.Get(i, "max_size"));
    f.description = std::string(def.Get(i, "description"));
    ApplyAmendment(def.Get(i, "amendment"), f);
    f.cdata = IsFreeText(f);
    t.fields.push_back(std::move(f));
  }
  Reindex(t);
  return t;
}

void ApplyRules(std::map<std::string, TableDef, std::less<>>& tables) {
  CsvTable rules = Load("field-rules.csv");
  for (size_t i = 0; i < rules.rows(); ++i) {
    auto it = tables.find(rules.Get(i, "LOAIHOSO"));
    if (it == tables.end()) continue;
    const int at = it->second.IndexOf(rules.Get(i, "FIELD"));
    if (at < 0) continue;  // a field of the other schema version (XML13 under 3176)
    FieldDef& f = it->second.fields[at];
    const std::string where = "field-rules.csv " + it->first + "." + f.name;
    f.required = rules.Get(i, "REQUIRED") == "Y";
    f.format = ParseFormat(rules.Get(i, "FORMAT"), where);
    f.code_list = std::string(rules.Get(i, "CODE_LIST"));
    if (f.format != FieldFormat::kText) f.cdata = false;
  }
}

void Apply3176(std::map<std::string, TableDef, std::less<>>& tables) {
  CsvTable changes = Load("qd3176.csv");
  for (size_t i = 0; i < changes.rows(); ++i) {
    auto it = tables.find(changes.Get(i, "LOAIHOSO"));
    if (it == tables.end()) Broken("qd3176.csv: unknown table");
    TableDef& t = it->second;
    const int at = t.IndexOf(changes.Get(i, "FIELD"));
    if (at < 0) Broken("qd3176.csv: unknown field " + std::string(changes.Get(i, "FIELD")));
    FieldDef& f = t.fields[at];
    const std::string_view action = changes.Get(i, "ACTION");
    f.name = std::string(changes.Get(i, "NEW_FIELD"));
    if (action == "replace") {
      f.number = changes.Get(i, "TYPE").starts_with("Số");
      f.max_size = ParseSize(changes.Get(i, "MAX_SIZE"));
      f.required = false;
      f.format = FieldFormat::kText;
      f.code_list.clear();
      f.cdata = IsFreeText(f);
    } else if (action != "rename") {
      Broken("qd3176.csv: unknown action " + std::string(action));
    }
    Reindex(t);
  }
}

}  // namespace

std::string_view SchemaName(SchemaVersion v) { return v == SchemaVersion::k3176 ? "3176" : "4750"; }

bool ParseSchemaVersion(std::string_view text, SchemaVersion* out) {
  if (text == "4750" || text == "130") {
    *out = SchemaVersion::k4750;
  } else if (text == "3176") {
    *out = SchemaVersion::k3176;
  } else {
    return false;
  }
  return true;
}

const FieldDef* TableDef::Find(std::string_view name) const {
  const int i = IndexOf(name);
  return i < 0 ? nullptr : &fields[i];
}

int TableDef::IndexOf(std::string_view name) const {
  auto it = index.find(std::string(name));
  return it == index.end() ? -1 : it->second;
}

const TableDef* SchemaSet::Table(std::string_view loaihoso) const {
  auto it = tables_.find(loaihoso);
  return it == tables_.end() ? nullptr : &it->second;
}

const SchemaSet& Schemas(SchemaVersion v) {
  static std::once_flag once;
  static SchemaSet sets[2];
  std::call_once(once, [] {
    for (SchemaVersion version : {SchemaVersion::k4750, SchemaVersion::k3176}) {
      SchemaSet& s = sets[version == SchemaVersion::k3176 ? 1 : 0];
      s.version_ = version;
      CsvTable tables = Load("tables.csv");
      for (size_t i = 0; i < tables.rows(); ++i) {
        TableDef t = LoadTable(tables, i);
        s.tables_.emplace(t.loaihoso, std::move(t));
      }
      if (version == SchemaVersion::k3176) Apply3176(s.tables_);
      ApplyRules(s.tables_);
    }
  });
  return sets[v == SchemaVersion::k3176 ? 1 : 0];
}

}  // namespace hb::claims
