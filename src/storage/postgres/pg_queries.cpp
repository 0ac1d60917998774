#include "storage/postgres/pg_queries.h"

#include <algorithm>
#include <map>

#include "storage/json_codec.h"
#include "storage/sql/audit_chain.h"
#include "storage/sql/rows.h"

namespace hb::storage::postgres {

using sql::MethodFromInt;
using sql::MethodToInt;
using sql::NotKnown;
using sql::CheckOutboxKey;
using sql::kOutboxColumns;
using sql::NoOutboxItem;
using sql::OutboxItemFromRow;

namespace {

// "$n" for the next parameter of a statement being built.
class Placeholders {
 public:
  std::string Next() { return "$" + std::to_string(++n_); }

 private:
  int n_ = 0;
};

}  // namespace

Result<ResourceVersion> VersionRow(const PgResult& r, int row) {
  // type, id, version, last_updated, method, json
  ResourceVersion v;
  v.type = std::string(r.Text(row, 0));
  v.id = std::string(r.Text(row, 1));
  v.version = r.Int(row, 2);
  v.last_updated = r.Int(row, 3);
  v.method = MethodFromInt(r.Int(row, 4));
  v.deleted = v.method == Method::kDelete;
  if (!r.IsNull(row, 5)) {
    HB_ASSIGN_OR_RETURN(v.json, DecodeJson(r.Text(row, 5)));
  }
  return v;
}

Result<ResourceVersion> ReadCurrent(Connection& c, std::string_view type, std::string_view id) {
  Params p;
  p.Add(type).Add(id);
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("SELECT r.version, r.deleted, r.last_updated, v.method, v.json "
                              "FROM resource r JOIN version v ON v.rid = r.rid AND v.version = "
                              "r.version WHERE r.type = $1 AND r.id = $2",
                              p));
  if (r.Rows() == 0) return NotKnown(type, id);
  ResourceVersion v;
  v.type = std::string(type);
  v.id = std::string(id);
  v.version = r.Int(0, 0);
  v.deleted = r.Int(0, 1) != 0;
  v.last_updated = r.Int(0, 2);
  v.method = MethodFromInt(r.Int(0, 3));
  if (!r.IsNull(0, 4)) {
    HB_ASSIGN_OR_RETURN(v.json, DecodeJson(r.Text(0, 4)));
  }
  return v;
}

Result<ResourceVersion> ReadVersion(Connection& c, std::string_view type, std::string_view id,
                                    int64_t version) {
  Params p;
  p.Add(type).Add(id).Add(version);
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("SELECT v.last_updated, v.method, v.json FROM resource r JOIN "
                              "version v ON v.rid = r.rid WHERE r.type = $1 AND r.id = $2 AND "
                              "v.version = $3",
                              p));
  if (r.Rows() == 0) return sql::VersionNotKnown(type, id, version);
  ResourceVersion v;
  v.type = std::string(type);
  v.id = std::string(id);
  v.version = version;
  v.last_updated = r.Int(0, 0);
  v.method = MethodFromInt(r.Int(0, 1));
  v.deleted = v.method == Method::kDelete;
  if (!r.IsNull(0, 2)) {
    HB_ASSIGN_OR_RETURN(v.json, DecodeJson(r.Text(0, 2)));
  }
  return v;
}

Result<HistoryPage> ReadHistory(Connection& c, const HistoryQuery& q) {
  Params p;
  Placeholders ph;
  std::string where;
  if (!q.id.empty()) {
    std::string type = ph.Next();  // in order: one expression may evaluate them in any order
    std::string id = ph.Next();
    where =
        " WHERE v.rid = (SELECT rid FROM resource WHERE type = " + type + " AND id = " + id + ")";
    p.Add(q.type).Add(q.id);
  } else if (!q.type.empty()) {
    where = " WHERE v.type = " + ph.Next();
    p.Add(q.type);
  } else {
    where = " WHERE true";
  }
  if (q.since) {
    where += " AND v.last_updated >= " + ph.Next();
    p.Add(*q.since);
  }
  HistoryPage page;
  {
    HB_ASSIGN_OR_RETURN(PgResult r, c.Query("SELECT COUNT(*) FROM version v" + where, p));
    page.total = r.Rows() ? r.Int(0, 0) : 0;
  }
  if (q.before_seq) {
    where += " AND v.seq < " + ph.Next();
    p.Add(*q.before_seq);
  }
  std::string sql =
      "SELECT r.type, r.id, v.version, v.last_updated, v.method, v.json, v.seq FROM version v "
      "JOIN resource r ON r.rid = v.rid" +
      where + " ORDER BY v.seq DESC LIMIT " + ph.Next();
  p.Add(static_cast<int64_t>(q.count) + 1);
  HB_ASSIGN_OR_RETURN(PgResult r, c.Query(sql, p));
  for (int i = 0; i < r.Rows(); ++i) {
    if (static_cast<int>(page.entries.size()) == q.count) {
      page.next_before_seq = page.entries.back().seq;
      break;
    }
    HistoryEntry e;
    HB_ASSIGN_OR_RETURN(e.version, VersionRow(r, i));
    e.seq = r.Int(i, 6);
    page.entries.push_back(std::move(e));
  }
  return page;
}

Result<int64_t> CountCurrent(Connection& c, std::string_view type) {
  Params p;
  if (type.empty()) {
    HB_ASSIGN_OR_RETURN(PgResult r, c.Query("SELECT COUNT(*) FROM resource WHERE deleted = 0", p));
    return r.Int(0, 0);
  }
  p.Add(type);
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("SELECT COUNT(*) FROM resource WHERE type = $1 AND deleted = 0", p));
  return r.Int(0, 0);
}

Result<std::optional<std::string>> ReadSetting(Connection& c, std::string_view key) {
  Params p;
  p.Add(key);
  HB_ASSIGN_OR_RETURN(PgResult r, c.Query("SELECT value FROM store_setting WHERE key = $1", p));
  if (r.Rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r.Text(0, 0)));
}

Status WriteSetting(Connection& c, std::string_view key, std::optional<std::string_view> value) {
  Params p;
  p.Add(key);
  if (!value) return c.Query("DELETE FROM store_setting WHERE key = $1", p).status();
  p.Add(*value);
  return c
      .Query("INSERT INTO store_setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE "
             "SET value = EXCLUDED.value",
             p)
      .status();
}

Result<std::vector<std::string>> ReadTypes(Connection& c) {
  // A skip scan over the (type, id) key: one index probe per distinct type.
  Params p;
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("WITH RECURSIVE t(type) AS (SELECT MIN(type) FROM resource UNION "
                              "ALL SELECT (SELECT MIN(type) FROM resource WHERE type > t.type) "
                              "FROM t WHERE t.type IS NOT NULL) "
                              "SELECT type FROM t WHERE type IS NOT NULL",
                              p));
  std::vector<std::string> out;
  for (int i = 0; i < r.Rows(); ++i) out.emplace_back(r.Text(i, 0));
  return out;
}

Status ScanResources(Connection& c, const ScanQuery& q,
                     const std::function<Status(const ResourceVersion&)>& fn) {
  Params p;
  Placeholders ph;
  std::string sql =
      "SELECT r.type, r.id, r.version, r.last_updated, v.method, v.json FROM resource r JOIN "
      "version v ON v.rid = r.rid AND v.version = r.version WHERE r.type = " +
      ph.Next() + " AND r.deleted = 0";
  p.Add(q.type);
  if (q.since > 0) {
    sql += " AND r.last_updated >= " + ph.Next();
    p.Add(q.since);
  }
  if (!q.patients.empty()) {
    sql += " AND r.rid IN (SELECT rid FROM compartment_patient WHERE patient_id IN (";
    for (size_t i = 0; i < q.patients.size(); ++i) {
      sql += (i ? ", " : "") + ph.Next();
      p.Add(q.patients[i]);
    }
    sql += "))";
  } else if (q.any_patient) {
    sql += " AND r.rid IN (SELECT rid FROM compartment_patient)";
  }
  sql += " ORDER BY r.rid";
  // A cursor: the rows come FETCH by FETCH, so memory stays flat however large the type.
  HB_ASSIGN_OR_RETURN(PgResult declared,
                      c.QueryOnce("DECLARE hb_scan NO SCROLL CURSOR FOR " + sql, p));
  (void)declared;
  Status st;
  for (;;) {
    Params none;
    auto batch = c.Query("FETCH 256 FROM hb_scan", none);
    if (!batch.ok()) {
      st = batch.status();
      break;
    }
    for (int i = 0; i < batch->Rows() && st.ok(); ++i) {
      Result<ResourceVersion> v = VersionRow(*batch, i);
      st = v.ok() ? fn(*v) : v.status();
    }
    if (!st.ok() || batch->Rows() < 256) break;
  }
  Status closed = c.Exec("CLOSE hb_scan");
  return st.ok() ? closed : st;
}

Result<RecordFacts> ReadFacts(Connection& c, std::string_view type, std::string_view id) {
  Params p;
  p.Add(type).Add(id);
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("SELECT r.owner, cp.patient_id FROM resource r LEFT JOIN "
                              "compartment_patient cp ON cp.rid = r.rid WHERE r.type = $1 AND "
                              "r.id = $2",
                              p));
  if (r.Rows() == 0) return NotKnown(type, id);
  RecordFacts facts;
  for (int i = 0; i < r.Rows(); ++i) {
    facts.owner = std::string(r.Text(i, 0));
    if (!r.IsNull(i, 1)) facts.patients.emplace_back(r.Text(i, 1));
  }
  return facts;
}

Result<bool> ReadConsentDenies(Connection& c, std::string_view patient, std::string_view org,
                               std::string_view type) {
  Params p;
  p.Add(patient).Add(org);
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("SELECT types FROM consent_deny WHERE patient_id = $1 AND "
                              "(org = $2 OR org = '*')",
                              p));
  for (int i = 0; i < r.Rows(); ++i) {
    std::string_view types = r.Text(i, 0);
    if (types.empty()) return true;
    size_t start = 0;
    while (start < types.size()) {
      size_t end = types.find(' ', start);
      if (end == std::string_view::npos) end = types.size();
      if (types.substr(start, end - start) == type) return true;
      start = end + 1;
    }
  }
  return false;
}

Result<bool> ReadHasCare(Connection& c, std::string_view patient, std::string_view org,
                         int64_t since) {
  Params p;
  p.Add(patient).Add(org).Add(since);
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("SELECT 1 FROM care_link WHERE patient_id = $1 AND org = $2 AND "
                              "until >= $3 LIMIT 1",
                              p));
  return r.Rows() > 0;
}

// ------------------------------------------------------------------------ audit

namespace {

constexpr const char* kAuditColumns =
    "seq, recorded, action, interaction, outcome, agent, role, facility, address, patient, what, "
    "reason, flagged, hash";

AuditRecord AuditRow(const PgResult& r, int i) {
  AuditRecord a;
  a.seq = r.Int(i, 0);
  a.recorded = r.Int(i, 1);
  a.action = std::string(r.Text(i, 2));
  a.interaction = std::string(r.Text(i, 3));
  a.outcome = static_cast<int>(r.Int(i, 4));
  a.agent = std::string(r.Text(i, 5));
  a.role = std::string(r.Text(i, 6));
  a.facility = std::string(r.Text(i, 7));
  a.address = std::string(r.Text(i, 8));
  a.patient = std::string(r.Text(i, 9));
  a.what = std::string(r.Text(i, 10));
  a.reason = std::string(r.Text(i, 11));
  a.flagged = r.Int(i, 12) != 0;
  a.hash = std::string(r.Text(i, 13));
  return a;
}

}  // namespace

Status AppendAuditRecords(Connection& c, std::vector<AuditRecord>& records) {
  if (records.empty()) return Status::Ok();
  std::string prev = GenesisHash();
  int64_t seq = 0;
  {
    Params none;
    HB_ASSIGN_OR_RETURN(PgResult r,
                        c.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", none));
    if (r.Rows()) {
      seq = r.Int(0, 0);
      prev = std::string(r.Text(0, 1));
    }
  }
  // seq is assigned here (last + 1), never by a sequence: a rolled-back append leaves no gap
  // that VerifyAuditChain would report. The writer's lock orders appenders.
  for (AuditRecord& a : records) {
    a.hash = ChainHash(prev, a);
    a.seq = ++seq;
    Params p;
    p.Add(a.seq)
        .Add(a.recorded)
        .Add(a.action)
        .Add(a.interaction)
        .Add(static_cast<int64_t>(a.outcome))
        .Add(a.agent)
        .Add(a.role)
        .Add(a.facility)
        .Add(a.address)
        .Add(a.patient)
        .Add(a.what)
        .Add(a.reason)
        .Add(static_cast<int64_t>(a.flagged ? 1 : 0))
        .AddBytes(a.hash);
    HB_ASSIGN_OR_RETURN(PgResult r,
                        c.Query("INSERT INTO audit_log (seq, recorded, action, interaction, "
                                "outcome, agent, role, facility, address, patient, what, reason, "
                                "flagged, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                                "$11, $12, $13, $14)",
                                p));
    (void)r;
    prev = a.hash;
  }
  return Status::Ok();
}

Result<std::vector<AuditRecord>> ReadAuditTrail(Connection& c, std::string_view patient, int count,
                                                std::optional<int64_t> before_seq) {
  Params p;
  Placeholders ph;
  std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE true";
  if (!patient.empty()) {
    sql += " AND patient = " + ph.Next();
    p.Add(patient);
  }
  if (before_seq) {
    sql += " AND seq < " + ph.Next();
    p.Add(*before_seq);
  }
  sql += " ORDER BY seq DESC LIMIT " + ph.Next();
  p.Add(static_cast<int64_t>(count));
  HB_ASSIGN_OR_RETURN(PgResult r, c.Query(sql, p));
  std::vector<AuditRecord> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(AuditRow(r, i));
  return out;
}

Result<AuditChainReport> CheckAuditChain(Connection& c) {
  sql::AuditChainWalk walk;
  // In batches by seq: memory stays flat however long the trail.
  for (;;) {
    Params p;
    p.Add(walk.last_seq());
    HB_ASSIGN_OR_RETURN(PgResult r, c.Query(std::string("SELECT ") + kAuditColumns +
                                                " FROM audit_log WHERE seq > $1 ORDER BY seq "
                                                "LIMIT 5000",
                                            p));
    for (int i = 0; i < r.Rows(); ++i) {
      if (!walk.Next(AuditRow(r, i))) return walk.Finish();
    }
    if (r.Rows() < 5000) break;
  }
  return walk.Finish();
}

// ------------------------------------------------------------------------ outbox

namespace {

OutboxItem OutboxRow(const PgResult& r, int i) {
  auto text = [&](int c) { return r.Text(i, c); };
  return OutboxItemFromRow([&](int c) { return r.Int(i, c); }, text, text);
}

}  // namespace

Result<bool> EnqueueOutboxRow(Connection& c, int64_t now, std::string_view topic,
                              std::string_view key, std::string_view payload) {
  HB_RETURN_IF_ERROR(CheckOutboxKey(topic, key));
  Params p;
  p.Add(topic).Add(key).AddBytes(payload).Add(now);
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("INSERT INTO outbox (topic, key, payload, next_at, created, "
                              "updated) VALUES ($1, $2, $3, $4, $4, $4) ON CONFLICT (topic, key) "
                              "DO NOTHING",
                              p));
  return r.Affected() > 0;
}

Status UpdateOutboxRow(Connection& c, int64_t now, int64_t seq, const OutboxUpdate& u) {
  Params p;
  p.Add(seq)
      .Add(static_cast<int64_t>(u.state))
      .Add(static_cast<int64_t>(u.attempts))
      .Add(u.next_at)
      .Add(u.last_error)
      .Add(u.result)
      .Add(now);
  HB_ASSIGN_OR_RETURN(PgResult r,
                      c.Query("UPDATE outbox SET state = $2, attempts = $3, next_at = $4, "
                              "last_error = $5, result = $6, updated = $7 WHERE seq = $1",
                              p));
  return r.Affected() > 0 ? Status::Ok() : NoOutboxItem(seq);
}

Status RequeueOutboxRow(Connection& c, int64_t now, int64_t seq,
                        std::optional<std::string_view> payload) {
  Params p;
  p.Add(seq).Add(now);
  std::string sql =
      "UPDATE outbox SET state = 0, attempts = 0, next_at = $2, updated = $2, "
      "last_error = ''";
  if (payload) {
    sql += ", payload = $3";
    p.AddBytes(*payload);
  }
  sql += " WHERE seq = $1";
  HB_ASSIGN_OR_RETURN(PgResult r, c.Query(sql, p));
  return r.Affected() > 0 ? Status::Ok() : NoOutboxItem(seq);
}

Result<std::vector<OutboxItem>> ReadOutbox(Connection& c, const OutboxQuery& q) {
  Params p;
  Placeholders ph;
  std::string sql = std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE true";
  if (!q.topic.empty()) {
    sql += " AND topic = " + ph.Next();
    p.Add(q.topic);
  }
  if (q.due_before > 0) {
    sql += " AND state = 0 AND next_at <= " + ph.Next();
    p.Add(q.due_before);
  } else if (q.state) {
    sql += " AND state = " + ph.Next();
    p.Add(static_cast<int64_t>(*q.state));
  }
  if (q.before_seq) {
    sql += (q.oldest_first ? " AND seq > " : " AND seq < ") + ph.Next();
    p.Add(*q.before_seq);
  }
  sql += q.oldest_first ? " ORDER BY seq" : " ORDER BY seq DESC";
  sql += " LIMIT " + ph.Next();
  p.Add(static_cast<int64_t>(q.count));
  HB_ASSIGN_OR_RETURN(PgResult r, c.Query(sql, p));
  std::vector<OutboxItem> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(OutboxRow(r, i));
  return out;
}

}  // namespace hb::storage::postgres
