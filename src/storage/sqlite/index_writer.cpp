#include "storage/sqlite/index_writer.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <utility>

namespace hb::storage::sqlite {

namespace {

constexpr const char* kClear[] = {
    "DELETE FROM idx_token WHERE rowid BETWEEN ?1 AND ?2",
    "DELETE FROM idx_string WHERE rowid BETWEEN ?1 AND ?2",
    "DELETE FROM idx_identifier_type WHERE rowid BETWEEN ?1 AND ?2",
    "DELETE FROM idx_date WHERE rowid BETWEEN ?1 AND ?2",
    "DELETE FROM idx_number WHERE rowid BETWEEN ?1 AND ?2",
    "DELETE FROM idx_quantity WHERE rowid BETWEEN ?1 AND ?2",
    "DELETE FROM idx_reference WHERE rowid BETWEEN ?1 AND ?2",
    "DELETE FROM idx_uri WHERE rowid BETWEEN ?1 AND ?2",
    "DELETE FROM idx_composite WHERE rowid BETWEEN ?1 AND ?2",
    "DELETE FROM idx_position WHERE rowid BETWEEN ?1 AND ?2",
    // idx_fulltext (one row per resource, rowid = rid): FullTextBuffer
};

// Looks up pids by code for one resource type, remembering the last hit.
class Pids {
 public:
  Pids(const ParamIds& params, std::string_view type) : params_(params), key_(type) {
    key_ += '\0';
    prefix_ = key_.size();
  }
  // 0 when the store does not index (type, code). The last code's pid is tested first:
  // rows come grouped by parameter, so that test answers most of them (a contained row's
  // text never becomes last_code_); then the one-character test for a contained row's text.
  int64_t Of(std::string_view code) {
    if (last_pid_ != 0 && code == last_code_) return last_pid_;
    if (search::IsContainedParam(code)) {
      return sql::ContainedPid(params_, code);  // search/contained.h
    }
    key_.resize(prefix_);
    key_ += code;
    auto it = params_.find(key_);
    last_code_ = code;
    last_pid_ = it == params_.end() ? 0 : it->second;
    return last_pid_;
  }

 private:
  const ParamIds& params_;
  std::string key_;
  size_t prefix_;
  std::string_view last_code_;
  int64_t last_pid_ = 0;
};

// Rows a multi-row INSERT writes at most: one statement per index table and resource for
// most resources (an Observation has a few dozen rows in all), at most 32 x 14 parameters.
constexpr size_t kMaxRowsPerInsert = 32;

// The INSERT statements of one index table for 1 .. kMaxRowsPerInsert rows, each row
// (rowid, pid, the table's own columns): texts built once, so that the connection's cache
// of prepared statements (keyed by the text's address) holds one statement per row count.
class MultiInsert {
 public:
  // `head`: "INSERT INTO <table> (rowid, pid, ...) VALUES "; `columns` counts rowid and pid.
  MultiInsert(std::string_view head, int columns) : columns_(columns) {
    std::string row = "(?";
    for (int c = 1; c < columns; ++c) row += ", ?";
    row += ')';
    for (size_t n = 1; n <= kMaxRowsPerInsert; ++n) {
      std::string sql(head);
      for (size_t r = 0; r < n; ++r) sql.append(r == 0 ? "" : ", ").append(row);
      sql_[n] = std::move(sql);
    }
  }
  const char* Sql(size_t rows) const { return sql_[rows].c_str(); }
  int columns() const { return columns_; }

 private:
  int columns_;
  std::array<std::string, kMaxRowsPerInsert + 1> sql_;
};

// Inserts `rows` (those whose parameter the store indexes) with the statements of `ins`,
// kMaxRowsPerInsert to a statement; the rowids follow the rows' order from FirstRow(rid),
// as one statement per row would give them. `bind(s, base, row)` binds a row's own columns
// at base + 3, base + 4, ...
template <typename Row, typename BindFn>
Status InsertAll(Database& db, const MultiInsert& ins, const std::vector<Row>& rows, Pids& pids,
                 int64_t rid, BindFn bind) {
  if (rows.empty()) return Status::Ok();
  std::vector<std::pair<const Row*, int64_t>> kept;  // row, pid
  kept.reserve(rows.size());
  for (const Row& row : rows) {
    int64_t pid = pids.Of(row.param);
    if (pid != 0) kept.emplace_back(&row, pid);
  }
  if (static_cast<int64_t>(kept.size()) > LastRow(rid) - FirstRow(rid) + 1) {
    return Status(ErrorCode::kUnprocessable, "the resource has too many search index values");
  }
  int64_t rowid = FirstRow(rid);
  for (size_t at = 0; at < kept.size();) {
    const size_t n = std::min(kept.size() - at, kMaxRowsPerInsert);
    HB_ASSIGN_OR_RETURN(Statement * stmt, db.Cached(ins.Sql(n)));
    StatementScope s(*stmt);
    for (size_t j = 0; j < n; ++j) {
      const int base = static_cast<int>(j) * ins.columns();
      s->Bind(base + 1, rowid++);
      s->Bind(base + 2, kept[at + j].second);
      bind(s.get(), base, *kept[at + j].first);
    }
    HB_RETURN_IF_ERROR(s->Run());
    at += n;
  }
  return Status::Ok();
}

enum Table {
  kToken,
  kString,
  kIdentifierType,
  kDate,
  kNumber,
  kQuantity,
  kComposite,
  kReference,
  kUri,
  kPosition
};

// The INSERT statements of each index table. OR FAIL, not the default ABORT: a multi-row
// statement that may abort halfway gets a statement journal from SQLite (each page it
// changes copied first, more than the statement saves); a failure fails the work item,
// whose savepoint or ROLLBACK undoes the rows already written.
const MultiInsert& Inserts(Table table) {
  static const MultiInsert kTables[] = {
      {"INSERT OR FAIL INTO idx_token (rowid, pid, system, code, text) VALUES ", 5},
      {"INSERT OR FAIL INTO idx_string (rowid, pid, norm, exact) VALUES ", 4},
      {"INSERT OR FAIL INTO idx_identifier_type (rowid, pid, type_system, type_code, value) "
       "VALUES ",
       5},
      {"INSERT OR FAIL INTO idx_date (rowid, pid, low, high) VALUES ", 4},
      {"INSERT OR FAIL INTO idx_number (rowid, pid, key) VALUES ", 3},
      {"INSERT OR FAIL INTO idx_quantity (rowid, pid, key, system, code, unit) VALUES ", 6},
      {"INSERT OR FAIL INTO idx_composite (rowid, pid, s1, c1, s2, c2, key2, low2, high2, s3, c3, "
       "key3, low3, high3) VALUES ",
       14},
      {"INSERT OR FAIL INTO idx_reference (rowid, pid, target_type, target_id, url) VALUES ", 5},
      {"INSERT OR FAIL INTO idx_uri (rowid, pid, uri) VALUES ", 3},
      {"INSERT OR FAIL INTO idx_position (rowid, pid, lat, lon, x, y, z) VALUES ", 7},
  };
  return kTables[table];
}

}  // namespace

Status CheckIndexSchema(Database& db) {
  // Columns only the current layout has; an older development layout fails to prepare.
  auto s = db.Prepare(
      "SELECT t.text, q.cunit FROM idx_token t, idx_quantity_unit q, idx_string s "
      "WHERE s.rowid < 0 LIMIT 0");
  if (s.ok()) return Status::Ok();
  return Status(ErrorCode::kUnavailable,
                "the search index tables have an older development layout (" +
                    s.status().message() + "); recreate this data folder");
}

void FullTextBuffer::Delete(int64_t rid) { ops_.push_back(Op{rid, false, {}, {}, {}}); }

void FullTextBuffer::Insert(int64_t rid, std::string_view type, const search::IndexEntries& e) {
  ops_.push_back(Op{rid, true, std::string(type), e.narrative, e.content});
}

void FullTextBuffer::RollBack(const Mark& m) {
  ops_.resize(m.ops);
  applied_ = m.applied;
}

Status FullTextBuffer::Apply(Database& db) {
  if (!pending()) return Status::Ok();
  struct Net {
    bool remove = false;
    const Op* insert = nullptr;
  };
  std::unordered_map<int64_t, Net> net;
  net.reserve(ops_.size() - applied_);
  for (size_t i = applied_; i < ops_.size(); ++i) {
    Net& n = net[ops_[i].rid];
    if (ops_[i].insert) {
      n.insert = &ops_[i];
    } else {
      n.remove = true;
      n.insert = nullptr;
    }
  }
  std::vector<std::pair<int64_t, Net>> by_rid(net.begin(), net.end());
  std::sort(by_rid.begin(), by_rid.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  HB_ASSIGN_OR_RETURN(Statement * del, db.Cached("DELETE FROM idx_fulltext WHERE rowid = ?1"));
  for (const auto& [rid, n] : by_rid) {
    if (!n.remove) continue;
    StatementScope s(*del);
    s->Bind(1, rid);
    HB_RETURN_IF_ERROR(s->Run());
  }
  HB_ASSIGN_OR_RETURN(
      Statement * ins,
      db.Cached("INSERT INTO idx_fulltext (rowid, narrative, content, type) VALUES (?1, ?2, ?3, "
                "?4)"));
  for (const auto& [rid, n] : by_rid) {
    const Op* op = n.insert;
    if (op == nullptr) continue;
    StatementScope s(*ins);
    s->Bind(1, rid);
    s->BindStatic(2, op->narrative);
    s->BindStatic(3, op->content);
    s->BindStatic(4, op->type);
    HB_RETURN_IF_ERROR(s->Run());
  }
  applied_ = ops_.size();
  return Status::Ok();
}

Status ClearIndexRows(Database& db, int64_t rid, FullTextBuffer& fulltext) {
  fulltext.Delete(rid);
  for (const char* sql : kClear) {
    HB_ASSIGN_OR_RETURN(Statement * d, db.Cached(sql));
    StatementScope s(*d);
    s->Bind(1, FirstRow(rid));
    s->Bind(2, LastRow(rid));
    HB_RETURN_IF_ERROR(s->Run());
  }
  return Status::Ok();
}

Status WriteIndexRows(Database& db, const ParamIds& params, std::string_view type, int64_t rid,
                      const search::IndexEntries& e, FullTextBuffer& fulltext) {
  Pids pids(params, type);
  using search::CompositeEntry, search::DateEntry, search::IdentifierTypeEntry, search::NumberEntry,
      search::QuantityEntry, search::ReferenceEntry, search::StringEntry, search::TokenEntry,
      search::UriEntry, search::PositionEntry;
  HB_RETURN_IF_ERROR(InsertAll(db, Inserts(kToken), e.tokens, pids, rid,
                               [](Statement& s, int b, const TokenEntry& r) {
                                 s.BindStatic(b + 3, r.system);
                                 s.BindStatic(b + 4, r.code);
                                 s.BindStatic(b + 5, r.text);
                               }));
  HB_RETURN_IF_ERROR(InsertAll(db, Inserts(kString), e.strings, pids, rid,
                               [](Statement& s, int b, const StringEntry& r) {
                                 s.BindStatic(b + 3, r.norm);
                                 s.BindStatic(b + 4, r.exact);
                               }));
  HB_RETURN_IF_ERROR(InsertAll(db, Inserts(kIdentifierType), e.identifier_types, pids, rid,
                               [](Statement& s, int b, const IdentifierTypeEntry& r) {
                                 s.BindStatic(b + 3, r.type_system);
                                 s.BindStatic(b + 4, r.type_code);
                                 s.BindStatic(b + 5, r.value);
                               }));
  HB_RETURN_IF_ERROR(InsertAll(db, Inserts(kDate), e.dates, pids, rid,
                               [](Statement& s, int b, const DateEntry& r) {
                                 s.Bind(b + 3, r.low);
                                 s.Bind(b + 4, r.high);
                               }));
  HB_RETURN_IF_ERROR(
      InsertAll(db, Inserts(kNumber), e.numbers, pids, rid,
                [](Statement& s, int b, const NumberEntry& r) { s.BindStatic(b + 3, r.key); }));
  HB_RETURN_IF_ERROR(InsertAll(db, Inserts(kQuantity), e.quantities, pids, rid,
                               [](Statement& s, int b, const QuantityEntry& r) {
                                 s.BindStatic(b + 3, r.key);
                                 s.BindStatic(b + 4, r.system);
                                 s.BindStatic(b + 5, r.code);
                                 s.BindStatic(b + 6, r.unit);
                               }));
  HB_RETURN_IF_ERROR(InsertAll(db, Inserts(kComposite), e.composites, pids, rid,
                               [](Statement& s, int b, const CompositeEntry& r) {
                                 s.BindStatic(b + 3, r.s1);
                                 s.BindStatic(b + 4, r.c1);
                                 s.BindStatic(b + 5, r.s2);
                                 s.BindStatic(b + 6, r.c2);
                                 s.BindStatic(b + 7, r.key2);
                                 s.Bind(b + 8, r.low2);
                                 s.Bind(b + 9, r.high2);
                                 s.BindStatic(b + 10, r.s3);
                                 s.BindStatic(b + 11, r.c3);
                                 s.BindStatic(b + 12, r.key3);
                                 s.Bind(b + 13, r.low3);
                                 s.Bind(b + 14, r.high3);
                               }));
  // The UCUM units each quantity parameter holds (a hot, tiny table).
  for (const QuantityEntry& q : e.quantities) {
    if (q.canonical_unit.empty()) continue;
    int64_t pid = pids.Of(q.param);
    if (pid == 0) continue;
    HB_ASSIGN_OR_RETURN(Statement * ins,
                        db.Cached("INSERT OR IGNORE INTO idx_quantity_unit (pid, system, code, "
                                  "cunit) VALUES (?1, ?2, ?3, ?4)"));
    StatementScope s(*ins);
    s->Bind(1, pid);
    s->BindStatic(2, q.system);
    s->BindStatic(3, q.code);
    s->BindStatic(4, q.canonical_unit);
    HB_RETURN_IF_ERROR(s->Run());
  }
  HB_RETURN_IF_ERROR(InsertAll(db, Inserts(kReference), e.references, pids, rid,
                               [](Statement& s, int b, const ReferenceEntry& r) {
                                 s.BindStatic(b + 3, r.target_type);
                                 s.BindStatic(b + 4, r.target_id);
                                 s.BindStatic(b + 5, r.url);
                               }));
  HB_RETURN_IF_ERROR(
      InsertAll(db, Inserts(kUri), e.uris, pids, rid,
                [](Statement& s, int b, const UriEntry& r) { s.BindStatic(b + 3, r.uri); }));
  HB_RETURN_IF_ERROR(InsertAll(db, Inserts(kPosition), e.positions, pids, rid,
                               [](Statement& s, int b, const PositionEntry& r) {
                                 s.Bind(b + 3, r.lat);
                                 s.Bind(b + 4, r.lon);
                                 s.Bind(b + 5, r.x);
                                 s.Bind(b + 6, r.y);
                                 s.Bind(b + 7, r.z);
                               }));
  if (!e.narrative.empty() || !e.content.empty()) {  // _text, _content (search/fulltext.h)
    fulltext.Insert(rid, type, e);
  }
  return Status::Ok();
}

}  // namespace hb::storage::sqlite
