// Writing versions and their index rows in as few statements as possible. New resources
// go in batches (CreateBatch): one statement inserts the resource rows, the versions and
// every index, full-text, compartment, care and consent row of up to kCreateBatch of them
// (data-modifying CTEs over unnest() of binary array parameters, one row per element). A
// new version of an existing resource is two statements: the version check, then the
// replacement of its rows, in the same form with a batch of one.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "storage/json_codec.h"
#include "storage/postgres/pg_queries.h"
#include "storage/sql/rows.h"

namespace hb::storage::postgres {

namespace {

using sql::MethodToInt;

// Element and array type OIDs (pg_type.dat).
constexpr Oid kInt2 = 21, kInt4 = 23, kInt8 = 20, kText = 25, kBytea = 17;

Oid ArrayOid(Oid elem) {
  switch (elem) {
    case kInt2: return 1005;
    case kInt4: return 1007;
    case kInt8: return 1016;
    case kBytea: return 1001;
    default: return 1009;  // text[]
  }
}

const char* ArrayCast(Oid elem) {
  switch (elem) {
    case kInt2: return "::smallint[]";
    case kInt4: return "::int[]";
    case kInt8: return "::bigint[]";
    case kBytea: return "::bytea[]";
    default: return "::text[]";
  }
}

// A one-dimensional array in PostgreSQL's binary format (array_recv), element by element:
// the server copies the elements out without parsing or unescaping anything.
class BinaryArray {
 public:
  explicit BinaryArray(Oid elem = kText) : elem_(elem) {}
  void Add(std::string_view text) {
    Length(static_cast<int32_t>(text.size()));
    data_.append(text);
    ++count_;
  }
  void AddInt(int64_t v) {
    const int bytes = elem_ == kInt2 ? 2 : elem_ == kInt4 ? 4 : 8;
    Length(bytes);
    for (int i = bytes - 1; i >= 0; --i) data_ += static_cast<char>((v >> (8 * i)) & 0xff);
    ++count_;
  }
  void AddNull() {
    Length(-1);
    nulls_ = true;
    ++count_;
  }
  // The header (one dimension of `count` elements from 1) and the elements.
  std::string Finish() const {
    std::string out;
    out.reserve(20 + data_.size());
    auto put = [&out](uint32_t v) {
      for (int i = 3; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    };
    put(1), put(nulls_ ? 1 : 0), put(elem_), put(static_cast<uint32_t>(count_)), put(1);
    return out + data_;
  }
  bool empty() const { return count_ == 0; }
  size_t bytes() const { return data_.size(); }
  Oid elem() const { return elem_; }

 private:
  void Length(int32_t n) {
    const auto u = static_cast<uint32_t>(n);
    for (int i = 3; i >= 0; --i) data_ += static_cast<char>((u >> (8 * i)) & 0xff);
  }
  Oid elem_;
  std::string data_;
  size_t count_ = 0;
  bool nulls_ = false;
};

// The statement's parameters: scalars bound directly, arrays in binary.
class Builder {
 public:
  std::string Scalar(int64_t v, const char* cast) {
    p_.Add(v);
    return Ph() + cast;
  }
  std::string Scalar(std::string_view v, const char* cast) {
    p_.Add(v);
    return Ph() + cast;
  }
  std::string Bytes(std::string_view v) {
    p_.AddBytes(v);
    return Ph() + "::bytea";
  }
  std::string Array(const BinaryArray& a) {
    owned_.push_back(a.Finish());
    p_.AddBinary(owned_.back(), ArrayOid(a.elem()));
    return Ph() + ArrayCast(a.elem());
  }
  Params& params() { return p_; }

 private:
  std::string Ph() { return "$" + std::to_string(p_.size()); }
  Params p_;
  std::deque<std::string> owned_;
};

void AddCte(std::string& ctes, const std::string& name, const std::string& body) {
  ctes += (ctes.empty() ? "WITH " : ", ") + name + " AS (" + body + ")";
}

// Looks up pids by code for one resource type.
int64_t PidOf(const ParamIds& params, std::string_view type, std::string_view code) {
  if (search::IsContainedParam(code)) return sql::ContainedPid(params, code);  // search/contained.h
  auto it = params.find(sql::ParamKey(type, code));
  return it == params.end() ? 0 : it->second;
}

// The rows of one table for one or more resources, column by column; the first column is
// the resource's place in its batch (`ord`, from 1), which the statement joins to the CTE
// m (ord, rid, pkey) of the resources that were written.
struct TableRows {
  TableRows(const char* table, const char* columns, std::vector<Oid> types)
      : table(table), columns(columns) {
    arrays.emplace_back(kInt8);
    for (Oid t : types) arrays.emplace_back(t);
  }
  BinaryArray& operator[](size_t column) { return arrays[column + 1]; }
  void Row(int64_t ord) { arrays[0].AddInt(ord); }
  bool empty() const { return arrays[0].empty(); }
  // "INSERT INTO table (columns) SELECT <select> FROM unnest(...) AS x(o, c1, ...) JOIN m":
  // `select` names the columns x.c1.. and m.rid, m.pkey.
  std::string Insert(Builder& b, const std::string& select) const {
    std::string list, names = "o";
    for (size_t i = 0; i < arrays.size(); ++i) {
      list += (i ? ", " : "") + b.Array(arrays[i]);
      if (i) names += ", c" + std::to_string(i);
    }
    return "INSERT INTO " + std::string(table) + " (" + columns + ") SELECT " + select +
           " FROM unnest(" + list + ") AS x(" + names + ") JOIN m ON m.ord = x.o";
  }
  // For index tables: rid, pkey and then every column of x.
  std::string IndexInsert(Builder& b) const {
    std::string select = "m.rid, m.pkey";
    for (size_t i = 1; i < arrays.size(); ++i) select += ", x.c" + std::to_string(i);
    return Insert(b, select);
  }
  const char* table;
  const char* columns;
  std::vector<BinaryArray> arrays;
};

// The index, full-text, compartment, care and consent rows of one or more resources.
class RowSet {
 public:
  // The typed search index rows (and _text/_content) of the resource at `ord`.
  void AddSearch(const ParamIds& params, std::string_view type, const search::IndexEntries& e,
                 int64_t ord) {
    auto pid = [&](std::string_view code, TableRows& t) {
      int64_t p = PidOf(params, type, code);
      if (p == 0) return false;
      t.Row(ord);
      t[0].AddInt(p);
      return true;
    };
    for (const auto& r : e.tokens) {
      if (pid(r.param, token_)) {
        token_[1].Add(r.system), token_[2].Add(r.code), token_[3].Add(r.text);
      }
    }
    for (const auto& r : e.strings) {
      if (pid(r.param, string_)) string_[1].Add(r.norm), string_[2].Add(r.exact);
    }
    for (const auto& r : e.identifier_types) {
      if (pid(r.param, identifier_type_)) {
        identifier_type_[1].Add(r.type_system), identifier_type_[2].Add(r.type_code),
            identifier_type_[3].Add(r.value);
      }
    }
    for (const auto& r : e.dates) {
      if (pid(r.param, date_)) date_[1].AddInt(r.low), date_[2].AddInt(r.high);
    }
    for (const auto& r : e.numbers) {
      if (pid(r.param, number_)) number_[1].Add(r.key);
    }
    for (const auto& r : e.quantities) {
      if (!pid(r.param, quantity_)) continue;
      quantity_[1].Add(r.key), quantity_[2].Add(r.system), quantity_[3].Add(r.code),
          quantity_[4].Add(r.unit);
      const int64_t p = PidOf(params, type, r.param);
      if (!r.canonical_unit.empty() && units_seen_.insert({p, r.system, r.code}).second) {
        units_[0].AddInt(p), units_[1].Add(r.system), units_[2].Add(r.code),
            units_[3].Add(r.canonical_unit);
        units_.Row(ord);
      }
    }
    for (const auto& r : e.composites) {
      if (!pid(r.param, composite_)) continue;
      composite_[1].Add(r.s1), composite_[2].Add(r.c1), composite_[3].Add(r.s2),
          composite_[4].Add(r.c2), composite_[5].Add(r.key2), composite_[6].AddInt(r.low2),
          composite_[7].AddInt(r.high2), composite_[8].Add(r.s3), composite_[9].Add(r.c3),
          composite_[10].Add(r.key3), composite_[11].AddInt(r.low3),
          composite_[12].AddInt(r.high3);
    }
    for (const auto& r : e.references) {
      if (pid(r.param, reference_)) {
        reference_[1].Add(r.target_type), reference_[2].Add(r.target_id),
            reference_[3].Add(r.url);
      }
    }
    for (const auto& r : e.uris) {
      if (pid(r.param, uri_)) uri_[1].Add(r.uri);
    }
    for (const auto& r : e.positions) {
      if (pid(r.param, position_)) {
        position_[1].AddInt(r.lat), position_[2].AddInt(r.lon), position_[3].AddInt(r.x),
            position_[4].AddInt(r.y), position_[5].AddInt(r.z);
      }
    }
    if (!e.narrative.empty() || !e.content.empty()) {  // _text, _content (search/fulltext.h)
      fulltext_.Row(ord);
      fulltext_[0].Add(e.narrative), fulltext_[1].Add(e.content);
    }
  }

  // Compartment, care and consent rows (deduplicated: the last of equal keys wins, as
  // SQLite's INSERT OR REPLACE).
  void AddCompartments(const IndexRows& rows, int64_t ord) {
    std::set<std::string_view> patients(rows.patient_compartment.begin(),
                                        rows.patient_compartment.end());
    for (std::string_view p : patients) {
      compartment_.Row(ord);
      compartment_[0].Add(p);
    }
    std::map<std::pair<std::string_view, std::string_view>, int64_t> links;
    for (const CareLink& c : rows.care_links) links[{c.patient, c.org}] = c.until;
    for (const auto& [k, until] : links) {
      care_.Row(ord);
      care_[0].Add(k.first), care_[1].Add(k.second), care_[2].AddInt(until);
    }
    std::map<std::pair<std::string_view, std::string_view>, std::string_view> denies;
    for (const ConsentDeny& c : rows.consent_denies) denies[{c.patient, c.org}] = c.types;
    for (const auto& [k, types] : denies) {
      consent_.Row(ord);
      consent_[0].Add(k.first), consent_[1].Add(k.second), consent_[2].Add(types);
    }
  }

  // One CTE per table that has rows.
  void Ctes(Builder& b, std::string& ctes) const {
    int n = 0;
    for (const TableRows* t : {&token_, &string_, &identifier_type_, &date_, &number_,
                               &quantity_, &composite_, &reference_, &uri_, &position_}) {
      if (!t->empty()) AddCte(ctes, "i" + std::to_string(++n), t->IndexInsert(b));
    }
    if (!units_.empty()) {
      // The UCUM units each quantity parameter holds (shared, tiny).
      AddCte(ctes, "qu",
             units_.Insert(b, "x.c1, x.c2, x.c3, x.c4") + " ON CONFLICT DO NOTHING");
    }
    if (!fulltext_.empty()) {
      AddCte(ctes, "ft",
             fulltext_.Insert(b, "m.rid, m.pkey, to_tsvector('simple', x.c1), "
                                 "to_tsvector('simple', x.c1 || ' ' || x.c2)"));
    }
    if (!compartment_.empty()) AddCte(ctes, "cp", compartment_.Insert(b, "x.c1, m.rid"));
    if (!care_.empty()) AddCte(ctes, "cl", care_.Insert(b, "x.c1, x.c2, x.c3, m.rid"));
    if (!consent_.empty()) AddCte(ctes, "cd", consent_.Insert(b, "x.c1, x.c2, x.c3, m.rid"));
  }

  size_t bytes() const {
    size_t n = 0;
    for (const TableRows* t : {&token_, &string_, &identifier_type_, &date_, &number_,
                               &quantity_, &composite_, &reference_, &uri_, &position_,
                               &fulltext_, &compartment_, &care_, &consent_}) {
      for (const BinaryArray& a : t->arrays) n += a.bytes();
    }
    return n;
  }

 private:
  TableRows token_{"idx_token", "rid, pkey, pid, system, code, text",
                   {kInt4, kText, kText, kText}};
  TableRows string_{"idx_string", "rid, pkey, pid, norm, exact", {kInt4, kText, kText}};
  TableRows identifier_type_{"idx_identifier_type", "rid, pkey, pid, type_system, type_code, value",
                             {kInt4, kText, kText, kText}};
  TableRows date_{"idx_date", "rid, pkey, pid, low, high", {kInt4, kInt8, kInt8}};
  TableRows number_{"idx_number", "rid, pkey, pid, key", {kInt4, kText}};
  TableRows quantity_{"idx_quantity", "rid, pkey, pid, key, system, code, unit",
                      {kInt4, kText, kText, kText, kText}};
  TableRows units_{"idx_quantity_unit", "pid, system, code, cunit", {kInt4, kText, kText, kText}};
  TableRows composite_{"idx_composite",
                       "rid, pkey, pid, s1, c1, s2, c2, key2, low2, high2, s3, c3, key3, low3, "
                       "high3",
                       {kInt4, kText, kText, kText, kText, kText, kInt8, kInt8, kText, kText,
                        kText, kInt8, kInt8}};
  TableRows reference_{"idx_reference", "rid, pkey, pid, target_type, target_id, url",
                       {kInt4, kText, kText, kText}};
  TableRows uri_{"idx_uri", "rid, pkey, pid, uri", {kInt4, kText}};
  TableRows position_{"idx_position", "rid, pkey, pid, lat, lon, x, y, z",
                      {kInt4, kInt8, kInt8, kInt8, kInt8, kInt8}};
  TableRows fulltext_{"idx_fulltext", "rid, pkey, narrative, content", {kText, kText}};
  TableRows compartment_{"compartment_patient", "patient_id, rid", {kText}};
  TableRows care_{"care_link", "patient_id, org, until, rid", {kText, kText, kInt8}};
  TableRows consent_{"consent_deny", "patient_id, org, types, rid", {kText, kText, kText}};
  std::set<std::tuple<int64_t, std::string, std::string>> units_seen_;
};

// "d1 AS (DELETE FROM idx_token WHERE rid = <rid>), ..." for the index tables (and the
// compartment, care and consent tables): the rows of the version being replaced. In the
// same statement as the new rows' inserts, the deletes see only the rows from before it.
void ClearCtes(const std::string& rid, bool compartments, std::string& ctes) {
  static constexpr const char* kIndex[] = {"idx_token",     "idx_string", "idx_identifier_type",
                                           "idx_date",      "idx_number", "idx_quantity",
                                           "idx_reference", "idx_uri",    "idx_composite",
                                           "idx_fulltext",
                                           "idx_position"};
  static constexpr const char* kCompartment[] = {"compartment_patient", "care_link",
                                                 "consent_deny"};
  int n = 0;
  auto add = [&](const char* table) {
    AddCte(ctes, "d" + std::to_string(++n),
           std::string("DELETE FROM ") + table + " WHERE rid = " + rid);
  };
  for (const char* t : kIndex) add(t);
  if (compartments) {
    for (const char* t : kCompartment) add(t);
  }
}

// The start of a statement that replaces the rows of the stored resource `rid`: m, a batch
// of that one resource (which the new rows join), and the deletes of its present rows.
// Returns the placeholders of rid and pkey.
std::pair<std::string, std::string> ReplacingCtes(Builder& b, int64_t rid, std::string_view pkey,
                                                  bool compartments, std::string& ctes) {
  std::string rid_sql = b.Scalar(rid, "::bigint");
  std::string pkey_sql = b.Scalar(pkey, "::text");
  AddCte(ctes, "m", "SELECT 1::bigint AS ord, " + rid_sql + " AS rid, " + pkey_sql + " AS pkey");
  ClearCtes(rid_sql, compartments, ctes);
  return {std::move(rid_sql), std::move(pkey_sql)};
}

// The resource's patient key at creation: a Patient's own id, else the first patient of its
// compartment, else '' (shared data).
std::string_view PatientKey(const PutRequest& r) {
  if (r.type == "Patient") return r.id;
  if (r.index && !r.index->patient_compartment.empty()) return r.index->patient_compartment[0];
  return {};
}


}  // namespace

std::string KeyOf(std::string_view type, std::string_view id) {
  std::string key;
  key.reserve(type.size() + id.size() + 1);
  key.append(type).push_back('/');
  key.append(id);
  return key;
}

struct CreateBatch::Columns {
  BinaryArray pkey{kText}, type{kText}, id{kText}, deleted{kInt2}, updated{kInt8},
      owner{kText}, method{kInt2}, json{kBytea};
  RowSet rows;
  std::vector<std::string> keys;  // "type/id", in batch order
  std::unordered_set<std::string> key_set;
};

CreateBatch::CreateBatch() : columns_(std::make_unique<Columns>()) {}
CreateBatch::~CreateBatch() = default;

size_t CreateBatch::size() const { return columns_->keys.size(); }

bool CreateBatch::Holds(std::string_view type, std::string_view id) const {
  return columns_->key_set.count(KeyOf(type, id)) > 0;
}

bool CreateBatch::Full() const {
  const Columns& c = *columns_;
  return c.keys.size() >= kMaxResources || c.json.bytes() + c.rows.bytes() >= kMaxBytes;
}

void CreateBatch::Add(const ParamIds& params, const PutRequest& r) {
  Columns& c = *columns_;
  const bool deleted = r.method == Method::kDelete;
  const auto ord = static_cast<int64_t>(c.keys.size() + 1);
  c.pkey.Add(PatientKey(r));
  c.type.Add(r.type);
  c.id.Add(r.id);
  c.deleted.AddInt(deleted ? 1 : 0);
  c.updated.AddInt(r.last_updated);
  c.owner.Add(r.owner);
  c.method.AddInt(MethodToInt(r.method));
  if (deleted) {
    c.json.AddNull();
  } else {
    std::string compressed;
    c.json.Add(EncodeJson(r.json, compressed));  // copied into the array
  }
  if (!deleted && r.index != nullptr) {
    c.rows.AddSearch(params, r.type, r.index->search, ord);
    c.rows.AddCompartments(*r.index, ord);
  }
  c.keys.push_back(KeyOf(r.type, r.id));
  c.key_set.insert(c.keys.back());
}

void CreateBatch::Send(Connection& c) {
  if (columns_->keys.empty()) return;
  std::unique_ptr<Columns> cols = std::move(columns_);
  columns_ = std::make_unique<Columns>();
  Builder b;
  // u: the batch, one row per resource; r: the resource rows inserted (none for an id that
  // exists already), in batch order so that rids follow write order; m: what was inserted,
  // with its place in the batch, which the version and every other row join.
  std::string ctes;
  AddCte(ctes, "u",
         "SELECT * FROM unnest(" + b.Array(cols->pkey) + ", " + b.Array(cols->type) + ", " +
             b.Array(cols->id) + ", " + b.Array(cols->deleted) + ", " + b.Array(cols->updated) +
             ", " + b.Array(cols->owner) + ", " + b.Array(cols->method) + ", " +
             b.Array(cols->json) +
             ") WITH ORDINALITY AS u(pkey, type, id, deleted, last_updated, owner, method, "
             "json, ord)");
  AddCte(ctes, "r",
         "INSERT INTO resource (pkey, type, id, version, deleted, last_updated, owner) SELECT "
         "pkey, type, id, 1, deleted, last_updated, owner FROM u ORDER BY ord ON CONFLICT "
         "(type, id) DO NOTHING RETURNING rid, type, id");
  AddCte(ctes, "m",
         "SELECT u.ord, r.rid, u.pkey, u.type, u.last_updated, u.method, u.json FROM r JOIN u "
         "ON u.type = r.type COLLATE \"C\" AND u.id = r.id COLLATE \"C\"");
  AddCte(ctes, "v",
         "INSERT INTO version (rid, pkey, type, version, last_updated, method, json) SELECT "
         "rid, pkey, type, 1, last_updated, method, json FROM m ORDER BY ord");
  cols->rows.Ctes(b, ctes);
  // Pipelined: nothing in the work item needs the answer now. A resource that exists
  // already fails the statement's check ("already exists", as a single create would), and
  // the failure surfaces at the next synchronising call, at the latest at the end of the
  // enclosing WriteTxn::Nested, which then fails and rolls back (postgres_store.cpp).
  c.Send(ctes + " SELECT ord FROM m", b.params(),
         [keys = std::move(cols->keys)](const PgResult& res) {
           if (static_cast<size_t>(res.Rows()) == keys.size()) return Status::Ok();
           std::vector<bool> written(keys.size(), false);
           for (int i = 0; i < res.Rows(); ++i) {
             const int64_t ord = res.Int(i, 0);
             if (ord >= 1 && static_cast<size_t>(ord) <= keys.size()) written[ord - 1] = true;
           }
           const size_t first = static_cast<size_t>(
               std::find(written.begin(), written.end(), false) - written.begin());
           return Status(ErrorCode::kConflict,
                         "resource " + keys[std::min(first, keys.size() - 1)] +
                             " already exists");
         });
}

namespace {

// `keys` as a table, "unnest($n, $m) AS k(type, id)", its two arrays bound in `b`: one
// prepared statement whatever the batch's size.
std::string KeysTable(Builder& b, const std::vector<ResourceKey>& keys) {
  BinaryArray types, ids;
  for (const ResourceKey& k : keys) {
    types.Add(k.type);
    ids.Add(k.id);
  }
  const std::string t = b.Array(types);
  return "unnest(" + t + ", " + b.Array(ids) + ") AS k(type, id)";
}

}  // namespace

Result<std::vector<KeyState>> ReadStatesMany(Connection& c, const std::vector<ResourceKey>& keys) {
  std::vector<KeyState> out;
  if (keys.empty()) return out;
  Builder b;
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("SELECT r.type, r.id, r.deleted FROM " + KeysTable(b, keys) +
                                  " JOIN resource r ON r.type = k.type AND r.id = k.id",
                              b.params()));
  out.reserve(static_cast<size_t>(r.Rows()));
  for (int row = 0; row < r.Rows(); ++row) {
    out.push_back({{std::string(r.Text(row, 0)), std::string(r.Text(row, 1))}, r.Int(row, 2) != 0});
  }
  return out;
}

Result<std::vector<ResourceKey>> ReadSharedCompartment(Connection& c,
                                                       const std::vector<std::string>& patients) {
  std::vector<ResourceKey> out;
  if (patients.empty()) return out;
  Builder b;
  BinaryArray ids;
  for (const std::string& p : patients) ids.Add(p);
  const std::string list = b.Array(ids);
  HB_ASSIGN_OR_RETURN(
      PgResult r,
      c.Query("SELECT DISTINCT r.type, r.id FROM compartment_patient cp JOIN resource r ON "
              "r.rid = cp.rid WHERE cp.patient_id = ANY(" + list + ") AND r.deleted = 0 AND "
              "EXISTS (SELECT 1 FROM compartment_patient o WHERE o.rid = cp.rid AND "
              "o.patient_id <> cp.patient_id)",
              b.params()));
  out.reserve(static_cast<size_t>(r.Rows()));
  for (int row = 0; row < r.Rows(); ++row) {
    out.push_back({std::string(r.Text(row, 0)), std::string(r.Text(row, 1))});
  }
  return out;
}

Result<std::vector<ResourceVersion>> ReadCurrentMany(Connection& c,
                                                     const std::vector<ResourceKey>& keys) {
  std::vector<ResourceVersion> out;
  if (keys.empty()) return out;
  Builder b;
  HB_ASSIGN_OR_RETURN(
      PgResult r,
      c.Query("SELECT r.type, r.id, r.version, r.last_updated, v.method, v.json FROM " +
                  KeysTable(b, keys) +
                  " JOIN resource r ON r.type = k.type AND r.id = k.id "
                  "JOIN version v ON v.rid = r.rid AND v.version = r.version",
              b.params()));
  out.reserve(static_cast<size_t>(r.Rows()));
  for (int row = 0; row < r.Rows(); ++row) {
    HB_ASSIGN_OR_RETURN(ResourceVersion v, VersionRow(r, row));
    out.push_back(std::move(v));
  }
  return out;
}

Status WriteVersion(Connection& c, const ParamIds& params, const PutRequest& r) {
  // A new version: the resource row moves on only from the version before it.
  const bool deleted = r.method == Method::kDelete;
  Params u;
  u.Add(r.version)
      .Add(static_cast<int64_t>(deleted ? 1 : 0))
      .Add(r.last_updated)
      .Add(r.type)
      .Add(r.id);
  HB_ASSIGN_OR_RETURN(PgResult up,
                      c.Query("UPDATE resource SET version = $1, deleted = $2, last_updated = "
                              "$3 WHERE type = $4 AND id = $5 AND version = $1 - 1 RETURNING "
                              "rid, pkey",
                              u));
  if (up.Rows() == 0) {
    Params p;
    p.Add(r.type).Add(r.id);
    HB_ASSIGN_OR_RETURN(PgResult cur, c.Query("SELECT version FROM resource WHERE type = $1 "
                                              "AND id = $2",
                                              p));
    if (cur.Rows() == 0) return sql::NotKnown(r.type, r.id);
    return Status(ErrorCode::kVersionConflict, "version " + std::to_string(r.version) +
                                                   " does not follow the current version " +
                                                   std::to_string(cur.Int(0, 0)));
  }
  const std::string pkey(up.Text(0, 1));
  Builder b;
  std::string ctes;
  const auto [rid_sql, pkey_sql] = ReplacingCtes(b, up.Int(0, 0), pkey, true, ctes);
  std::string compressed;  // a parameter: alive until the statement ran
  const std::string json =
      deleted ? std::string("NULL::bytea") : b.Bytes(EncodeJson(r.json, compressed));
  AddCte(ctes, "v",
         "INSERT INTO version (rid, pkey, type, version, last_updated, method, json) VALUES (" +
             rid_sql + ", " + pkey_sql + ", " + b.Scalar(r.type, "::text") + ", " +
             b.Scalar(r.version, "::bigint") + ", " + b.Scalar(r.last_updated, "::bigint") +
             ", " + b.Scalar(MethodToInt(r.method), "::smallint") + ", " + json + ")");
  if (!deleted && r.index != nullptr) {
    RowSet rows;
    rows.AddSearch(params, r.type, r.index->search, 1);
    rows.AddCompartments(*r.index, 1);
    rows.Ctes(b, ctes);
  }
  // Pipelined, as a batch of creates.
  c.Send(ctes + " SELECT 1", b.params());
  return Status::Ok();
}

Status ReplaceIndexRows(Connection& c, const ParamIds& params, std::string_view type,
                        std::string_view id, const search::IndexEntries& entries) {
  Params p;
  p.Add(type).Add(id);
  HB_ASSIGN_OR_RETURN(PgResult res,
                      c.Query("SELECT rid, pkey FROM resource WHERE type = $1 AND id = $2 AND "
                              "deleted = 0",
                              p));
  if (res.Rows() == 0) {
    return Status(ErrorCode::kNotFound,
                  std::string(type) + "/" + std::string(id) + " is not stored");
  }
  const std::string pkey(res.Text(0, 1));
  Builder b;
  std::string ctes;
  ReplacingCtes(b, res.Int(0, 0), pkey, false, ctes);
  RowSet rows;
  rows.AddSearch(params, type, entries, 1);
  rows.Ctes(b, ctes);
  HB_ASSIGN_OR_RETURN(PgResult done, c.Query(ctes + " SELECT 1", b.params()));
  (void)done;
  return Status::Ok();
}

}  // namespace hb::storage::postgres
