// Search SQL shared by the SQL stores: a search::SearchQuery becomes one SELECT over the
// resource table with a subquery per criterion on the typed index tables
// (docs/implementation/search.md shows the shapes and their query plans); includes and
// reverse includes are one query each over idx_reference. The SQL text is the same for
// SQLite and PostgreSQL apart from what a Dialect supplies: bind placeholders, how an
// index row names its resource (SQLite: a rowid range, PostgreSQL: a rid column), planner
// hints and the false literal. Values are never spliced into the text: they come back as
// binds in placeholder order. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "search/search_query.h"
#include "storage/resource_store.h"
#include "storage/sql/param_ids.h"

namespace hb::storage::sql {

struct Dialect {
  char placeholder;  // '?' (SQLite: ?1) or '$' (PostgreSQL: $1)
  // The rid of an index row; `prefix` is "" or a table alias with its dot ("x.").
  std::string (*index_rid)(const std::string& prefix);
  // SQL true when the index row (`prefix`) belongs to the resource row `alias`.
  std::string (*rows_of)(const std::string& alias, const std::string& prefix);
  bool type_hint;           // SQLite: "+r.type" keeps the planner off the type index
  const char* not_indexed;  // SQLite: " NOT INDEXED" (read a resource's rows by range)
  const char* false_sql;    // "0" or "false"
  // SQLite: " INDEXED BY sqlite_autoindex_resource_1": a type's (type, id) key read alone,
  // without the table rows (the count of a _has search, docs/implementation/search.md).
  const char* type_id_index;
  // The full-text index (search/fulltext.h): SQLite FTS5 (`idx_fulltext MATCH`), else
  // PostgreSQL tsvector columns (`@@ to_tsquery`).
  bool fts5;
};
const Dialect& SqliteDialect();
const Dialect& PostgresDialect();

using BindValue = std::variant<int64_t, std::string>;

// Runs the small lookups some shapes depend on (the UCUM units a quantity parameter holds,
// the bounded counts that choose a _has shape) on the caller's connection and snapshot.
class SqlLookups {
 public:
  virtual ~SqlLookups() = default;
  // The first column of each row; empty on failure (the shape then matches nothing).
  virtual std::vector<std::string> Strings(const std::string& sql,
                                           const std::vector<BindValue>& binds) = 0;
  // The first column of the one row; -1 on failure.
  virtual int64_t Count(const std::string& sql, const std::vector<BindValue>& binds) = 0;
};

struct SearchSql {
  std::string count_sql;         // one row, one column: the total
  std::string page_sql;          // rows: type, id, version, last_updated, method, json
  std::vector<BindValue> binds;  // for both statements
  bool empty = false;            // nothing can match (no parts): run neither
};
// `lookups` may be null (then UCUM conversions match nothing and _has takes one shape).
Result<SearchSql> BuildSearch(const Dialect& d, const ParamIds& params, SqlLookups* lookups,
                              const search::SearchQuery& q);

struct IncludeSql {
  std::string sql;  // rows as SearchSql::page_sql
  std::vector<BindValue> binds;
  bool empty = false;  // nothing to include: do not run
};
Result<IncludeSql> BuildInclude(const Dialect& d, const ParamIds& params,
                                const search::IncludeSpec& spec,
                                const std::vector<ResourceKey>& from, int limit);

}  // namespace hb::storage::sql
