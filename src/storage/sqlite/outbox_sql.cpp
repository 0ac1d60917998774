#include "storage/sqlite/outbox_sql.h"

#include <string>

#include "storage/sql/rows.h"

namespace hb::storage::sqlite {

using sql::CheckOutboxKey;
using sql::kOutboxColumns;
using sql::NoOutboxItem;
using sql::OutboxItemFromRow;

namespace {

OutboxItem FromRow(const Statement& s) {
  return OutboxItemFromRow([&](int c) { return s.Int(c); }, [&](int c) { return s.Text(c); },
                           [&](int c) { return s.Blob(c); });
}

}  // namespace

Result<bool> EnqueueOutboxRow(Database& db, int64_t now, std::string_view topic,
                              std::string_view key, std::string_view payload) {
  HB_RETURN_IF_ERROR(CheckOutboxKey(topic, key));
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("INSERT OR IGNORE INTO outbox (topic, key, payload, next_at, "
                                "created, updated) VALUES (?1, ?2, ?3, ?4, ?4, ?4)"));
  StatementScope s(*raw);
  s->BindStatic(1, topic);
  s->BindStatic(2, key);
  s->BindStatic(3, payload);
  s->Bind(4, now);
  HB_RETURN_IF_ERROR(s->Run());
  return db.Changes() > 0;
}

Status UpdateOutboxRow(Database& db, int64_t now, int64_t seq, const OutboxUpdate& u) {
  HB_ASSIGN_OR_RETURN(Statement * raw,
                      db.Cached("UPDATE outbox SET state = ?2, attempts = ?3, next_at = ?4, "
                                "last_error = ?5, result = ?6, updated = ?7 WHERE seq = ?1"));
  StatementScope s(*raw);
  s->Bind(1, seq);
  s->Bind(2, static_cast<int64_t>(u.state));
  s->Bind(3, static_cast<int64_t>(u.attempts));
  s->Bind(4, u.next_at);
  s->BindStatic(5, u.last_error);
  s->BindStatic(6, u.result);
  s->Bind(7, now);
  HB_RETURN_IF_ERROR(s->Run());
  return db.Changes() > 0 ? Status::Ok() : NoOutboxItem(seq);
}

Status RequeueOutboxRow(Database& db, int64_t now, int64_t seq,
                        std::optional<std::string_view> payload) {
  std::string sql = "UPDATE outbox SET state = 0, attempts = 0, next_at = ?2, updated = ?2, "
                    "last_error = ''";
  if (payload) sql += ", payload = ?3";
  sql += " WHERE seq = ?1";
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare(sql));
  s->Bind(1, seq);
  s->Bind(2, now);
  if (payload) s->BindStatic(3, *payload);
  HB_RETURN_IF_ERROR(s->Run());
  return db.Changes() > 0 ? Status::Ok() : NoOutboxItem(seq);
}

Result<std::vector<OutboxItem>> ReadOutbox(Database& db, const OutboxQuery& q) {
  std::string sql = std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE 1";
  if (!q.topic.empty()) sql += " AND topic = ?1";
  if (q.due_before > 0) {
    sql += " AND state = 0 AND next_at <= ?2";
  } else if (q.state) {
    sql += " AND state = ?3";
  }
  if (q.before_seq) sql += q.oldest_first ? " AND seq > ?4" : " AND seq < ?4";
  sql += q.oldest_first ? " ORDER BY seq" : " ORDER BY seq DESC";
  sql += " LIMIT ?5";
  HB_ASSIGN_OR_RETURN(auto s, db.Prepare(sql));
  if (!q.topic.empty()) s->BindStatic(1, q.topic);
  if (q.due_before > 0) s->Bind(2, q.due_before);
  if (q.state) s->Bind(3, static_cast<int64_t>(*q.state));
  if (q.before_seq) s->Bind(4, *q.before_seq);
  s->Bind(5, static_cast<int64_t>(q.count));
  std::vector<OutboxItem> out;
  Status st;
  while (s->Step(&st)) out.push_back(FromRow(*s));
  if (!st.ok()) return st;
  return out;
}

}  // namespace hb::storage::sqlite
