#include "storage/sqlite/index_writer.h"

#include <algorithm>
#include <unordered_map>

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
  // 0 when the store does not index (type, code).
  int64_t Of(std::string_view code) {
    if (search::IsContainedParam(code)) return sql::ContainedPid(params_, code);  // search/contained.h
    if (code == last_code_ && last_pid_ != 0) return last_pid_;
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

// Inserts `rows` with the cached statement `sql`, whose ?1 is the rowid and ?2 the pid;
// `bind` binds the rest.
template <typename Row, typename BindFn>
Status InsertAll(Database& db, const char* sql, const std::vector<Row>& rows, Pids& pids,
                 int64_t rid, BindFn bind) {
  if (rows.empty()) return Status::Ok();
  HB_ASSIGN_OR_RETURN(Statement * ins, db.Cached(sql));
  int64_t rowid = FirstRow(rid);
  for (const Row& row : rows) {
    int64_t pid = pids.Of(row.param);
    if (pid == 0) continue;
    if (rowid > LastRow(rid)) {
      return Status(ErrorCode::kUnprocessable, "the resource has too many search index values");
    }
    StatementScope s(*ins);
    s->Bind(1, rowid++);
    s->Bind(2, pid);
    bind(s.get(), row);
    HB_RETURN_IF_ERROR(s->Run());
  }
  return Status::Ok();
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
  using search::CompositeEntry, search::DateEntry, search::IdentifierTypeEntry, search::NumberEntry, search::QuantityEntry,
      search::ReferenceEntry, search::StringEntry, search::TokenEntry, search::UriEntry,
      search::PositionEntry;
  HB_RETURN_IF_ERROR(InsertAll(
      db, "INSERT INTO idx_token (rowid, pid, system, code, text) VALUES (?1, ?2, ?3, ?4, ?5)",
      e.tokens, pids, rid, [](Statement& s, const TokenEntry& r) {
        s.BindStatic(3, r.system);
        s.BindStatic(4, r.code);
        s.BindStatic(5, r.text);
      }));
  HB_RETURN_IF_ERROR(
      InsertAll(db, "INSERT INTO idx_string (rowid, pid, norm, exact) VALUES (?1, ?2, ?3, ?4)",
                e.strings, pids, rid, [](Statement& s, const StringEntry& r) {
                  s.BindStatic(3, r.norm);
                  s.BindStatic(4, r.exact);
                }));
  HB_RETURN_IF_ERROR(InsertAll(
      db,
      "INSERT INTO idx_identifier_type (rowid, pid, type_system, type_code, value) VALUES (?1, "
      "?2, ?3, ?4, ?5)",
      e.identifier_types, pids, rid, [](Statement& s, const IdentifierTypeEntry& r) {
        s.BindStatic(3, r.type_system);
        s.BindStatic(4, r.type_code);
        s.BindStatic(5, r.value);
      }));
  HB_RETURN_IF_ERROR(
      InsertAll(db, "INSERT INTO idx_date (rowid, pid, low, high) VALUES (?1, ?2, ?3, ?4)", e.dates,
                pids, rid, [](Statement& s, const DateEntry& r) {
                  s.Bind(3, r.low);
                  s.Bind(4, r.high);
                }));
  HB_RETURN_IF_ERROR(InsertAll(db, "INSERT INTO idx_number (rowid, pid, key) VALUES (?1, ?2, ?3)",
                               e.numbers, pids, rid,
                               [](Statement& s, const NumberEntry& r) { s.BindStatic(3, r.key); }));
  HB_RETURN_IF_ERROR(InsertAll(
      db,
      "INSERT INTO idx_quantity (rowid, pid, key, system, code, unit) VALUES (?1, ?2, ?3, ?4, "
      "?5, ?6)",
      e.quantities, pids, rid, [](Statement& s, const QuantityEntry& r) {
        s.BindStatic(3, r.key);
        s.BindStatic(4, r.system);
        s.BindStatic(5, r.code);
        s.BindStatic(6, r.unit);
      }));
  HB_RETURN_IF_ERROR(InsertAll(
      db,
      "INSERT INTO idx_composite (rowid, pid, s1, c1, s2, c2, key2, low2, high2, s3, c3, key3, "
      "low3, high3) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
      e.composites, pids, rid, [](Statement& s, const CompositeEntry& r) {
        s.BindStatic(3, r.s1);
        s.BindStatic(4, r.c1);
        s.BindStatic(5, r.s2);
        s.BindStatic(6, r.c2);
        s.BindStatic(7, r.key2);
        s.Bind(8, r.low2);
        s.Bind(9, r.high2);
        s.BindStatic(10, r.s3);
        s.BindStatic(11, r.c3);
        s.BindStatic(12, r.key3);
        s.Bind(13, r.low3);
        s.Bind(14, r.high3);
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
  HB_RETURN_IF_ERROR(InsertAll(
      db,
      "INSERT INTO idx_reference (rowid, pid, target_type, target_id, url) VALUES (?1, ?2, ?3, "
      "?4, ?5)",
      e.references, pids, rid, [](Statement& s, const ReferenceEntry& r) {
        s.BindStatic(3, r.target_type);
        s.BindStatic(4, r.target_id);
        s.BindStatic(5, r.url);
      }));
  HB_RETURN_IF_ERROR(InsertAll(db, "INSERT INTO idx_uri (rowid, pid, uri) VALUES (?1, ?2, ?3)",
                               e.uris, pids, rid,
                               [](Statement& s, const UriEntry& r) { s.BindStatic(3, r.uri); }));
  HB_RETURN_IF_ERROR(InsertAll(
      db,
      "INSERT INTO idx_position (rowid, pid, lat, lon, x, y, z) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
      "?7)",
      e.positions, pids, rid, [](Statement& s, const PositionEntry& r) {
        s.Bind(3, r.lat);
        s.Bind(4, r.lon);
        s.Bind(5, r.x);
        s.Bind(6, r.y);
        s.Bind(7, r.z);
      }));
  if (!e.narrative.empty() || !e.content.empty()) {  // _text, _content (search/fulltext.h)
    fulltext.Insert(rid, type, e);
  }
  return Status::Ok();
}

}  // namespace hb::storage::sqlite
