// Writing a version and its index rows in as few round trips as possible: the version row
// and every index, compartment, care and consent row of one resource go in one statement
// (data-modifying CTEs over unnest() of array parameters).
#include <map>

#include "storage/postgres/pg_queries.h"
#include "storage/sql/rows.h"

namespace hb::storage::postgres {

namespace {

using sql::MethodToInt;

// A PostgreSQL array literal ({"a","b"} or {1,2}) built element by element.
class ArrayLiteral {
 public:
  void Add(std::string_view text) {
    Sep();
    out_ += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }
  void Add(int64_t v) {
    Sep();
    out_ += std::to_string(v);
  }
  std::string Finish() const { return out_ + "}"; }
  bool empty() const { return out_.size() == 1; }

 private:
  void Sep() {
    if (out_.size() > 1) out_ += ',';
  }
  std::string out_ = "{";
};

// The statement's parameters: scalars bound directly, arrays as text literals.
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
  std::string Array(const ArrayLiteral& a, const char* cast) {
    owned_.push_back(a.Finish());
    p_.AddText(owned_.back());
    return Ph() + cast;
  }
  Params& params() { return p_; }

 private:
  std::string Ph() { return "$" + std::to_string(p_.size()); }
  Params p_;
  std::deque<std::string> owned_;
};

// Looks up pids by code for one resource type.
int64_t PidOf(const ParamIds& params, std::string_view type, std::string_view code) {
  auto it = params.find(sql::ParamKey(type, code));
  return it == params.end() ? 0 : it->second;
}

// Appends "iN AS (INSERT INTO table (rid, pkey, pid, cols...) SELECT rid, pkey, * FROM
// unnest(arrays...))" for each index table the entries have rows in.
// `rid` and `pkey` are SQL expressions; `from` is "" or "r, " when `rid` reads the CTE r.
void IndexCtes(Builder& b, const ParamIds& params, std::string_view type,
               const search::IndexEntries& e, const std::string& rid, const std::string& pkey,
               const std::string& from, std::string& ctes) {
  int n = 0;
  auto emit = [&](const char* table, const char* columns, std::vector<ArrayLiteral>& arrays,
                  std::vector<const char*> casts) {
    if (arrays[0].empty()) return;
    std::string list;
    for (size_t i = 0; i < arrays.size(); ++i) {
      list += (i ? ", " : "") + b.Array(arrays[i], i == 0 ? "::int[]" : casts[i - 1]);
    }
    ctes += std::string(ctes.empty() ? "WITH " : ", ") + "i" + std::to_string(++n) +
            " AS (INSERT INTO " + table + " (rid, pkey, pid, " + columns + ") SELECT " + rid +
            ", " + pkey + ", u.* FROM " + from + "unnest(" + list + ") AS u)";
  };
  {
    std::vector<ArrayLiteral> a(4);
    for (const auto& r : e.tokens) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.system), a[2].Add(r.code), a[3].Add(r.text);
    }
    emit("idx_token", "system, code, text", a, {"::text[]", "::text[]", "::text[]"});
  }
  {
    std::vector<ArrayLiteral> a(3);
    for (const auto& r : e.strings) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.norm), a[2].Add(r.exact);
    }
    emit("idx_string", "norm, exact", a, {"::text[]", "::text[]"});
  }
  {
    std::vector<ArrayLiteral> a(4);
    for (const auto& r : e.identifier_types) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.type_system), a[2].Add(r.type_code), a[3].Add(r.value);
    }
    emit("idx_identifier_type", "type_system, type_code, value", a,
         {"::text[]", "::text[]", "::text[]"});
  }
  {
    std::vector<ArrayLiteral> a(3);
    for (const auto& r : e.dates) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.low), a[2].Add(r.high);
    }
    emit("idx_date", "low, high", a, {"::bigint[]", "::bigint[]"});
  }
  {
    std::vector<ArrayLiteral> a(2);
    for (const auto& r : e.numbers) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.key);
    }
    emit("idx_number", "key", a, {"::text[]"});
  }
  {
    std::vector<ArrayLiteral> a(5), units(4);
    for (const auto& r : e.quantities) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.key), a[2].Add(r.system), a[3].Add(r.code), a[4].Add(r.unit);
      if (!r.canonical_unit.empty()) {
        units[0].Add(pid), units[1].Add(r.system), units[2].Add(r.code),
            units[3].Add(r.canonical_unit);
      }
    }
    emit("idx_quantity", "key, system, code, unit", a,
         {"::text[]", "::text[]", "::text[]", "::text[]"});
    if (!units[0].empty()) {
      // The UCUM units each quantity parameter holds (shared, tiny).
      ctes += std::string(ctes.empty() ? "WITH " : ", ") + "qu AS (INSERT INTO idx_quantity_unit " +
              "(pid, system, code, cunit) SELECT * FROM unnest(" + b.Array(units[0], "::int[]") +
              ", " + b.Array(units[1], "::text[]") + ", " + b.Array(units[2], "::text[]") + ", " +
              b.Array(units[3], "::text[]") + ") ON CONFLICT DO NOTHING)";
    }
  }
  {
    std::vector<ArrayLiteral> a(13);
    for (const auto& r : e.composites) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.s1), a[2].Add(r.c1), a[3].Add(r.s2), a[4].Add(r.c2),
          a[5].Add(r.key2), a[6].Add(r.low2), a[7].Add(r.high2);
      a[8].Add(r.s3), a[9].Add(r.c3), a[10].Add(r.key3), a[11].Add(r.low3), a[12].Add(r.high3);
    }
    emit("idx_composite", "s1, c1, s2, c2, key2, low2, high2, s3, c3, key3, low3, high3", a,
         {"::text[]", "::text[]", "::text[]", "::text[]", "::text[]", "::bigint[]", "::bigint[]",
          "::text[]", "::text[]", "::text[]", "::bigint[]", "::bigint[]"});
  }
  {
    std::vector<ArrayLiteral> a(4);
    for (const auto& r : e.references) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.target_type), a[2].Add(r.target_id), a[3].Add(r.url);
    }
    emit("idx_reference", "target_type, target_id, url", a, {"::text[]", "::text[]", "::text[]"});
  }
  {
    std::vector<ArrayLiteral> a(2);
    for (const auto& r : e.uris) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.uri);
    }
    emit("idx_uri", "uri", a, {"::text[]"});
  }
  {
    std::vector<ArrayLiteral> a(6);
    for (const auto& r : e.positions) {
      int64_t pid = PidOf(params, type, r.param);
      if (!pid) continue;
      a[0].Add(pid), a[1].Add(r.lat), a[2].Add(r.lon), a[3].Add(r.x), a[4].Add(r.y),
          a[5].Add(r.z);
    }
    emit("idx_position", "lat, lon, x, y, z", a,
         {"::bigint[]", "::bigint[]", "::bigint[]", "::bigint[]", "::bigint[]"});
  }
  if (!e.narrative.empty() || !e.content.empty()) {  // _text, _content (search/fulltext.h)
    std::string narrative = b.Scalar(e.narrative, "::text");
    std::string content = b.Scalar(e.content, "::text");
    std::string source = from.empty() ? "" : " FROM " + from.substr(0, from.find(','));
    ctes += std::string(ctes.empty() ? "WITH " : ", ") + "ft AS (INSERT INTO idx_fulltext " +
            "(rid, pkey, narrative, content) SELECT " + rid + ", " + pkey +
            ", to_tsvector('simple', " + narrative + "), to_tsvector('simple', " + narrative +
            " || ' ' || " + content + ")" + source + ")";
  }
}

// Compartment, care and consent rows (deduplicated: the last of equal keys wins, as
// SQLite's INSERT OR REPLACE).
void CompartmentCtes(Builder& b, const IndexRows& rows, const std::string& rid,
                     const std::string& from, std::string& ctes) {
  auto next = [&ctes](const char* name) {
    ctes += std::string(ctes.empty() ? "WITH " : ", ") + name + " AS (";
  };
  if (!rows.patient_compartment.empty()) {
    ArrayLiteral a;
    for (const std::string& p : rows.patient_compartment) a.Add(p);
    next("cp");
    ctes += "INSERT INTO compartment_patient (patient_id, rid) SELECT DISTINCT p, " + rid +
            " FROM " + from + "unnest(" + b.Array(a, "::text[]") + ") AS p)";
  }
  if (!rows.care_links.empty()) {
    std::map<std::pair<std::string, std::string>, int64_t> links;
    for (const CareLink& c : rows.care_links) links[{c.patient, c.org}] = c.until;
    ArrayLiteral p, o, u;
    for (const auto& [k, until] : links) p.Add(k.first), o.Add(k.second), u.Add(until);
    next("cl");
    ctes += "INSERT INTO care_link (patient_id, org, until, rid) SELECT p, o, u, " + rid +
            " FROM " + from + "unnest(" + b.Array(p, "::text[]") + ", " + b.Array(o, "::text[]") +
            ", " + b.Array(u, "::bigint[]") + ") AS x(p, o, u))";
  }
  if (!rows.consent_denies.empty()) {
    std::map<std::pair<std::string, std::string>, std::string> denies;
    for (const ConsentDeny& c : rows.consent_denies) denies[{c.patient, c.org}] = c.types;
    ArrayLiteral p, o, t;
    for (const auto& [k, types] : denies) p.Add(k.first), o.Add(k.second), t.Add(types);
    next("cd");
    ctes += "INSERT INTO consent_deny (patient_id, org, types, rid) SELECT p, o, t, " + rid +
            " FROM " + from + "unnest(" + b.Array(p, "::text[]") + ", " + b.Array(o, "::text[]") +
            ", " + b.Array(t, "::text[]") + ") AS x(p, o, t))";
  }
}

// "WITH d1 AS (DELETE FROM idx_token WHERE rid = <rid>), ..." for the index tables (and the
// compartment, care and consent tables): the rows of the version being replaced. In the
// same statement as the new rows' inserts, the deletes see only the rows from before it.
std::string ClearCtes(const std::string& rid, bool compartments) {
  static constexpr const char* kIndex[] = {"idx_token",     "idx_string", "idx_identifier_type",
                                           "idx_date",      "idx_number", "idx_quantity",
                                           "idx_reference", "idx_uri",    "idx_composite",
                                           "idx_fulltext",
                                           "idx_position"};
  static constexpr const char* kCompartment[] = {"compartment_patient", "care_link",
                                                 "consent_deny"};
  std::string ctes;
  int n = 0;
  auto add = [&](const char* table) {
    ctes += std::string(ctes.empty() ? "WITH " : ", ") + "d" + std::to_string(++n) +
            " AS (DELETE FROM " + table + " WHERE rid = " + rid + ")";
  };
  for (const char* t : kIndex) add(t);
  if (compartments) {
    for (const char* t : kCompartment) add(t);
  }
  return ctes;
}

// The resource's patient key at creation: a Patient's own id, else the first patient of its
// compartment, else '' (shared data).
std::string_view PatientKey(const PutRequest& r) {
  if (r.type == "Patient") return r.id;
  if (r.index && !r.index->patient_compartment.empty()) return r.index->patient_compartment[0];
  return {};
}

}  // namespace

Result<std::vector<ResourceVersion>> ReadCurrentMany(Connection& c,
                                                     const std::vector<ResourceKey>& keys) {
  std::vector<ResourceVersion> out;
  if (keys.empty()) return out;
  ArrayLiteral types, ids;
  for (const ResourceKey& k : keys) {
    types.Add(k.type);
    ids.Add(k.id);
  }
  Builder b;
  const std::string t = b.Array(types, "::text[]");
  const std::string i = b.Array(ids, "::text[]");
  // One prepared statement whatever the batch's size: the keys travel as two arrays.
  HB_ASSIGN_OR_RETURN(
      PgResult r,
      c.Query("SELECT r.type, r.id, r.version, r.last_updated, v.method, v.json FROM unnest(" +
                  t + ", " + i +
                  ") AS k(type, id) JOIN resource r ON r.type = k.type AND r.id = k.id "
                  "JOIN version v ON v.rid = r.rid AND v.version = r.version",
              b.params()));
  out.reserve(static_cast<size_t>(r.Rows()));
  for (int row = 0; row < r.Rows(); ++row) out.push_back(VersionRow(r, row));
  return out;
}

Status WriteVersion(Connection& c, const ParamIds& params, const PutRequest& r) {
  const bool deleted = r.method == Method::kDelete;
  Builder b;
  std::string ctes, rid_sql, pkey_sql, from, result;
  std::string pkey;
  if (r.version == 1) {
    // A new resource: its row, its version and every index row in one statement; the
    // version and index rows read the new rid from the CTE r, which is empty (and so are
    // they) when the id exists already.
    pkey = std::string(PatientKey(r));
    pkey_sql = b.Scalar(std::string_view(pkey), "::text");
    std::string type = b.Scalar(r.type, "::text");
    std::string id = b.Scalar(r.id, "::text");
    std::string del = b.Scalar(static_cast<int64_t>(deleted ? 1 : 0), "::smallint");
    std::string updated = b.Scalar(r.last_updated, "::bigint");
    std::string owner = b.Scalar(r.owner, "::text");
    ctes =
        "WITH r AS (INSERT INTO resource (pkey, type, id, version, deleted, last_updated, "
        "owner) VALUES (" +
        pkey_sql + ", " + type + ", " + id + ", 1, " + del + ", " + updated + ", " + owner +
        ") ON CONFLICT (type, id) DO NOTHING RETURNING rid)";
    rid_sql = "r.rid";
    from = "r, ";
    result = " SELECT rid FROM r";
  } else {
    // A new version: the resource row moves on only from the version before it.
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
    int64_t rid = up.Int(0, 0);
    pkey = std::string(up.Text(0, 1));
    rid_sql = b.Scalar(rid, "::bigint");
    pkey_sql = b.Scalar(std::string_view(pkey), "::text");
    ctes = ClearCtes(rid_sql, true);
    result = " SELECT 1";
  }
  std::string version = b.Scalar(r.version, "::bigint");
  std::string updated = b.Scalar(r.last_updated, "::bigint");
  std::string method = b.Scalar(MethodToInt(r.method), "::smallint");
  std::string json = deleted ? std::string("NULL::bytea") : b.Bytes(r.json);
  ctes += std::string(ctes.empty() ? "WITH " : ", ") +
          "v AS (INSERT INTO version (rid, pkey, type, version, last_updated, method, json) "
          "SELECT " +
          rid_sql + ", " + pkey_sql + ", " + b.Scalar(r.type, "::text") + ", " + version + ", " +
          updated + ", " + method + ", " + json + (from.empty() ? "" : " FROM r") + ")";
  if (!deleted && r.index != nullptr) {
    IndexCtes(b, params, r.type, r.index->search, rid_sql, pkey_sql, from, ctes);
    CompartmentCtes(b, *r.index, rid_sql, from, ctes);
  }
  // Pipelined: nothing in this work item needs the answer now. Its failure (or "already
  // exists") surfaces at the next synchronising call and, at the latest, at the end of the
  // enclosing WriteTxn::Nested, which then fails and rolls back (postgres_store.cpp).
  Connection::CheckFn check;
  if (r.version == 1) {
    check = [what = std::string(r.type) + "/" + std::string(r.id)](const PgResult& res) {
      if (res.Rows() > 0) return Status::Ok();
      return Status(ErrorCode::kConflict, "resource " + what + " already exists");
    };
  }
  c.Send(ctes + result, b.params(), std::move(check));
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
  int64_t rid = res.Int(0, 0);
  std::string pkey(res.Text(0, 1));
  Builder b;
  std::string rid_sql = b.Scalar(rid, "::bigint");
  std::string pkey_sql = b.Scalar(std::string_view(pkey), "::text");
  std::string ctes = ClearCtes(rid_sql, false);
  IndexCtes(b, params, type, entries, rid_sql, pkey_sql, "", ctes);
  HB_ASSIGN_OR_RETURN(PgResult done, c.Query(ctes + " SELECT " + pkey_sql, b.params()));
  (void)done;
  return Status::Ok();
}

}  // namespace hb::storage::postgres
