#include "storage/sqlite/queries.h"

#include "storage/json_codec.h"
#include "storage/sql/audit_chain.h"
#include "storage/sqlite/index_writer.h"

#include <string>

namespace hb::storage::sqlite {

using sql::MethodToInt;
using sql::NotKnown;

Result<ResourceVersion> ReadCurrent(Database& db, std::string_view type, std::string_view id) {
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("SELECT r.version, r.deleted, r.last_updated, v.method, v.json "
                                "FROM resource r JOIN version v ON v.rid = r.rid AND v.version = "
                                "r.version WHERE r.type = ?1 AND r.id = ?2"));
  StatementScope s(*raw);
  s->BindStatic(1, type);
  s->BindStatic(2, id);
  Status st;
  if (!s->Step(&st)) {
    if (!st.ok()) return st;
    return NotKnown(type, id);
  }
  ResourceVersion v;
  v.type = std::string(type);
  v.id = std::string(id);
  v.version = s->Int(0);
  v.deleted = s->Int(1) != 0;
  v.last_updated = s->Int(2);
  v.method = MethodFromInt(s->Int(3));
  HB_ASSIGN_OR_RETURN(v.json, DecodeJson(s->Blob(4)));
  return v;
}

Result<ResourceVersion> ReadVersion(Database& db, std::string_view type, std::string_view id,
                                    int64_t version) {
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("SELECT v.last_updated, v.method, v.json FROM resource r JOIN "
                                "version v ON v.rid = r.rid WHERE r.type = ?1 AND r.id = ?2 AND "
                                "v.version = ?3"));
  StatementScope s(*raw);
  s->BindStatic(1, type);
  s->BindStatic(2, id);
  s->Bind(3, version);
  Status st;
  if (!s->Step(&st)) {
    if (!st.ok()) return st;
    return sql::VersionNotKnown(type, id, version);
  }
  ResourceVersion v;
  v.type = std::string(type);
  v.id = std::string(id);
  v.version = version;
  v.last_updated = s->Int(0);
  v.method = MethodFromInt(s->Int(1));
  v.deleted = v.method == Method::kDelete;
  HB_ASSIGN_OR_RETURN(v.json, DecodeJson(s->Blob(2)));
  return v;
}

Result<HistoryPage> ReadHistory(Database& db, const HistoryQuery& q) {
  std::string where;
  if (!q.id.empty()) {
    where = " WHERE v.rid = (SELECT rid FROM resource WHERE type = ?1 AND id = ?2)";
  } else if (!q.type.empty()) {
    where = " WHERE v.type = ?1";
  } else {
    where = " WHERE 1";
  }
  std::string filters;
  if (q.since) filters += " AND v.last_updated >= ?3";
  std::string count_sql = "SELECT COUNT(*) FROM version v" + where + filters;
  std::string page_sql =
      "SELECT v.seq, v.version, v.last_updated, v.method, v.json, r.type, r.id FROM version v "
      "JOIN resource r ON r.rid = v.rid" +
      where + filters + (q.before_seq ? " AND v.seq < ?4" : "") + " ORDER BY v.seq DESC LIMIT ?5";
  auto bind = [&](Statement& s) {
    if (!q.type.empty()) s.BindStatic(1, q.type);
    if (!q.id.empty()) s.BindStatic(2, q.id);
    if (q.since) s.Bind(3, *q.since);
  };
  HistoryPage page;
  Status st;
  {
    HB_ASSIGN_OR_RETURN(auto s, db.Prepare(count_sql));
    bind(*s);
    if (s->Step(&st)) page.total = s->Int(0);
    if (!st.ok()) return st;
  }
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare(page_sql));
  bind(*s);
  if (q.before_seq) s->Bind(4, *q.before_seq);
  s->Bind(5, static_cast<int64_t>(q.count) + 1);
  while (s->Step(&st)) {
    if (static_cast<int>(page.entries.size()) == q.count) {
      page.next_before_seq = page.entries.back().seq;
      break;
    }
    HistoryEntry e;
    e.seq = s->Int(0);
    e.version.version = s->Int(1);
    e.version.last_updated = s->Int(2);
    e.version.method = MethodFromInt(s->Int(3));
    e.version.deleted = e.version.method == Method::kDelete;
    HB_ASSIGN_OR_RETURN(e.version.json, DecodeJson(s->Blob(4)));
    e.version.type = std::string(s->Text(5));
    e.version.id = std::string(s->Text(6));
    page.entries.push_back(std::move(e));
  }
  if (!st.ok()) return st;
  return page;
}

Result<std::vector<KeyState>> ReadStates(Database& db, const std::vector<ResourceKey>& keys) {
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("SELECT deleted FROM resource WHERE type = ?1 AND id = ?2"));
  std::vector<KeyState> out;
  out.reserve(keys.size());
  for (const ResourceKey& k : keys) {
    StatementScope s(*raw);
    s->BindStatic(1, k.type);
    s->BindStatic(2, k.id);
    Status st;
    if (s->Step(&st)) {
      out.push_back({k, s->Int(0) != 0});
    } else if (!st.ok()) {
      return st;
    }
  }
  return out;
}

Result<std::vector<ResourceKey>> ReadSharedCompartment(Database& db,
                                                       const std::vector<std::string>& patients) {
  std::vector<ResourceKey> out;
  if (patients.empty()) return out;
  std::string sql =
      "SELECT DISTINCT r.type, r.id FROM compartment_patient c JOIN resource r ON r.rid = c.rid "
      "WHERE c.patient_id IN (";
  for (size_t i = 0; i < patients.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 1);
  sql += ") AND r.deleted = 0 AND EXISTS (SELECT 1 FROM compartment_patient o WHERE o.rid = "
         "c.rid AND o.patient_id <> c.patient_id)";
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare(sql));
  for (size_t i = 0; i < patients.size(); ++i) s->BindStatic(static_cast<int>(i) + 1, patients[i]);
  Status st;
  while (s->Step(&st)) out.push_back({std::string(s->Text(0)), std::string(s->Text(1))});
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> LiveRid(Database& db, std::string_view type, std::string_view id) {
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("SELECT rid FROM resource WHERE type = ?1 AND id = ?2 AND "
                                "deleted = 0"));
  StatementScope s(*raw);
  s->BindStatic(1, type);
  s->BindStatic(2, id);
  Status st;
  if (s->Step(&st)) return s->Int(0);
  if (!st.ok()) return st;
  return Status(ErrorCode::kNotFound, std::string(type) + "/" + std::string(id) + " is not stored");
}

Status ScanResources(Database& db, const ScanQuery& q,
                     const std::function<Status(const ResourceVersion&)>& fn) {
  // The (type, deleted) index walks the type in rid order: no sort, one row in hand.
  std::string sql =
      "SELECT r.type, r.id, r.version, r.last_updated, v.method, v.json FROM resource r JOIN "
      "version v ON v.rid = r.rid AND v.version = r.version WHERE r.type = ?1 AND r.deleted = 0";
  if (q.since > 0) sql += " AND r.last_updated >= ?2";
  if (!q.patients.empty()) {
    sql += " AND r.rid IN (SELECT rid FROM compartment_patient WHERE patient_id IN (";
    for (size_t i = 0; i < q.patients.size(); ++i) {
      sql += (i ? ", ?" : "?") + std::to_string(i + 3);
    }
    sql += "))";
  } else if (q.any_patient) {
    sql += " AND r.rid IN (SELECT rid FROM compartment_patient)";
  }
  sql += " ORDER BY r.rid";
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare(sql));
  s->BindStatic(1, q.type);
  if (q.since > 0) s->Bind(2, q.since);
  for (size_t i = 0; i < q.patients.size(); ++i) {
    s->BindStatic(static_cast<int>(i) + 3, q.patients[i]);
  }
  Status st;
  while (s->Step(&st)) {
    ResourceVersion v;
    v.type = std::string(s->Text(0));
    v.id = std::string(s->Text(1));
    v.version = s->Int(2);
    v.last_updated = s->Int(3);
    v.method = MethodFromInt(s->Int(4));
    HB_ASSIGN_OR_RETURN(v.json, DecodeJson(s->Blob(5)));
    HB_RETURN_IF_ERROR(fn(v));
  }
  return st;
}

Result<std::vector<std::string>> ReadTypes(Database& db) {
  // A skip scan over the (type, id) key: one index seek per distinct type, not a scan of
  // every resource row.
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("WITH RECURSIVE t(type) AS (SELECT MIN(type) FROM resource UNION "
                                "ALL SELECT (SELECT MIN(type) FROM resource WHERE type > t.type) "
                                "FROM t WHERE t.type IS NOT NULL) "
                                "SELECT type FROM t WHERE type IS NOT NULL"));
  StatementScope s(*raw);
  std::vector<std::string> out;
  Status st;
  while (s->Step(&st)) out.emplace_back(s->Text(0));
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<std::string>> ReadSetting(Database& db, std::string_view key) {
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT value FROM store_setting WHERE key = ?1"));
  s->BindStatic(1, key);
  Status st;
  std::optional<std::string> out;
  if (s->Step(&st)) out = std::string(s->Text(0));
  if (!st.ok()) return st;
  return out;
}

Status WriteSetting(Database& db, std::string_view key, std::optional<std::string_view> value) {
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare(value ? "INSERT OR REPLACE INTO store_setting (key, "
                                                 "value) VALUES (?1, ?2)"
                                               : "DELETE FROM store_setting WHERE key = ?1"));
  s->BindStatic(1, key);
  if (value) s->BindStatic(2, *value);
  return s->Run();
}

Result<int64_t> CountCurrent(Database& db, std::string_view type) {
  Status st;
  if (type.empty()) {
    HB_ASSIGN_OR_RETURN(Statement * raw,
                        db.Cached("SELECT COUNT(*) FROM resource WHERE deleted = 0"));
    StatementScope s(*raw);
    int64_t n = s->Step(&st) ? s->Int(0) : 0;
    if (!st.ok()) return st;
    return n;
  }
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("SELECT COUNT(*) FROM resource WHERE type = ?1 AND deleted = 0"));
  StatementScope s(*raw);
  s->BindStatic(1, type);
  int64_t n = s->Step(&st) ? s->Int(0) : 0;
  if (!st.ok()) return st;
  return n;
}

Status WriteVersion(Database& db, const ParamIds& params, const PutRequest& r,
                    FullTextBuffer& fulltext) {
  int64_t rid = 0;
  const bool deleted = r.method == Method::kDelete;
  if (r.version == 1) {
    HB_ASSIGN_OR_RETURN(Statement * raw,
                        db.Cached("INSERT INTO resource (type, id, version, deleted, last_updated, "
                                  "owner) VALUES (?1, ?2, 1, ?3, ?4, ?5)"));
    StatementScope s(*raw);
    s->BindStatic(1, r.type);
    s->BindStatic(2, r.id);
    s->Bind(3, deleted ? 1 : 0);
    s->Bind(4, r.last_updated);
    s->BindStatic(5, r.owner);
    Status st = s->Run();
    if (!st.ok()) {
      return Status(ErrorCode::kConflict, "resource " + std::string(r.type) + "/" +
                                              std::string(r.id) + " already exists");
    }
    rid = db.LastInsertRowId();
  } else {
    HB_ASSIGN_OR_RETURN(Statement * raw,
                        db.Cached("SELECT rid, version FROM resource WHERE type = ?1 AND id = ?2"));
    StatementScope s(*raw);
    s->BindStatic(1, r.type);
    s->BindStatic(2, r.id);
    Status st;
    if (!s->Step(&st)) return st.ok() ? NotKnown(r.type, r.id) : st;
    rid = s->Int(0);
    if (s->Int(1) + 1 != r.version) {
      return Status(ErrorCode::kVersionConflict, "version " + std::to_string(r.version) +
                                                     " does not follow the current version " +
                                                     std::to_string(s->Int(1)));
    }
  }
  {
    HB_ASSIGN_OR_RETURN(Statement * raw,
                        db.Cached("INSERT INTO version (rid, type, version, last_updated, method, "
                                  "json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    StatementScope s(*raw);
    s->Bind(1, rid);
    s->BindStatic(2, r.type);
    s->Bind(3, r.version);
    s->Bind(4, r.last_updated);
    s->Bind(5, MethodToInt(r.method));
    std::string compressed;  // alive until Run()
    if (deleted) {
      s->BindNull(6);
    } else {
      s->BindBlobStatic(6, EncodeJson(r.json, compressed));
    }
    HB_RETURN_IF_ERROR(s->Run());
  }
  if (r.version > 1) {
    HB_ASSIGN_OR_RETURN(Statement * up,
                        db.Cached("UPDATE resource SET version = ?2, deleted = ?3, last_updated = "
                                  "?4 WHERE rid = ?1"));
    StatementScope s(*up);
    s->Bind(1, rid);
    s->Bind(2, r.version);
    s->Bind(3, deleted ? 1 : 0);
    s->Bind(4, r.last_updated);
    HB_RETURN_IF_ERROR(s->Run());
    HB_RETURN_IF_ERROR(ClearIndexRows(db, rid, fulltext));
    HB_ASSIGN_OR_RETURN(Statement * d2, db.Cached("DELETE FROM compartment_patient WHERE rid = ?1"));
    StatementScope s2(*d2);
    s2->Bind(1, rid);
    HB_RETURN_IF_ERROR(s2->Run());
    HB_ASSIGN_OR_RETURN(Statement * d3, db.Cached("DELETE FROM care_link WHERE rid = ?1"));
    StatementScope s3(*d3);
    s3->Bind(1, rid);
    HB_RETURN_IF_ERROR(s3->Run());
    HB_ASSIGN_OR_RETURN(Statement * d4, db.Cached("DELETE FROM consent_deny WHERE rid = ?1"));
    StatementScope s4(*d4);
    s4->Bind(1, rid);
    HB_RETURN_IF_ERROR(s4->Run());
  }
  if (deleted || r.index == nullptr) return Status::Ok();
  HB_RETURN_IF_ERROR(WriteIndexRows(db, params, r.type, rid, r.index->search, fulltext));
  if (!r.index->patient_compartment.empty()) {
    HB_ASSIGN_OR_RETURN(Statement * ins,
                        db.Cached("INSERT OR IGNORE INTO compartment_patient (patient_id, rid) "
                                  "VALUES (?1, ?2)"));
    for (const std::string& pid : r.index->patient_compartment) {
      StatementScope s(*ins);
      s->BindStatic(1, pid);
      s->Bind(2, rid);
      HB_RETURN_IF_ERROR(s->Run());
    }
  }
  if (!r.index->care_links.empty()) {
    HB_ASSIGN_OR_RETURN(Statement * ins,
                        db.Cached("INSERT OR REPLACE INTO care_link (patient_id, org, until, rid) "
                                  "VALUES (?1, ?2, ?3, ?4)"));
    for (const CareLink& c : r.index->care_links) {
      StatementScope s(*ins);
      s->BindStatic(1, c.patient);
      s->BindStatic(2, c.org);
      s->Bind(3, c.until);
      s->Bind(4, rid);
      HB_RETURN_IF_ERROR(s->Run());
    }
  }
  if (!r.index->consent_denies.empty()) {
    HB_ASSIGN_OR_RETURN(Statement * ins,
                        db.Cached("INSERT OR REPLACE INTO consent_deny (patient_id, org, types, "
                                  "rid) VALUES (?1, ?2, ?3, ?4)"));
    for (const ConsentDeny& c : r.index->consent_denies) {
      StatementScope s(*ins);
      s->BindStatic(1, c.patient);
      s->BindStatic(2, c.org);
      s->BindStatic(3, c.types);
      s->Bind(4, rid);
      HB_RETURN_IF_ERROR(s->Run());
    }
  }
  return Status::Ok();
}

Result<bool> ReadConsentDenies(Database& db, std::string_view patient, std::string_view org,
                               std::string_view type) {
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("SELECT org, types FROM consent_deny WHERE patient_id = ?1"));
  // The patient's few refusals, filtered here: `org = ?2 OR org = '*'` made SQLite build a
  // temporary row set on every call, and every write to a patient's record asks this.
  StatementScope s(*raw);
  s->BindStatic(1, patient);
  Status st;
  bool denied = false;
  while (!denied && s->Step(&st)) {
    std::string_view row_org = s->Text(0);
    if (row_org != org && row_org != "*") continue;
    std::string_view types = s->Text(1);
    if (types.empty()) {
      denied = true;
      break;
    }
    size_t start = 0;
    while (start < types.size()) {
      size_t end = types.find(' ', start);
      if (end == std::string_view::npos) end = types.size();
      if (types.substr(start, end - start) == type) denied = true;
      start = end + 1;
    }
  }
  if (!st.ok()) return st;
  return denied;
}

Result<RecordFacts> ReadFacts(Database& db, std::string_view type, std::string_view id) {
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("SELECT r.owner, c.patient_id FROM resource r LEFT JOIN "
                                "compartment_patient c ON c.rid = r.rid WHERE r.type = ?1 AND "
                                "r.id = ?2"));
  StatementScope s(*raw);
  s->BindStatic(1, type);
  s->BindStatic(2, id);
  RecordFacts facts;
  bool found = false;
  Status st;
  while (s->Step(&st)) {
    found = true;
    facts.owner = std::string(s->Text(0));
    if (!s->IsNull(1)) facts.patients.emplace_back(s->Text(1));
  }
  if (!st.ok()) return st;
  if (!found) return NotKnown(type, id);
  return facts;
}

Result<bool> ReadHasCare(Database& db, std::string_view patient, std::string_view org,
                         int64_t since) {
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("SELECT 1 FROM care_link WHERE patient_id = ?1 AND org = ?2 AND "
                                "until >= ?3 LIMIT 1"));
  StatementScope s(*raw);
  s->BindStatic(1, patient);
  s->BindStatic(2, org);
  s->Bind(3, since);
  Status st;
  bool has = s->Step(&st);
  if (!st.ok()) return st;
  return has;
}

namespace {
constexpr const char* kAuditColumns =
    "seq, recorded, action, interaction, outcome, agent, role, facility, address, patient, what, "
    "reason, flagged, hash";

AuditRecord AuditFromRow(Statement& s) {
  AuditRecord r;
  r.seq = s.Int(0);
  r.recorded = s.Int(1);
  r.action = std::string(s.Text(2));
  r.interaction = std::string(s.Text(3));
  r.outcome = static_cast<int>(s.Int(4));
  r.agent = std::string(s.Text(5));
  r.role = std::string(s.Text(6));
  r.facility = std::string(s.Text(7));
  r.address = std::string(s.Text(8));
  r.patient = std::string(s.Text(9));
  r.what = std::string(s.Text(10));
  r.reason = std::string(s.Text(11));
  r.flagged = s.Int(12) != 0;
  r.hash = std::string(s.Blob(13));
  return r;
}

}  // namespace

Status AppendAuditRecords(Database& db, std::vector<AuditRecord>& records) {
  std::string prev = GenesisHash();
  {
    HB_ASSIGN_OR_RETURN(Statement * raw,
                        db.Cached("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
    StatementScope s(*raw);
    Status st;
    if (s->Step(&st)) prev = std::string(s->Blob(0));
    if (!st.ok()) return st;
  }
  HB_ASSIGN_OR_RETURN(Statement * ins,
                      db.Cached("INSERT INTO audit_log (recorded, action, interaction, outcome, "
                                "agent, role, facility, address, patient, what, reason, flagged, "
                                "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                "?13)"));
  for (AuditRecord& r : records) {
    r.hash = ChainHash(prev, r);
    StatementScope s(*ins);
    s->Bind(1, r.recorded);
    s->BindStatic(2, r.action);
    s->BindStatic(3, r.interaction);
    s->Bind(4, r.outcome);
    s->BindStatic(5, r.agent);
    s->BindStatic(6, r.role);
    s->BindStatic(7, r.facility);
    s->BindStatic(8, r.address);
    s->BindStatic(9, r.patient);
    s->BindStatic(10, r.what);
    s->BindStatic(11, r.reason);
    s->Bind(12, r.flagged ? 1 : 0);
    s->BindBlobStatic(13, r.hash);
    HB_RETURN_IF_ERROR(s->Run());
    r.seq = db.LastInsertRowId();
    prev = r.hash;
  }
  return Status::Ok();
}

Result<std::vector<AuditRecord>> ReadAuditTrail(Database& db, std::string_view patient, int count,
                                                std::optional<int64_t> before_seq) {
  std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE 1";
  if (!patient.empty()) sql += " AND patient = ?1";
  if (before_seq) sql += " AND seq < ?2";
  sql += " ORDER BY seq DESC LIMIT ?3";
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare(sql));
  if (!patient.empty()) s->BindStatic(1, patient);
  if (before_seq) s->Bind(2, *before_seq);
  s->Bind(3, count);
  std::vector<AuditRecord> out;
  Status st;
  while (s->Step(&st)) out.push_back(AuditFromRow(*s));
  if (!st.ok()) return st;
  return out;
}

Result<AuditChainReport> CheckAuditChain(Database& db) {
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare(std::string("SELECT ") + kAuditColumns +
                                         " FROM audit_log ORDER BY seq"));
  sql::AuditChainWalk walk;
  Status st;
  while (s->Step(&st) && walk.Next(AuditFromRow(*s))) {
  }
  if (!st.ok()) return st;
  return walk.Finish();
}

}  // namespace hb::storage::sqlite
