#include "storage/sql/search_builder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <span>
#include <variant>

#include "common/ascii.h"
#include "search/contained.h"
#include "search/date_range.h"
#include "search/param_registry.h"
#include "search/quantity_units.h"
#include "search/special_params.h"
#include "search/text_fold.h"

namespace hb::storage::sql {

namespace {

using search::Criterion;
using search::Modifier;
using search::ParamType;
using search::Prefix;
using search::SearchValue;

const char* TableFor(ParamType t) {
  switch (t) {
    case ParamType::kString:
      return "idx_string";
    case ParamType::kToken:
      return "idx_token";
    case ParamType::kDate:
      return "idx_date";
    case ParamType::kNumber:
      return "idx_number";
    case ParamType::kQuantity:
      return "idx_quantity";
    case ParamType::kReference:
      return "idx_reference";
    case ParamType::kUri:
      return "idx_uri";
    case ParamType::kComposite:
      return "idx_composite";
    case ParamType::kSpecial:
      return "idx_position";  // near (the only special parameter with rows)
    default:
      return nullptr;
  }
}

// "?3", "r2": a letter and a number (appended: GCC 12 warns wrongly on "x" + std::string).
std::string Numbered(char c, size_t n) {
  std::string s(1, c);
  s += std::to_string(n);
  return s;
}

// SQLite: an index row's rowid is rid << 20 + n (sqlite/index_writer.h); a resource's rows
// are one rowid range. PostgreSQL: index rows carry a rid column (indexed).
std::string SqliteIndexRid(const std::string& prefix) { return prefix + "rowid >> 20"; }
std::string SqliteRowsOf(const std::string& alias, const std::string& prefix) {
  return prefix + "rowid BETWEEN " + alias + ".rid * 1048576 AND " + alias +
         ".rid * 1048576 + 1048575";
}
std::string PgIndexRid(const std::string& prefix) { return prefix + "rid"; }
std::string PgRowsOf(const std::string& alias, const std::string& prefix) {
  return prefix + "rid = " + alias + ".rid";
}

// Token :in, :not-in, :above and :below are expanded into codes before a store sees the
// query (search/terminology.h); one that reaches SQL is refused.
bool UnresolvedTerminology(const Criterion& c) {
  return c.type == ParamType::kToken &&
         (c.modifier == Modifier::kIn || c.modifier == Modifier::kNotIn ||
          c.modifier == Modifier::kAbove || c.modifier == Modifier::kBelow);
}

// Escapes LIKE wildcards (ESCAPE '\').
std::string LikeEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The squared distance from the column point (x, y, z) to `p` (unit-sphere points,
// search/special_params.h): `(x - px) * (x - px) + ...`, in integer arithmetic that both
// dialects share. `p`'s coordinates are SQL text (binds or numbers).
std::string SquaredChord(const std::string& px, const std::string& py, const std::string& pz) {
  auto sq = [](const char* col, const std::string& v) {
    std::string d = "(" + std::string(col) + " - " + v + ")";
    return d + " * " + d;
  };
  return sq("x", px) + " + " + sq("y", py) + " + " + sq("z", pz);
}

// Builds WHERE clauses with positional binds.
class SqlBuilder {
 public:
  // `db` (may be null) answers lookups the SQL depends on (quantity units, estimates).
  SqlBuilder(const Dialect& d, const ParamIds& params, SqlLookups* db)
      : d_(d), params_(params), db_(db), false_(d.false_sql) {}

  std::string Bind(std::string v) {
    binds_.emplace_back(std::move(v));
    return Numbered(d_.placeholder, binds_.size());
  }
  std::string Bind(int64_t v) {
    binds_.emplace_back(v);
    return Numbered(d_.placeholder, binds_.size());
  }
  std::vector<BindValue>& binds() { return binds_; }
  std::string Rid(const std::string& prefix = "") const { return d_.index_rid(prefix); }
  std::string RowsOf(const std::string& alias, const std::string& prefix = "") const {
    return d_.rows_of(alias, prefix);
  }
  const Dialect& dialect() const { return d_; }

  Result<int64_t> Pid(std::string_view type, std::string_view code) const {
    auto it = params_.find(ParamKey(type, code));
    if (it == params_.end()) {
      return Status(
          ErrorCode::kInvalidSearchParameter,
          "search parameter '" + std::string(code) + "' is not indexed for " + std::string(type));
    }
    return it->second;
  }

  // "<col> = N" or "<col> IN (N, M)": the pids whose rows hold (type, code)'s values
  // (an alias reads its bases' rows, search/param_registry.h). `resolve_type` receives
  // the target type an alias of X.where(resolve() is T) is limited to.
  Result<std::string> PidCond(std::string_view type, std::string_view code, const std::string& col,
                              std::string_view* resolve_type = nullptr) {
    const search::RegisteredParam* p = search::ParamRegistry::Default().Find(type, code);
    std::vector<std::string_view> codes = p ? p->row_codes : std::vector<std::string_view>{code};
    if (resolve_type) *resolve_type = p ? p->resolve_type : std::string_view();
    std::string list;
    for (std::string_view c : codes) {
      HB_ASSIGN_OR_RETURN(int64_t pid, Pid(type, c));
      if (!contained_) {
        list += (list.empty() ? "" : ", ") + std::to_string(pid);
        continue;
      }
      // Contained resources' rows: one pid per slot (search/contained.h).
      for (int slot = 1; slot < search::kContainedSlots; ++slot) {
        list += (list.empty() ? "" : ", ") + std::to_string(search::ContainedPid(pid, slot));
      }
    }
    if (codes.size() == 1 && !contained_) return col + " = " + list;
    return col + " IN (" + list + ")";
  }

  // Criteria on the resources contained in others (_contained, search/contained.h): the
  // contained rows' pids, and their key (container rid * kContainedSlots + slot) in place
  // of the rid. Only indexed criteria, _id and _filter's and/or/not have a meaning there.
  void SetContained(bool v) { contained_ = v; }
  // The key of an index row (`prefix`: "" or "x."): its rid, or for contained rows the
  // container's rid and the slot.
  std::string RowKey(const std::string& prefix = "") const {
    if (!contained_) return Rid(prefix);
    return "(" + Rid(prefix) + ") * " + std::to_string(search::kContainedSlots) + " + (-" +
           prefix + "pid) % " + std::to_string(search::kContainedSlots);
  }

  // PidCond with the alias's target type filter, for idx_reference rows.
  Result<std::string> RefPidCond(std::string_view type, std::string_view code,
                                 const std::string& prefix) {
    std::string_view resolve_type;
    HB_ASSIGN_OR_RETURN(std::string cond, PidCond(type, code, prefix + "pid", &resolve_type));
    if (!resolve_type.empty()) {
      cond += " AND " + prefix + "target_type = " + Bind(std::string(resolve_type));
    }
    return cond;
  }

  // SQL true when the resource row `alias` satisfies `c` (in contained mode: the contained
  // resource `alias`, with columns ck, its key, and cid, its id).
  Result<std::string> CriterionSql(const Criterion& c, const std::string& alias) {
    if (contained_ && c.kind != Criterion::Kind::kIndexed && c.kind != Criterion::Kind::kId &&
        c.kind != Criterion::Kind::kAnd && c.kind != Criterion::Kind::kOr &&
        c.kind != Criterion::Kind::kNot) {
      return Status(ErrorCode::kInvalidSearchParameter,
                    "search parameter '" + c.param +
                        "' cannot be used on contained resources (_contained=true|both takes "
                        "the type's own parameters, _id and _filter)");
    }
    switch (c.kind) {
      case Criterion::Kind::kId: {
        std::string in;
        for (const SearchValue& v : c.any_of) in += (in.empty() ? "" : ", ") + Bind(v.text);
        return alias + (contained_ ? ".cid " : ".id ") +
               (c.modifier == Modifier::kNot ? "NOT IN (" : "IN (") + in + ")";
      }
      case Criterion::Kind::kLastUpdated: {
        std::string col = alias + ".last_updated";
        std::string out;
        for (const SearchValue& v : c.any_of) {
          out += (out.empty() ? "(" : " OR (") + DateCond(v, col, col) + ")";
        }
        return "(" + out + ")";
      }
      case Criterion::Kind::kChain:
        return ChainSql(c, alias);
      case Criterion::Kind::kHas:
        return HasSql(c, alias);
      case Criterion::Kind::kFullText:
        return FullTextSql(c, alias);
      case Criterion::Kind::kAnd:
      case Criterion::Kind::kOr:
      case Criterion::Kind::kNot:
        return LogicSql(c, alias);
      case Criterion::Kind::kList:
        return ListSql(c, alias);
      case Criterion::Kind::kIndexed:
        break;
    }
    const char* table = TableFor(c.type);
    if (table == nullptr) {
      return Status(ErrorCode::kInvalidSearchParameter,
                    "search parameter '" + c.param + "' cannot be searched here");
    }
    if (UnresolvedTerminology(c)) {
      return Status(
          ErrorCode::kInvalidSearchParameter,
          "search parameter '" + c.param + "': the terminology modifier was not resolved");
    }
    if (c.modifier == Modifier::kOfType) table = "idx_identifier_type";
    if (c.modifier == Modifier::kIdentifier) table = "idx_token";
    std::string pids;
    if (std::string_view(table) == "idx_reference") {
      HB_ASSIGN_OR_RETURN(pids, RefPidCond(c.resource_type, c.param, ""));
    } else {
      HB_ASSIGN_OR_RETURN(pids, PidCond(c.resource_type, c.param, "pid"));
    }
    std::string subject = alias + (contained_ ? ".ck " : ".rid ");
    if (c.modifier == Modifier::kMissing) {
      return subject + (c.missing ? "NOT IN" : "IN") + " (SELECT " + RowKey() + " FROM " + table +
             " WHERE " + pids + ")";
    }
    std::string sub = ValueRows(c, table, pids);
    if (c.modifier != Modifier::kNot && c.modifier != Modifier::kOfType && !contained_) {
      rows_[&c] = MatchRows{sub, table, pids, branch_conds_};
    }
    return subject + (c.modifier == Modifier::kNot ? "NOT IN (" : "IN (") + sub + ")";
  }

  // The total of a query of one criterion, counted on the criterion's own index rows
  // instead of looking each match up in the resource table (rows exist only for live,
  // current versions, and a parameter id belongs to one type; so the number of distinct
  // rids is the total). On idx_token, with one branch: when every matching row has the
  // same (pid, code, system, text) as the first, each resource has at most one of them
  // (rows are de-duplicated per resource), and the rows are counted without DISTINCT:
  // two index-range counts. A query of _has criteria only (EXISTS on the (type, id) key)
  // counts over that key alone and subtracts the deleted resources that pass.
  // `type_bind`: the placeholder of the query's type; `conds`: its criteria's SQL.
  std::optional<std::string> FastCount(const search::SearchQuery& q, const std::string& type_bind,
                                       const std::string& conds) const {
    if (!q.compartment_patient.empty() || q.criteria.empty()) return std::nullopt;
    bool all_correlated = true;
    for (const Criterion& c : q.criteria) all_correlated &= IsCorrelated(c);
    if (all_correlated) {
      return "SELECT (SELECT COUNT(*) FROM resource r" + std::string(d_.type_id_index) +
             " WHERE r.type = " + type_bind + conds +
             ") - (SELECT COUNT(*) FROM resource r WHERE r.type = " + type_bind +
             " AND r.deleted = 1" + conds + ")";
    }
    if (q.criteria.size() != 1) return std::nullopt;
    // One full-text row per live resource, of the type the MATCH names.
    if (auto ft = fulltext_match_.find(&q.criteria.front()); ft != fulltext_match_.end()) {
      return "SELECT COUNT(*) FROM idx_fulltext WHERE idx_fulltext MATCH " + ft->second;
    }
    auto it = rows_.find(&q.criteria.front());
    if (it == rows_.end()) return std::nullopt;
    const MatchRows& m = it->second;
    std::string distinct = "SELECT COUNT(DISTINCT m.rid) FROM (" + m.sql + ") AS m";
    if (m.table != std::string_view("idx_token") || m.conds.size() != 1) return distinct;
    std::string match = " FROM idx_token WHERE " + m.pids + " AND (" + m.conds.front() + ")";
    return "SELECT CASE WHEN a.n = (SELECT COUNT(*) FROM idx_token WHERE (pid, code, system, "
           "text) = (SELECT pid, code, system, text" +
           match + " LIMIT 1)) THEN a.n ELSE (" + distinct + ") END FROM (SELECT COUNT(*) AS n" +
           match + ") AS a";
  }

  // A subquery giving the rids of the live resources of c.resource_type that satisfy `c`.
  // A positive indexed criterion reads its index rows alone (rows exist only for current,
  // live versions, and a parameter id belongs to one type); others read the resource table.
  Result<std::string> CriterionRids(const Criterion& c) {
    if (c.kind == Criterion::Kind::kIndexed && c.modifier != Modifier::kNot &&
        c.modifier != Modifier::kMissing && c.modifier != Modifier::kOfType &&
        !UnresolvedTerminology(c) && TableFor(c.type) != nullptr) {
      const char* table = c.modifier == Modifier::kIdentifier ? "idx_token" : TableFor(c.type);
      std::string pids;
      if (std::string_view(table) == "idx_reference") {
        HB_ASSIGN_OR_RETURN(pids, RefPidCond(c.resource_type, c.param, ""));
      } else {
        HB_ASSIGN_OR_RETURN(pids, PidCond(c.resource_type, c.param, "pid"));
      }
      return ValueRows(c, table, pids);
    }
    std::string b = NextAlias();
    HB_ASSIGN_OR_RETURN(std::string cond, CriterionSql(c, b));
    return "SELECT " + b + ".rid FROM resource " + b + " WHERE " +
           TypeTerm(b, std::span<const Criterion>(&c, 1), false) + Bind(c.resource_type) + " AND " +
           b + ".deleted = 0 AND " + cond;
  }

  // The criteria whose SQL is a correlated EXISTS (a _has driven from the outer rows),
  // which must not keep the planner off the type index (TypeTerm).
  bool IsCorrelated(const Criterion& c) const { return correlated_.count(&c) > 0; }

  // "<alias>.type = " or, when a criterion drives the query through a rid list,
  // "+<alias>.type = ": the unary + keeps the planner off the type index, so that it looks
  // rows up by rid instead of scanning the whole type. _id criteria need the (type, id) key.
  std::string TypeTerm(const std::string& alias, std::span<const Criterion> criteria,
                       bool driven) const {
    for (const Criterion& c : criteria) {
      if (c.kind != Criterion::Kind::kId && c.kind != Criterion::Kind::kLastUpdated &&
          c.kind != Criterion::Kind::kNot && !IsCorrelated(c)) {
        driven = true;
      }
    }
    for (const Criterion& c : criteria) {
      if (c.kind == Criterion::Kind::kId) driven = false;
    }
    std::string term = driven && d_.type_hint ? "+" : "";
    term += alias;
    term += ".type = ";
    return term;
  }

  // Whether the query whose criteria are being built has a criterion other than _has that
  // selects rows by index (then a _has is checked per candidate row: PartWhere).
  void SetOtherDriver(bool v) { other_driver_ = v; }

  // The rids of `table`'s rows of the parameter (`pids`) that match one of c's values: one
  // branch per value, joined by UNION ALL, so that each branch is an index range of its own
  // (an OR of values would make the planner scan the parameter's rows).
  std::string ValueRows(const Criterion& c, const char* table, const std::string& pids) {
    std::string sub;
    branch_conds_.clear();
    auto branch = [&](const std::string& cond) {
      sub += std::string(sub.empty() ? "" : " UNION ALL ") + "SELECT " + RowKey() +
             " AS rid FROM " + table + " WHERE " + pids + " AND (" + cond + ")";
      branch_conds_.push_back(cond);
    };
    // Token codes are grouped by system into one `code IN (...)` branch per system (a value
    // set expanded for :in may hold thousands of codes; each IN item is one index lookup).
    bool plain_token = c.type == ParamType::kToken && c.any_of.size() > 1 &&
                       (c.modifier == Modifier::kNone || c.modifier == Modifier::kNot);
    // system (nullopt: any) -> its codes, in the order first seen
    std::vector<std::pair<std::optional<std::string>, std::vector<const std::string*>>> groups;
    for (const SearchValue& v : c.any_of) {
      if (plain_token && v.token.code) {
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return g.first == v.token.system; });
        if (it == groups.end()) it = groups.insert(groups.end(), {v.token.system, {}});
        it->second.push_back(&*v.token.code);
        continue;
      }
      // `subject=Patient/123` matches a relative reference (target) or an absolute one (url):
      // one branch each, so that each reads its own index. `pid AND (target OR url)` made
      // SQLite read every row of the parameter (50 ms over 10,000 patients instead of 0.5).
      if (c.type == ParamType::kReference && c.modifier != Modifier::kIdentifier &&
          !v.ref_id.empty() && !v.text.empty()) {
        std::string target = "target_id = " + Bind(v.ref_id);
        if (!v.ref_type.empty()) target += " AND target_type = " + Bind(v.ref_type);
        branch(target);
        branch("url = " + Bind(v.text) + " AND url <> ''");
        continue;
      }
      branch(ValueCond(c, v));
    }
    for (const auto& [system, codes] : groups) {
      std::string cond;
      if (codes.size() == 1) {
        cond = "code = " + Bind(*codes.front());
      } else {
        for (const std::string* code : codes) cond += (cond.empty() ? "" : ", ") + Bind(*code);
        cond = "code IN (" + cond + ")";
      }
      if (system) cond += " AND system = " + Bind(*system);
      branch(cond);
    }
    return sub;
  }

  // ORDER BY term for a sort key on the resource row `alias`.
  Result<std::string> SortSql(const search::SortKey& k, std::string_view type,
                              const std::string& alias) {
    std::string dir = k.descending ? " DESC NULLS LAST" : " ASC NULLS LAST";
    if (k.param == "_id") return alias + ".id" + dir;
    if (k.param == "_lastUpdated") return alias + ".last_updated" + dir;
    if (k.type == ParamType::kSpecial) return NearSort(type, alias, k.descending);
    HB_ASSIGN_OR_RETURN(std::string pids, PidCond(type, k.param, "pid"));
    std::string agg = k.descending ? "MAX(" : "MIN(";
    std::string col;
    switch (k.type) {
      case ParamType::kString:
        col = "norm";
        break;
      case ParamType::kToken:
        col = "code";
        break;
      case ParamType::kDate:
        col = k.descending ? "high" : "low";
        break;
      case ParamType::kNumber:
      case ParamType::kQuantity:
        col = "key";
        break;
      case ParamType::kReference:
        col = "target_type || '/' || target_id";
        break;
      case ParamType::kUri:
        col = "uri";
        break;
      default:
        return Status(ErrorCode::kInvalidSearchParameter, "cannot sort on '" + k.param + "'");
    }
    // SQLite's NOT INDEXED: read the resource's rowid range, never scan the parameter's index.
    return "(SELECT " + agg + col + ") FROM " + TableFor(k.type) + d_.not_indexed + " WHERE " +
           RowsOf(alias) + " AND " + pids + ")" + dir;
  }

  // The point of the query's near criterion, which a sort by distance measures from.
  void SetNear(const SearchValue& v) { near_ = v; }

  // ORDER BY term: the distance (as the squared chord) from the near point to the closest
  // position of the resource row `alias`. The numbers are computed here, not user text,
  // and are written into the SQL so that the count statement needs no binds of its own.
  Result<std::string> NearSort(std::string_view type, const std::string& alias, bool descending) {
    if (!near_) {
      return Status(ErrorCode::kInvalidSearchParameter,
                    "sorting by near needs a near criterion (the point to measure from)");
    }
    HB_ASSIGN_OR_RETURN(int64_t pid, Pid(type, "near"));
    search::SpherePoint p = search::ToSphere(near_->latitude, near_->longitude);
    return "(SELECT MIN(" +
           SquaredChord(std::to_string(p.x), std::to_string(p.y), std::to_string(p.z)) +
           ") FROM idx_position" + d_.not_indexed + " WHERE " + RowsOf(alias) +
           " AND pid = " + std::to_string(pid) + ")" +
           (descending ? " DESC NULLS LAST" : " ASC NULLS LAST");
  }

 private:
  std::string NextAlias() { return Numbered('r', static_cast<size_t>(++aliases_)); }

  // _filter's and / or / not over the criteria in `inner` (search/filter_parser.h).
  Result<std::string> LogicSql(const Criterion& c, const std::string& alias) {
    if (c.inner.empty()) return Status(ErrorCode::kInvalidSearchParameter, "_filter: empty group");
    std::string out;
    const char* join = c.kind == Criterion::Kind::kOr ? " OR " : " AND ";
    for (const Criterion& inner : c.inner) {
      HB_ASSIGN_OR_RETURN(std::string cond, CriterionSql(inner, alias));
      out += (out.empty() ? "(" : join) + std::string("(") + cond + ")";
    }
    out += ")";
    return c.kind == Criterion::Kind::kNot ? "NOT " + out : out;
  }

  // _list=<id>,...: the resources the Lists hold in List.entry.item, found through the
  // Lists' own reference rows (by rowid range) and the (type, id) key.
  Result<std::string> ListSql(const Criterion& c, const std::string& alias) {
    HB_ASSIGN_OR_RETURN(std::string pids, PidCond("List", "item", "x.pid"));
    std::string ids;
    for (const SearchValue& v : c.any_of) ids += (ids.empty() ? "" : ", ") + Bind(v.text);
    std::string l = NextAlias(), t = NextAlias();
    return alias + ".rid IN (SELECT " + t + ".rid FROM resource " + l + " JOIN idx_reference x" +
           d_.not_indexed + " ON " + RowsOf(l, "x.") + " JOIN resource " + t + " ON " + t +
           ".type = x.target_type AND " + t + ".id = x.target_id WHERE " + l +
           ".type = " + Bind(std::string("List")) + " AND " + l + ".id IN (" + ids + ") AND " + l +
           ".deleted = 0 AND " + pids + " AND x.target_type = " + Bind(c.resource_type) + " AND " +
           t + ".deleted = 0)";
  }

  // Reference :above / :below: the ids of `v` and of its ancestors (above) or descendants
  // (below) along the target type's partof hierarchy, read level by level on the caller's
  // snapshot (at most 32 levels and 10,000 ids; cycles end by the set).
  std::vector<std::string> HierarchyIds(const SearchValue& v, bool above) {
    std::vector<std::string> all = {v.ref_id};
    std::string_view code = search::HierarchyParam(v.ref_type);
    auto pid = code.empty() ? Result<int64_t>(Status(ErrorCode::kInvalidSearchParameter, ""))
                            : Pid(v.ref_type, code);
    if (!pid.ok() || db_ == nullptr) return all;
    std::set<std::string> seen = {v.ref_id};
    std::vector<std::string> frontier = {v.ref_id};
    constexpr size_t kMaxIds = 10000;
    for (int level = 0; level < 32 && !frontier.empty() && seen.size() < kMaxIds; ++level) {
      std::vector<BindValue> binds = {v.ref_type};
      std::string in;
      for (std::string& id : frontier) {
        binds.emplace_back(std::move(id));
        in += (in.empty() ? "" : ", ") + Numbered(d_.placeholder, binds.size());
      }
      std::string type = Numbered(d_.placeholder, 1), p = std::to_string(*pid);
      std::string sql =
          above ? "SELECT hx.target_id FROM resource c JOIN idx_reference hx" +
                      std::string(d_.not_indexed) + " ON " + RowsOf("c", "hx.") +
                      " WHERE c.type = " + type + " AND c.id IN (" + in +
                      ") AND c.deleted = 0 AND hx.pid = " + p + " AND hx.target_type = " + type
                : "SELECT c.id FROM idx_reference hx JOIN resource c ON c.rid = " + Rid("hx.") +
                      " WHERE hx.pid = " + p + " AND hx.target_type = " + type +
                      " AND hx.target_id IN (" + in + ") AND c.deleted = 0";
      frontier.clear();
      for (std::string& id : db_->Strings(sql, binds)) {
        if (seen.size() >= kMaxIds) break;
        if (seen.insert(id).second) {
          all.push_back(id);
          frontier.push_back(std::move(id));
        }
      }
    }
    return all;
  }

  // near: a latitude band from the index, then the exact great-circle test on the chord
  // between unit-sphere points (integer arithmetic, the same in both dialects).
  std::string NearCond(const SearchValue& v) {
    double angle = std::min(v.distance_km / search::kEarthRadiusKm, std::numbers::pi);
    double band = angle * 180.0 / std::numbers::pi * 1e6 + 1;  // micro-degrees, rounded outwards
    auto lat_low = static_cast<int64_t>(std::max(-90e6, v.latitude * 1e6 - band));
    auto lat_high = static_cast<int64_t>(std::min(90e6, v.latitude * 1e6 + band));
    double chord = 2 * std::sin(angle / 2) * search::kSphereScale;
    auto limit = static_cast<int64_t>(std::ceil(chord * chord)) + 4;  // rounding of x, y, z
    search::SpherePoint p = search::ToSphere(v.latitude, v.longitude);
    std::string x = Bind(p.x), y = Bind(p.y), z = Bind(p.z);
    return "lat >= " + Bind(lat_low) + " AND lat <= " + Bind(lat_high) + " AND " +
           SquaredChord(x, y, z) + " <= " + Bind(limit);
  }

  // _text / _content: the full-text row of the resource (rowid = rid in SQLite's FTS5
  // table, a rid column on PostgreSQL) holds every word of one of the values
  // (search/fulltext.h). Words are [0-9a-z] and non-ASCII bytes only, so they need no
  // quoting beyond FTS5's "...". In FTS5 the type is a column of the row too: the index
  // itself keeps to the type (a name is also in the Encounters and Observations that
  // name the patient).
  Result<std::string> FullTextSql(const Criterion& c, const std::string& alias) {
    bool content = c.param == "_content";
    std::string query;
    for (const SearchValue& v : c.any_of) {
      std::string words;
      for (const std::string& word : search::SplitNonEmpty(v.text, ' ')) {
        if (d_.fts5) {
          words += (words.empty() ? "\"" : " AND \"") + word + "\"";
        } else {
          words += (words.empty() ? "" : " & ") + word;
        }
      }
      if (words.empty()) continue;
      query += (query.empty() ? "(" : d_.fts5 ? " OR (" : " | (") + words + ")";
    }
    if (query.empty()) return false_;
    if (d_.fts5) {
      query = "type : \"" + AsciiLower(c.resource_type) + "\" AND " +
              std::string(content ? "{narrative content}" : "narrative") + " : (" + query + ")";
      std::string match = Bind(query);
      fulltext_match_[&c] = match;
      return alias + ".rid IN (SELECT rowid FROM idx_fulltext WHERE idx_fulltext MATCH " + match +
             ")";
    }
    return alias + ".rid IN (SELECT rid FROM idx_fulltext WHERE " +
           (content ? "content" : "narrative") + " @@ to_tsquery('simple', " + Bind(query) + "))";
  }

  Result<std::string> ChainSql(const Criterion& c, const std::string& alias) {
    other_driver_ = false;  // a _has inside the chain selects the chain's targets alone
    HB_ASSIGN_OR_RETURN(std::string pids, RefPidCond(c.resource_type, c.param, ""));
    // One branch per target type, joined by UNION ALL rather than OR: each branch then
    // looks its target ids up in the (pid, target_id, target_type) index instead of
    // scanning every reference row of the parameter.
    std::string branches;
    for (const Criterion& inner : c.inner) {
      std::string b = NextAlias();
      HB_ASSIGN_OR_RETURN(std::string cond, CriterionSql(inner, b));
      std::string t = Bind(inner.resource_type);
      branches += branches.empty() ? "" : " UNION ALL ";
      branches += "SELECT " + Rid() + " FROM idx_reference WHERE " + pids +
                  " AND target_type = " + t + " AND target_id IN (SELECT " + b +
                  ".id FROM resource " + b + " WHERE " +
                  TypeTerm(b, std::span<const Criterion>(&inner, 1), false) + t + " AND " + b +
                  ".deleted = 0 AND " + cond + ")";
    }
    return alias + ".rid IN (" + branches + ")";
  }

  // _has:T:param:criterion — resources of c.resource_type that a live T matching the inner
  // criterion references through `param`. Two shapes (plans in docs/implementation/search.md):
  // - driven by the outer rows: EXISTS a reference row to the outer row (the (pid,
  //   target_id, target_type) index) whose resource is in the inner criterion's rid set
  //   (built once per statement). Chosen when another criterion already selects the outer
  //   rows, or when the inner set is at least as large as the outer type;
  // - driven by the referencing resources: their reference rows (read by rowid range)
  //   give target ids, the targets are found through the (type, id) key. Chosen when the
  //   inner set is the smaller one (a rare code among many patients).
  Result<std::string> HasSql(const Criterion& c, const std::string& alias) {
    const Criterion& inner = c.inner.front();
    std::string_view resolve_type;
    HB_ASSIGN_OR_RETURN(std::string pids,
                        PidCond(inner.resource_type, c.param, "x.pid", &resolve_type));
    if (!resolve_type.empty() && resolve_type != c.resource_type) return false_;
    bool outer_driven = other_driver_ || OuterIsSmaller(c);
    other_driver_ = false;  // nested criteria are judged on their own
    HB_ASSIGN_OR_RETURN(std::string rids, CriterionRids(inner));
    std::string target_type = Bind(c.resource_type);
    if (outer_driven) {
      correlated_.insert(&c);
      return "EXISTS (SELECT 1 FROM idx_reference x WHERE " + pids + " AND x.target_id = " + alias +
             ".id AND x.target_type = " + target_type + " AND " + Rid("x.") + " IN (" + rids + "))";
    }
    std::string t = NextAlias();
    return alias + ".rid IN (SELECT " + t + ".rid FROM resource " + t + " WHERE " + t +
           ".type = " + target_type + " AND " + t + ".id IN (SELECT x.target_id FROM (" + rids +
           ") AS o JOIN idx_reference x" + d_.not_indexed + " ON " + RowsOf("o", "x.") + " WHERE " +
           pids + " AND x.target_type = " + target_type + "))";
  }

  // Whether the live resources of c.resource_type are no more than those matching c's inner
  // criterion: two bounded counts (index-only for an indexed inner criterion), run with
  // their own binds. Cost: at most twice the smaller of the two counts of index entries.
  bool OuterIsSmaller(const Criterion& c) {
    if (db_ == nullptr) return false;
    SqlBuilder est(d_, params_, db_);
    auto rids = est.CriterionRids(c.inner.front());
    if (!rids.ok()) return false;
    auto count = [&](const std::string& sql, SqlBuilder& binds) -> int64_t {
      return db_->Count(sql, binds.binds());
    };
    constexpr int64_t kLimit = 200000;
    int64_t inner = count("SELECT COUNT(*) FROM (SELECT 1 FROM (" + *rids + ") AS i LIMIT " +
                              std::to_string(kLimit) + ") AS n",
                          est);
    if (inner < 0) return false;
    SqlBuilder outer_binds(d_, params_, db_);
    std::string type = outer_binds.Bind(c.resource_type);
    int64_t outer = count("SELECT COUNT(*) FROM (SELECT 1 FROM resource WHERE type = " + type +
                              " AND deleted = 0 LIMIT " + std::to_string(inner + 1) + ") AS n",
                          outer_binds);
    return outer >= 0 && outer <= inner;
  }

  // Date comparison of the search interval [v.low, v.high] with a target [lo, hi]
  // (R4 search §3.1.1.4.2 with ranges on both sides).
  std::string DateCond(const SearchValue& v, const std::string& lo, const std::string& hi) {
    std::string sl = Bind(v.low), sh = Bind(v.high);
    switch (v.prefix) {
      case Prefix::kEq:
        // `lo <= sh` is implied (lo <= hi), but bounds the index range from above too.
        return lo + " >= " + sl + " AND " + lo + " <= " + sh + " AND " + hi + " <= " + sh;
      case Prefix::kNe:
        return lo + " < " + sl + " OR " + hi + " > " + sh;
      case Prefix::kGt:
        return hi + " > " + sh;
      case Prefix::kLt:
        return lo + " < " + sl;
      case Prefix::kGe:
        return hi + " > " + sh + " OR (" + lo + " >= " + sl + " AND " + hi + " <= " + sh + ")";
      case Prefix::kLe:
        return lo + " < " + sl + " OR (" + lo + " >= " + sl + " AND " + hi + " <= " + sh + ")";
      case Prefix::kSa:
        return lo + " > " + sh;
      case Prefix::kEb:
        return hi + " < " + sl;
      case Prefix::kAp:
        return lo + " <= " + sh + " AND " + hi + " >= " + sl;
    }
    return false_;
  }

  // Number comparison on an order-preserving key column.
  std::string NumberCond(Prefix p, const std::string& col, const std::string& key,
                         const std::string& low, const std::string& high) {
    switch (p) {
      case Prefix::kEq:
        return col + " >= " + Bind(low) + " AND " + col + " < " + Bind(high);
      case Prefix::kNe:
        return col + " < " + Bind(low) + " OR " + col + " >= " + Bind(high);
      case Prefix::kGt:
      case Prefix::kSa:
        return col + " > " + Bind(key);
      case Prefix::kLt:
      case Prefix::kEb:
        return col + " < " + Bind(key);
      case Prefix::kGe:
        return col + " >= " + Bind(key);
      case Prefix::kLe:
        return col + " <= " + Bind(key);
      case Prefix::kAp:
        return col + " >= " + Bind(low) + " AND " + col + " <= " + Bind(high);
    }
    return false_;
  }

  // A UCUM quantity: in each UCUM unit of the same dimension the parameter holds, the
  // search range converted into that unit.
  std::string CanonicalQuantityCond(const Criterion& c, const SearchValue& v) {
    auto pids = PidCond(c.resource_type, c.param, "pid");
    if (!pids.ok() || db_ == nullptr) return false_;
    std::vector<BindValue> binds = {std::string(search::kUcumSystem), v.canonical_unit};
    std::vector<std::string> codes =
        db_->Strings("SELECT code FROM idx_quantity_unit WHERE " + *pids +
                         " AND system = " + Numbered(d_.placeholder, 1) +
                         " AND cunit = " + Numbered(d_.placeholder, 2),
                     binds);
    std::string out;
    for (const std::string& code : codes) {
      std::string key, low, high;
      if (!search::ConvertToUnit(v, code, &key, &low, &high)) continue;
      out += out.empty() ? "(" : " OR (";
      out += "system = " + Bind(std::string(search::kUcumSystem)) + " AND code = " + Bind(code) +
             " AND (" + NumberCond(v.prefix, "key", key, low, high) + "))";
    }
    return out.empty() ? false_ : out;
  }

  std::string TokenCond(const search::TokenValue& tv) {
    std::string cond;
    if (tv.code) cond = "code = " + Bind(*tv.code);
    if (tv.system)
      cond += (cond.empty() ? "" : " AND ") + std::string("system = ") + Bind(*tv.system);
    return cond;
  }

  // string :text: every word of `text` (folded, space-separated) begins the value or a
  // word of it, in any order ("van a" finds "lo van a"). Scans the parameter's index rows.
  std::string WordStartsCond(const std::string& text) {
    std::string cond;
    for (const std::string& w : search::SplitNonEmpty(text, ' ')) {
      std::string word = LikeEscape(w);
      cond += (cond.empty() ? "(" : " AND (") + std::string("norm LIKE ") + Bind(word + "%") +
              " ESCAPE '\\' OR norm LIKE " + Bind("% " + word + "%") + " ESCAPE '\\')";
    }
    return cond.empty() ? false_ : cond;
  }

  std::string PrefixCond(const std::string& col, const std::string& prefix) {
    std::string upper = search::PrefixUpperBound(prefix);
    if (upper.empty()) return col + " >= " + Bind(prefix);
    return col + " >= " + Bind(prefix) + " AND " + col + " < " + Bind(std::move(upper));
  }

  // A composite value on idx_composite's columns (migrations 7 and 8): the first
  // component a token or a reference (s1, c1: the (pid, c1, s1) index), the second and a
  // third each in the columns of its type.
  std::string CompositeCond(const Criterion& c, const SearchValue& v) {
    size_t n = c.component_types.size();
    if ((n != 2 && n != 3) || v.parts.size() != n) return false_;
    std::string cond;
    for (size_t i = 0; i < n; ++i) {
      std::string part = ComponentCond(c.component_types[i], v.parts[i], std::to_string(i + 1));
      if (part.empty() || part == false_) return false_;
      cond += part;
    }
    return cond.substr(std::string_view(" AND ").size());
  }

  // " AND <condition>" on the columns of component `k` ("1", "2" or "3": s2, c2, key2, low2,
  // high2; the first is a token or a reference).
  std::string ComponentCond(ParamType type, const SearchValue& b, const std::string& k) {
    std::string cond;
    switch (type) {
      case ParamType::kToken:
        if (b.token.code) cond += " AND c" + k + " = " + Bind(*b.token.code);
        if (b.token.system) cond += " AND s" + k + " = " + Bind(*b.token.system);
        return cond;
      case ParamType::kQuantity:
        cond += " AND (" + NumberCond(b.prefix, "key" + k, b.key, b.low_key, b.high_key) + ")";
        if (!b.system.empty()) cond += " AND s" + k + " = " + Bind(b.system);
        if (!b.code.empty()) cond += " AND c" + k + " = " + Bind(b.code);
        return cond;
      case ParamType::kNumber:
        return " AND (" + NumberCond(b.prefix, "key" + k, b.key, b.low_key, b.high_key) + ")";
      case ParamType::kDate:
        return " AND (" + DateCond(b, "low" + k, "high" + k) + ")";
      case ParamType::kString:
        return " AND (" + PrefixCond("c" + k, b.text) + ")";
      case ParamType::kUri:
        return " AND c" + k + " = " + Bind(b.text);
      case ParamType::kReference:  // the target's type and id, or "" and the URL
        if (!b.ref_id.empty()) {
          cond = " AND c" + k + " = " + Bind(b.ref_id);
          if (!b.ref_type.empty()) cond += " AND s" + k + " = " + Bind(b.ref_type);
          return cond;
        }
        if (b.text.empty()) return false_;
        return " AND c" + k + " = " + Bind(b.text) + " AND s" + k + " = ''";
      default:
        return false_;
    }
  }

  std::string ValueCond(const Criterion& c, const SearchValue& v) {
    switch (c.type) {
      case ParamType::kString:
        if (c.modifier == Modifier::kExact) return "exact = " + Bind(v.text);
        if (c.modifier == Modifier::kEquals) {  // _filter eq gt lt ge le on the folded value
          const char* op = v.prefix == Prefix::kGt   ? " > "
                           : v.prefix == Prefix::kLt ? " < "
                           : v.prefix == Prefix::kGe ? " >= "
                           : v.prefix == Prefix::kLe ? " <= "
                                                     : " = ";
          return "norm" + std::string(op) + Bind(v.text);
        }
        if (c.modifier == Modifier::kEndsWith) {
          return "norm LIKE " + Bind("%" + LikeEscape(v.text)) + " ESCAPE '\\'";
        }
        if (c.modifier == Modifier::kContains) {
          return "norm LIKE " + Bind("%" + LikeEscape(v.text) + "%") + " ESCAPE '\\'";
        }
        if (c.modifier == Modifier::kText) return WordStartsCond(v.text);
        return PrefixCond("norm", v.text);
      case ParamType::kToken:
        if (c.modifier == Modifier::kText) {
          return "(" + PrefixCond("text", v.text) + ") OR text LIKE " +
                 Bind("% " + LikeEscape(v.text) + "%") + " ESCAPE '\\'";
        }
        if (c.modifier == Modifier::kOfType) {
          return "type_system = " + Bind(*v.token.system) +
                 " AND type_code = " + Bind(*v.token.code) + " AND value = " + Bind(v.text);
        }
        return TokenCond(v.token);
      case ParamType::kDate:
        return DateCond(v, "low", "high");
      case ParamType::kNumber:
        return NumberCond(v.prefix, "key", v.key, v.low_key, v.high_key);
      case ParamType::kQuantity: {
        if (v.canonical) return CanonicalQuantityCond(c, v);
        std::string cond = "(" + NumberCond(v.prefix, "key", v.key, v.low_key, v.high_key) + ")";
        if (!v.system.empty()) {
          cond += " AND system = " + Bind(v.system) + " AND code = " + Bind(v.code);
        } else if (!v.code.empty()) {
          std::string code = Bind(v.code);
          cond += " AND (code = " + code + " OR unit = " + code + ")";
        }
        return cond;
      }
      case ParamType::kReference: {
        if (c.modifier == Modifier::kIdentifier) return TokenCond(v.token);
        if (c.modifier == Modifier::kAbove || c.modifier == Modifier::kBelow) {
          std::string in;
          for (const std::string& id : HierarchyIds(v, c.modifier == Modifier::kAbove)) {
            in += (in.empty() ? "" : ", ") + Bind(id);
          }
          return "target_type = " + Bind(v.ref_type) + " AND target_id IN (" + in + ")";
        }
        std::string cond;
        if (!v.ref_id.empty()) {
          cond = "target_id = " + Bind(v.ref_id);
          if (!v.ref_type.empty()) cond += " AND target_type = " + Bind(v.ref_type);
        }
        if (!v.text.empty()) {
          std::string url = "(url = " + Bind(v.text) + " AND url <> '')";
          cond = cond.empty() ? url : "(" + cond + ") OR " + url;
        }
        return cond.empty() ? false_ : cond;
      }
      case ParamType::kComposite:
        return CompositeCond(c, v);
      case ParamType::kSpecial:
        return NearCond(v);
      case ParamType::kUri:
        if (c.modifier == Modifier::kBelow) return PrefixCond("uri", v.text);
        if (c.modifier == Modifier::kAbove) {
          return "uri <> '' AND substr(" + Bind(v.text) + ", 1, length(uri)) = uri";
        }
        return "uri = " + Bind(v.text);
      default:
        return false_;
    }
  }

  const Dialect& d_;
  const ParamIds& params_;
  SqlLookups* db_;
  std::vector<BindValue> binds_;
  const std::string false_;
  int aliases_ = 0;
  std::set<const Criterion*> correlated_;  // _has criteria built as EXISTS (outer-driven)
  std::optional<SearchValue> near_;        // the near criterion's point, for a distance sort
  // The index rows a positive indexed criterion matches (for FastCount): the rid
  // subquery, its table and pid condition, and each UNION ALL branch's value condition.
  struct MatchRows {
    std::string sql;
    const char* table;
    std::string pids;
    std::vector<std::string> conds;
  };
  std::map<const Criterion*, MatchRows> rows_;
  std::vector<std::string> branch_conds_;  // of the latest ValueRows
  std::map<const Criterion*, std::string> fulltext_match_;  // FTS5: the MATCH placeholder
  bool other_driver_ = false;
  bool contained_ = false;  // SetContained
};

constexpr const char* kSelectCurrent =
    "SELECT r.type, r.id, r.version, r.last_updated, v.method, v.json FROM resource r JOIN "
    "version v ON v.rid = r.rid AND v.version = r.version";

}  // namespace

namespace {

// The WHERE condition (without "WHERE") that selects the current, live resources of one
// single-type query. `type_bind` and `conds_out` (may be null) receive the placeholder of
// the type and the criteria's SQL (" AND ..." each), for SqlBuilder::FastCount.
Result<std::string> PartWhere(SqlBuilder& b, const search::SearchQuery& q,
                              std::string* type_bind = nullptr, std::string* conds_out = nullptr) {
  // With criteria, `+r.type` keeps the planner off the type index, so that an index-backed
  // criterion drives (rowid lookups from its rid list) instead of a scan of the whole type.
  // The criteria first: a _has decides its shape there (TypeTerm depends on it). It is
  // checked per candidate row when something else selects the rows.
  bool other_driver = !q.compartment_patient.empty();
  for (const Criterion& c : q.criteria) {
    if (c.kind != Criterion::Kind::kHas && c.kind != Criterion::Kind::kLastUpdated &&
        c.modifier != Modifier::kNot && c.modifier != Modifier::kMissing) {
      other_driver = true;
    }
  }
  std::string conds;
  for (const Criterion& c : q.criteria) {
    b.SetOtherDriver(other_driver);
    HB_ASSIGN_OR_RETURN(std::string cond, b.CriterionSql(c, "r"));
    conds += " AND " + cond;
  }
  std::string type = b.Bind(q.type);
  if (type_bind) *type_bind = type;
  if (conds_out) *conds_out = conds;
  std::string where =
      b.TypeTerm("r", q.criteria, !q.compartment_patient.empty()) + type + " AND r.deleted = 0";
  if (!q.compartment_patient.empty()) {
    where += " AND r.rid IN (SELECT rid FROM compartment_patient WHERE patient_id = " +
             b.Bind(q.compartment_patient) + ")";
  }
  return where + conds;
}

std::string Page(const search::SearchQuery& q) {
  return " LIMIT " + std::to_string(q.count) + " OFFSET " + std::to_string(q.offset);
}

// _contained=true|both (search/contained.h). The contained resources of the type that
// match: its marker rows (idx_token, pids -1 .. -(kContainedSlots - 1), system = the type)
// with each criterion as a key list on the contained rows' pids. Containers are returned
// as resources (`_containedType=container`), or each contained match as a row whose id is
// "<container id>#<contained id>" with its container's JSON (`contained`: rest/search_op
// cuts the contained resource out). With `both`, the type's own matches join them.
Result<SearchSql> BuildContainedSearch(SqlBuilder& b, const search::SearchQuery& q) {
  if (!q.compartment_patient.empty()) {
    return Status(ErrorCode::kInvalidSearchParameter,
                  "_contained=true|both is not supported in a compartment search");
  }
  for (const search::SortKey& k : q.sort) {
    if ((k.param != "_id" && k.param != "_lastUpdated") || q.contained_type_contained) {
      return Status(ErrorCode::kInvalidSearchParameter,
                    "with _contained=true|both, _sort takes only _id and _lastUpdated (of the "
                    "container), and none with _containedType=contained");
    }
  }
  const std::string slots = std::to_string(search::kContainedSlots);
  b.SetContained(true);
  std::string conds;
  for (const Criterion& c : q.criteria) {
    auto cond = b.CriterionSql(c, "m");
    if (!cond.ok()) {
      b.SetContained(false);
      return cond.status();
    }
    conds += (conds.empty() ? " WHERE " : " AND ") + *cond;
  }
  std::string keys = "SELECT m.ck AS ck, m.cid AS cid FROM (SELECT " + b.RowKey() +
                     " AS ck, code AS cid FROM idx_token WHERE pid BETWEEN -" +
                     std::to_string(search::kContainedSlots - 1) + " AND -1 AND system = " +
                     b.Bind(q.type) + ") AS m" + conds;
  b.SetContained(false);
  bool both = q.contained == search::Contained::kBoth;
  std::string own;  // the type's own matches (both)
  if (both) {
    HB_ASSIGN_OR_RETURN(own, PartWhere(b, q));
  }
  if (!q.contained_type_contained) {
    std::string where = "r.deleted = 0 AND r.rid IN (SELECT k.ck / " + slots + " FROM (" + keys +
                        ") AS k)";
    if (both) where = "((" + own + ") OR (" + where + "))";
    std::string order;
    for (const search::SortKey& k : q.sort) {
      HB_ASSIGN_OR_RETURN(std::string term, b.SortSql(k, "", "r"));
      order += term + ", ";
    }
    order += "r.rid";
    std::string page = std::string(kSelectCurrent) +
                       " WHERE r.rid IN (SELECT r.rid FROM resource r WHERE " + where +
                       " ORDER BY " + order + Page(q) + ") ORDER BY " + order;
    return SearchSql{"SELECT COUNT(*) FROM resource r WHERE " + where, page,
                     std::move(b.binds()), false};
  }
  std::string rows = "SELECT k.ck AS ck, k.cid AS cid FROM (" + keys + ") AS k";
  if (both) {
    rows = "SELECT r.rid * " + slots + " AS ck, NULL AS cid FROM resource r WHERE " + own +
           " UNION ALL " + rows;
  }
  std::string from = " FROM (" + rows + ") AS u JOIN resource r ON r.rid = u.ck / " + slots;
  std::string page =
      "SELECT r.type, CASE WHEN u.cid IS NULL THEN r.id ELSE r.id || '#' || u.cid END, "
      "r.version, r.last_updated, v.method, v.json" +
      from + " JOIN version v ON v.rid = r.rid AND v.version = r.version WHERE r.deleted = 0 " +
      "ORDER BY u.ck" + Page(q);
  return SearchSql{"SELECT COUNT(*)" + from + " WHERE r.deleted = 0", page, std::move(b.binds()),
                   false};
}

// Several types: a UNION ALL of each part's rids (with the shared sort columns), then one
// join to fetch the page's rows, so that only the page's JSON is read.
Result<SearchSql> BuildMultiSearch(SqlBuilder& b, const search::SearchQuery& q) {
  std::vector<std::string> wheres;
  // Parts without criteria that share a compartment become one `r.type IN (...)` branch:
  // one pass over the compartment's rows instead of one per type ($everything, Patient/x/*).
  std::map<std::string, std::vector<std::string>> plain;  // compartment -> types
  for (const search::SearchQuery& part : q.parts) {
    if (part.criteria.empty()) {
      plain[part.compartment_patient].push_back(part.type);
      continue;
    }
    HB_ASSIGN_OR_RETURN(std::string where, PartWhere(b, part));
    wheres.push_back(std::move(where));
  }
  for (const auto& [patient, types] : plain) {
    std::string list;
    for (const std::string& t : types) list += (list.empty() ? "" : ", ") + b.Bind(t);
    std::string where =
        (patient.empty() || !b.dialect().type_hint ? "r.type IN (" : "+r.type IN (") + list +
        ") AND r.deleted = 0";
    if (!patient.empty()) {
      where += " AND r.rid IN (SELECT rid FROM compartment_patient WHERE patient_id = " +
               b.Bind(patient) + ")";
    }
    wheres.push_back(std::move(where));
  }
  std::string rids, counts;
  for (const std::string& where : wheres) {
    rids += std::string(rids.empty() ? "" : " UNION ALL ") +
            "SELECT r.rid AS rid, r.id AS id, r.last_updated AS last_updated FROM resource r "
            "WHERE " +
            where;
    counts += std::string(counts.empty() ? "" : " + ") + "(SELECT COUNT(*) FROM resource r WHERE " +
              where + ")";
  }
  if (q.parts.empty()) {
    SearchSql none;
    none.empty = true;
    return none;
  }
  std::string order;
  for (const search::SortKey& k : q.sort) {
    if (k.param != "_id" && k.param != "_lastUpdated") {
      return Status(
          ErrorCode::kInvalidSearchParameter,
          "a search over several types sorts by _id or _lastUpdated only, not '" + k.param + "'");
    }
    HB_ASSIGN_OR_RETURN(std::string term, b.SortSql(k, "", "u"));
    order += term + ", ";
  }
  order += "u.rid";
  std::string page = std::string(kSelectCurrent) + " JOIN (" + rids +
                     ") u ON u.rid = r.rid ORDER BY " + order + Page(q);
  return SearchSql{"SELECT " + counts, page, std::move(b.binds()), false};
}

}  // namespace

const Dialect& SqliteDialect() {
  static const Dialect d{'?',  SqliteIndexRid, SqliteRowsOf, true, " NOT INDEXED", "0",
                         " INDEXED BY sqlite_autoindex_resource_1", true};
  return d;
}

const Dialect& PostgresDialect() {
  static const Dialect d{'$', PgIndexRid, PgRowsOf, false, "", "false", "", false};
  return d;
}

Result<SearchSql> BuildSearch(const Dialect& d, const ParamIds& params, SqlLookups* lookups,
                              const search::SearchQuery& q) {
  SqlBuilder b(d, params, lookups);
  if (q.type.empty()) {
    bool contained = q.contained != search::Contained::kFalse;
    for (const search::SearchQuery& part : q.parts) contained |= part.contained != search::Contained::kFalse;
    if (contained) {
      return Status(ErrorCode::kInvalidSearchParameter,
                    "_contained=true|both needs a resource type (not a system search)");
    }
    return BuildMultiSearch(b, q);
  }
  if (q.contained != search::Contained::kFalse) return BuildContainedSearch(b, q);
  std::string type_bind, conds;
  HB_ASSIGN_OR_RETURN(std::string where, PartWhere(b, q, &type_bind, &conds));
  std::string order;
  // A near search is sorted by distance unless _sort says otherwise (_sort=near does too).
  const search::SearchValue* near = nullptr;
  for (const Criterion& c : q.criteria) {
    if (c.kind == Criterion::Kind::kIndexed && c.type == ParamType::kSpecial &&
        c.modifier == Modifier::kNone && !c.any_of.empty() && near == nullptr) {
      near = &c.any_of.front();
    }
  }
  if (near != nullptr) b.SetNear(*near);
  if (near != nullptr && q.sort.empty()) {
    HB_ASSIGN_OR_RETURN(std::string term, b.NearSort(q.type, "r", false));
    order += term + ", ";
  }
  for (const search::SortKey& k : q.sort) {
    HB_ASSIGN_OR_RETURN(std::string term, b.SortSql(k, q.type, "r"));
    order += term + ", ";
  }
  order += "r.rid";
  // The page's rids first (from the indexes alone), then their JSON: sorting or skipping
  // rows with their JSON attached would read every matching resource's JSON for each page.
  std::string page = std::string(kSelectCurrent) +
                     " WHERE r.rid IN (SELECT r.rid FROM resource r WHERE " + where + " ORDER BY " +
                     order + Page(q) + ") ORDER BY " + order;
  std::string count = b.FastCount(q, type_bind, conds).value_or("SELECT COUNT(*) FROM resource r WHERE " + where);
  return SearchSql{std::move(count), page, std::move(b.binds()), false};
}

Result<IncludeSql> BuildInclude(const Dialect& d, const ParamIds& params,
                                const search::IncludeSpec& spec,
                                const std::vector<ResourceKey>& from, int limit) {
  IncludeSql out;
  out.empty = true;
  SqlBuilder b(d, params, nullptr);
  // The reference parameters the include follows (their own rows; an alias reads its
  // bases' rows, limited to its resolve() type).
  std::string pids;
  std::string_view resolve_type;
  const auto& registry = search::ParamRegistry::Default();
  if (spec.param == "*") {
    for (const search::RegisteredParam* p : registry.IndexedFor(spec.source_type)) {
      if (p->type != ParamType::kReference) continue;
      auto it = params.find(ParamKey(spec.source_type, p->code));
      if (it != params.end()) pids += (pids.empty() ? "" : ", ") + std::to_string(it->second);
    }
    if (pids.empty() || from.empty()) return out;
    pids = "x.pid IN (" + pids + ")";
  } else {
    if (from.empty()) return out;
    HB_ASSIGN_OR_RETURN(pids, b.PidCond(spec.source_type, spec.param, "x.pid", &resolve_type));
  }
  std::string target_type = spec.target_type;
  if (!resolve_type.empty()) {
    if (!target_type.empty() && target_type != resolve_type) return out;
    target_type = std::string(resolve_type);
  }
  std::string sql;
  if (!spec.reverse) {
    std::string ids;
    for (const ResourceKey& k : from) {
      if (k.type == spec.source_type) ids += (ids.empty() ? "" : ", ") + b.Bind(k.id);
    }
    if (ids.empty()) return out;
    std::string target =
        target_type.empty() ? std::string() : " AND x.target_type = " + b.Bind(target_type);
    sql = std::string(kSelectCurrent) +
          " WHERE r.deleted = 0 AND (r.type, r.id) IN (SELECT x.target_type, x.target_id FROM "
          "resource s JOIN idx_reference x" +
          d.not_indexed + " ON " + b.RowsOf("s", "x.") +
          " WHERE s.type = " + b.Bind(spec.source_type) + " AND s.id IN (" + ids + ") AND " + pids +
          " AND x.target_id <> ''" + target + ")";
  } else {
    std::map<std::string_view, std::string> ids_by_type;
    for (const ResourceKey& k : from) {
      if (!target_type.empty() && k.type != target_type) continue;
      std::string& ids = ids_by_type[k.type];
      ids += (ids.empty() ? "" : ", ") + b.Bind(k.id);
    }
    std::string conds;
    for (const auto& [type, ids] : ids_by_type) {
      conds += std::string(conds.empty() ? "" : " OR ") + "(x.target_id IN (" + ids +
               ") AND x.target_type = " + b.Bind(std::string(type)) + ")";
    }
    if (conds.empty()) return out;
    sql = std::string(kSelectCurrent) + " WHERE r.type = " + b.Bind(spec.source_type) +
          " AND r.deleted = 0 AND r.rid IN (SELECT " + b.Rid("x.") +
          " FROM idx_reference x WHERE " + pids + " AND (" + conds + "))";
  }
  sql += " ORDER BY r.rid LIMIT " + std::to_string(limit);
  out.sql = std::move(sql);
  out.binds = std::move(b.binds());
  out.empty = false;
  return out;
}

}  // namespace hb::storage::sql
