#include "storage/sqlite/index_writer.h"

namespace hb::storage::sqlite {

namespace {

constexpr const char* kClear[] = {
    "DELETE FROM idx_token WHERE rid = ?1",
    "DELETE FROM idx_string WHERE rid = ?1",
    "DELETE FROM idx_token_text WHERE rid = ?1",
    "DELETE FROM idx_identifier_type WHERE rid = ?1",
    "DELETE FROM idx_date WHERE rid = ?1",
    "DELETE FROM idx_number WHERE rid = ?1",
    "DELETE FROM idx_quantity WHERE rid = ?1",
    "DELETE FROM idx_reference WHERE rid = ?1",
    "DELETE FROM idx_uri WHERE rid = ?1",
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
    if (code == last_code_) return last_pid_;
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

// Runs `bind` for each row of `rows` on the cached statement `sql`.
template <typename Row, typename BindFn>
Status InsertAll(Database& db, const char* sql, const std::vector<Row>& rows, Pids& pids,
                 int64_t rid, BindFn bind) {
  if (rows.empty()) return Status::Ok();
  HB_ASSIGN_OR_RETURN(Statement * ins, db.Cached(sql));
  for (const Row& row : rows) {
    int64_t pid = pids.Of(row.param);
    if (pid == 0) continue;
    StatementScope s(*ins);
    s->Bind(1, pid);
    bind(s.get(), row);
    s->Bind(2, rid);
    HB_RETURN_IF_ERROR(s->Run());
  }
  return Status::Ok();
}

}  // namespace

Status ClearIndexRows(Database& db, int64_t rid) {
  for (const char* sql : kClear) {
    HB_ASSIGN_OR_RETURN(Statement * d, db.Cached(sql));
    StatementScope s(*d);
    s->Bind(1, rid);
    HB_RETURN_IF_ERROR(s->Run());
  }
  return Status::Ok();
}

Status WriteIndexRows(Database& db, const ParamIds& params, std::string_view type, int64_t rid,
                      const search::IndexEntries& e) {
  Pids pids(params, type);
  using search::DateEntry, search::IdentifierTypeEntry, search::NumberEntry,
      search::QuantityEntry, search::ReferenceEntry, search::StringEntry, search::TokenEntry,
      search::TokenTextEntry, search::UriEntry;
  HB_RETURN_IF_ERROR(InsertAll(db, "INSERT OR IGNORE INTO idx_token (pid, rid, system, code) VALUES (?1, ?2, ?3, ?4)",
                               e.tokens, pids, rid, [](Statement& s, const TokenEntry& r) {
                                 s.BindStatic(3, r.system);
                                 s.BindStatic(4, r.code);
                               }));
  HB_RETURN_IF_ERROR(InsertAll(db, "INSERT OR IGNORE INTO idx_string (pid, rid, norm, exact) VALUES (?1, ?2, ?3, ?4)",
                               e.strings, pids, rid, [](Statement& s, const StringEntry& r) {
                                 s.BindStatic(3, r.norm);
                                 s.BindStatic(4, r.exact);
                               }));
  HB_RETURN_IF_ERROR(InsertAll(db, "INSERT OR IGNORE INTO idx_token_text (pid, rid, norm) VALUES (?1, ?2, ?3)",
                               e.token_texts, pids, rid, [](Statement& s, const TokenTextEntry& r) {
                                 s.BindStatic(3, r.norm);
                               }));
  HB_RETURN_IF_ERROR(InsertAll(
      db,
      "INSERT OR IGNORE INTO idx_identifier_type (pid, rid, type_system, type_code, value) VALUES (?1, ?2, "
      "?3, ?4, ?5)",
      e.identifier_types, pids, rid, [](Statement& s, const IdentifierTypeEntry& r) {
        s.BindStatic(3, r.type_system);
        s.BindStatic(4, r.type_code);
        s.BindStatic(5, r.value);
      }));
  HB_RETURN_IF_ERROR(InsertAll(db, "INSERT OR IGNORE INTO idx_date (pid, rid, low, high) VALUES (?1, ?2, ?3, ?4)",
                               e.dates, pids, rid, [](Statement& s, const DateEntry& r) {
                                 s.Bind(3, r.low);
                                 s.Bind(4, r.high);
                               }));
  HB_RETURN_IF_ERROR(InsertAll(db, "INSERT OR IGNORE INTO idx_number (pid, rid, key) VALUES (?1, ?2, ?3)",
                               e.numbers, pids, rid, [](Statement& s, const NumberEntry& r) {
                                 s.BindStatic(3, r.key);
                               }));
  HB_RETURN_IF_ERROR(InsertAll(
      db,
      "INSERT OR IGNORE INTO idx_quantity (pid, rid, key, system, code, unit) VALUES (?1, ?2, "
      "?3, ?4, ?5, ?6)",
      e.quantities, pids, rid, [](Statement& s, const QuantityEntry& r) {
        s.BindStatic(3, r.key);
        s.BindStatic(4, r.system);
        s.BindStatic(5, r.code);
        s.BindStatic(6, r.unit);
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
      "INSERT OR IGNORE INTO idx_reference (pid, rid, target_type, target_id, url) VALUES (?1, ?2, ?3, ?4, "
      "?5)",
      e.references, pids, rid, [](Statement& s, const ReferenceEntry& r) {
        s.BindStatic(3, r.target_type);
        s.BindStatic(4, r.target_id);
        s.BindStatic(5, r.url);
      }));
  HB_RETURN_IF_ERROR(InsertAll(db, "INSERT OR IGNORE INTO idx_uri (pid, rid, uri) VALUES (?1, ?2, ?3)",
                               e.uris, pids, rid, [](Statement& s, const UriEntry& r) {
                                 s.BindStatic(3, r.uri);
                               }));
  return Status::Ok();
}

}  // namespace hb::storage::sqlite
