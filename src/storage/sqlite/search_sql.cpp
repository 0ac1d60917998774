#include "storage/sqlite/search_sql.h"

#include <algorithm>
#include <vector>

#include <spdlog/spdlog.h>

#include "storage/json_codec.h"
#include "storage/sql/search_builder.h"

namespace hb::storage::sqlite {

namespace {

void BindAll(Statement& s, const std::vector<sql::BindValue>& binds) {
  for (size_t i = 0; i < binds.size(); ++i) {
    int n = static_cast<int>(i) + 1;
    if (const auto* v = std::get_if<int64_t>(&binds[i])) {
      s.Bind(n, *v);
    } else {
      s.BindStatic(n, std::get<std::string>(binds[i]));
    }
  }
}

// The lookups the shared search SQL needs, on the search's own connection and snapshot.
class SqliteLookups : public sql::SqlLookups {
 public:
  explicit SqliteLookups(Database& db) : db_(db) {}
  std::vector<std::string> Strings(const std::string& sql,
                                   const std::vector<sql::BindValue>& binds) override {
    std::vector<std::string> out;
    auto s = db_.Prepare(sql);
    if (!s.ok()) return out;
    BindAll(**s, binds);
    Status st;
    while ((*s)->Step(&st)) out.emplace_back((*s)->Text(0));
    return out;
  }
  int64_t Count(const std::string& sql, const std::vector<sql::BindValue>& binds) override {
    auto s = db_.CachedText(sql);
    if (!s.ok()) return -1;
    StatementScope scope(**s);
    BindAll(scope.get(), binds);
    Status st;
    int64_t n = scope->Step(&st) ? scope->Int(0) : -1;
    return st.ok() ? n : -1;
  }

 private:
  Database& db_;
};

Result<ResourceVersion> VersionFromRow(Statement& s) {
  ResourceVersion v;
  v.type = std::string(s.Text(0));
  v.id = std::string(s.Text(1));
  v.version = s.Int(2);
  v.last_updated = s.Int(3);
  v.method = MethodFromInt(s.Int(4));
  HB_ASSIGN_OR_RETURN(v.json, DecodeJson(s.Blob(5)));
  return v;
}

}  // namespace

Result<SearchResult> RunSearch(Database& db, const ParamIds& params, const search::SearchQuery& q) {
  SqliteLookups lookups(db);
  HB_ASSIGN_OR_RETURN(sql::SearchSql s,
                      sql::BuildSearch(sql::SqliteDialect(), params, &lookups, q));
  SearchResult result;
  if (s.empty) return result;
  Status st;
  if (q.total || q.summary_count) {
    HB_ASSIGN_OR_RETURN(Statement * raw, db.CachedText(s.count_sql));
    StatementScope c(*raw);
    BindAll(c.get(), s.binds);
    if (c->Step(&st)) result.total = c->Int(0);
    if (!st.ok()) return st;
  }
  if (q.summary_count || q.count == 0) return result;
  if (spdlog::should_log(spdlog::level::debug)) spdlog::debug("search SQL: {}", s.page_sql);
  HB_ASSIGN_OR_RETURN(Statement * raw, db.CachedText(s.page_sql));
  StatementScope p(*raw);
  BindAll(p.get(), s.binds);
  while (p->Step(&st)) {
    HB_ASSIGN_OR_RETURN(ResourceVersion v, VersionFromRow(p.get()));
    result.matches.push_back(std::move(v));
  }
  if (!st.ok()) return st;
  return result;
}

Result<std::vector<ResourceVersion>> RunInclude(Database& db, const ParamIds& params,
                                                const search::IncludeSpec& spec,
                                                const std::vector<ResourceKey>& from, int limit) {
  HB_ASSIGN_OR_RETURN(sql::IncludeSql s,
                      sql::BuildInclude(sql::SqliteDialect(), params, spec, from, limit));
  std::vector<ResourceVersion> out;
  if (s.empty) return out;
  if (spdlog::should_log(spdlog::level::debug)) spdlog::debug("include SQL: {}", s.sql);
  HB_ASSIGN_OR_RETURN(auto stmt, db.Prepare(s.sql));
  BindAll(*stmt, s.binds);
  Status st;
  while (stmt->Step(&st)) {
    HB_ASSIGN_OR_RETURN(ResourceVersion v, VersionFromRow(*stmt));
    out.push_back(std::move(v));
  }
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<std::vector<ResourceVersion>>> RunIdentifierLookup(
    Database& db, const ParamIds& params, std::string_view type, std::string_view system,
    std::string_view value, int limit) {
  auto pid = params.find(ParamKey(type, "identifier"));
  if (pid == params.end()) return std::optional<std::vector<ResourceVersion>>();
  // What BuildSearch makes of `identifier=system|value` (TokenCond on idx_token, the live
  // current version, rid order), with the criterion's parameter id bound instead of parsed.
  // Two steps, the matching rows' resources from the lookup index and then each resource by
  // rid: one statement with `rid IN (SELECT ...)` made SQLite build a temporary table (a
  // pager and its pages) on every call, and this runs on the writer for every HL7 message.
  std::vector<int64_t> rids;
  {
    HB_ASSIGN_OR_RETURN(Statement * raw,
                        db.Cached("SELECT rowid >> 20 FROM idx_token WHERE pid = ?1 AND code = ?2 "
                                  "AND system = ?3"));
    StatementScope s(*raw);
    s->Bind(1, pid->second);
    s->BindStatic(2, value);
    s->BindStatic(3, system);
    Status st;
    while (s->Step(&st)) rids.push_back(s->Int(0));
    if (!st.ok()) return st;
  }
  std::sort(rids.begin(), rids.end());
  rids.erase(std::unique(rids.begin(), rids.end()), rids.end());
  HB_ASSIGN_OR_RETURN(
      Statement * by_rid,
      db.Cached("SELECT r.type, r.id, r.version, r.last_updated, v.method, v.json FROM resource "
                "r JOIN version v ON v.rid = r.rid AND v.version = r.version WHERE r.rid = ?1 "
                "AND r.type = ?2 AND r.deleted = 0"));
  std::vector<ResourceVersion> out;
  for (int64_t rid : rids) {
    if (limit >= 0 && static_cast<int>(out.size()) >= limit) break;  // < 0: no limit
    StatementScope s(*by_rid);
    s->Bind(1, rid);
    s->BindStatic(2, type);
    Status st;
    while (s->Step(&st)) {
      HB_ASSIGN_OR_RETURN(ResourceVersion v, VersionFromRow(s.get()));
      out.push_back(std::move(v));
    }
    if (!st.ok()) return st;
  }
  return std::optional<std::vector<ResourceVersion>>(std::move(out));
}

}  // namespace hb::storage::sqlite
