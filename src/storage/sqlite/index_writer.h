// Writing and clearing a resource's rows in the typed search index tables
// (resources/sql/sqlite/0004_search_index.sql). A row's rowid is (rid << kRowShift) + n,
// so a resource's rows are one rowid range. Internal to storage/sqlite; runs on the writer
// connection inside the write's savepoint.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "search/index_entries.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/queries.h"

namespace hb::storage::sqlite {

inline constexpr int kRowShift = 20;  // at most 2^20 rows per resource and table
inline constexpr int64_t FirstRow(int64_t rid) { return rid << kRowShift; }
inline constexpr int64_t LastRow(int64_t rid) {
  return (rid << kRowShift) + ((1 << kRowShift) - 1);
}

// Checks that the index tables have the layout this code writes (data folders made by
// development builds before it had an earlier migration 4); kUnavailable naming the
// problem when not.
Status CheckIndexSchema(Database& db);

// The full-text rows (idx_fulltext, search/fulltext.h) a commit group writes, held back
// and written once just before its COMMIT. FTS5 writes its pending terms to disk at every
// savepoint boundary, so rows written inside each work item's savepoint made one index
// segment per item (docs/implementation/search.md, "Full text"). The buffer follows the
// savepoints instead: Open() marks where a savepoint begins, RollBack() drops what was
// buffered since (and what was applied since, which the SQL rollback undid), a release
// keeps it. Apply() writes what is pending: the writer runs it before COMMIT, and before a
// search inside the write transaction that reads the full-text index (SqliteWriteTxn).
// Writer thread only.
class FullTextBuffer {
 public:
  struct Mark {
    size_t ops;      // ops_ at the savepoint's start
    size_t applied;  // applied_ at the savepoint's start
  };
  // Removes the row of `rid` (before its new version, or at a delete).
  void Delete(int64_t rid);
  // Adds the row of `rid`; a row it had was removed by an earlier Delete.
  void Insert(int64_t rid, std::string_view type, const search::IndexEntries& e);
  Mark Open() const { return {ops_.size(), applied_}; }
  void RollBack(const Mark& m);
  bool pending() const { return applied_ < ops_.size(); }
  // Writes the pending operations: for each rid, one DELETE when it had any, then the last
  // INSERT when that came after its last delete; in rid order (FTS5 starts a new segment
  // when a rowid is not above the last one written).
  Status Apply(Database& db);

 private:
  struct Op {
    int64_t rid;
    bool insert;
    std::string type, narrative, content;
  };
  std::vector<Op> ops_;
  size_t applied_ = 0;  // ops_[0, applied_) are in the database
};

// Removes every index row of `rid` (before a new version, or at a delete); the full-text
// row's removal goes to `fulltext`.
Status ClearIndexRows(Database& db, int64_t rid, FullTextBuffer& fulltext);
// Inserts the rows of one version; rows whose parameter the store does not know are
// skipped; the full-text row goes to `fulltext`.
Status WriteIndexRows(Database& db, const ParamIds& params, std::string_view type, int64_t rid,
                      const search::IndexEntries& e, FullTextBuffer& fulltext);

}  // namespace hb::storage::sqlite
