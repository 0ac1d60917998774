// Named queries (`_query`, R4 search §3.1.1.5.11 / §3.1.1.6): a search the server defines
// once and clients invoke by name, `GET [base]/Encounter?_query=kham-ngoai-tru-trong-ngay&
// facility=Organization/org-a`. The spec has a server declare each one as an
// OperationDefinition with kind = query (listed under CapabilityStatement.rest.resource.
// operation); its `in` parameters are the query's own parameters.
//
// Here a named query is data: an OperationDefinition (kind query, `resource` the types it
// runs on, type = true) whose extension
//   http://healthbook.vn/fhir/StructureDefinition/named-query-criteria (valueString)
// holds the search it stands for, in URL form, with `{{name}}` for the value of a query
// parameter and `{{name:today}}` for one that defaults to today's date in Vietnam
// (UTC+07:00): "status=arrived,triaged&date={{date:today}}&service-provider={{facility}}".
// Each parameter is declared with its searchType (string, token, reference, date, number,
// quantity, uri), min 0|1 and max 1|*; repeated values of a max = * parameter are ORed.
// A `key=value` pair of the criteria whose placeholder names an optional parameter that
// was not given is left out. In a `_filter` value a placeholder must be inside a
// double-quoted string (a date or number one may stand bare) and takes one value, escaped
// by the _filter string rules (`\` and `"`), so that it cannot end the string. The criteria
// are parsed by the search engine like any query (strictly: they are the server's own), and
// ANDed with ordinary search parameters given alongside `_query`; the result parameters
// they give (_sort, _count, _summary, _elements, _total, _contained...) apply unless the
// request gives its own.
//
// Sources: the built-in Vietnamese ones in resources/fhir/vn/OperationDefinition-*.json
// (linked into the binary), then <data>/named-queries/*.json; NamedQueries::Configure
// takes them at start-up. A definition that is malformed, names an unknown type, a
// placeholder it does not declare, a bare `_filter` placeholder, or a search parameter its
// types do not have is an error
// naming the file (the server does not start). Docs: docs/implementation/search.md.
//
// Thread-safety: Configure before first use; afterwards immutable and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace hb::search {

inline constexpr std::string_view kNamedQueryCriteriaUrl =
    "http://healthbook.vn/fhir/StructureDefinition/named-query-criteria";

struct NamedQueryParam {
  std::string name;
  std::string search_type;  // string token reference date number quantity uri
  int min = 0;
  bool repeats = false;  // max = *
  std::string documentation;
};

struct NamedQuery {
  std::string code;   // the _query value
  std::string url;    // the OperationDefinition's canonical URL
  std::string title;  // OperationDefinition.title (or name)
  std::vector<std::string> types;
  std::vector<NamedQueryParam> params;
  // The criteria: `key=value` pairs, the values with their placeholders.
  std::vector<std::pair<std::string, std::string>> criteria;
  std::string source;  // file, for messages
  std::string json;    // the OperationDefinition as read, served at /fhir/OperationDefinition
};

// One OperationDefinition (JSON text) with kind = query.
Result<NamedQuery> ParseNamedQuery(std::string_view json, std::string_view source);

// The built-in ones, then every *.json in `dir` (sorted; a missing folder is no error).
// Two queries with one code on one type are an error.
Result<std::vector<NamedQuery>> LoadNamedQueries(const std::string& dir);

class NamedQueries {
 public:
  // The configured queries, or the built-in ones when Configure was not called.
  static const NamedQueries& Default();
  // Must come before Default() is first used; later, the same set again is accepted, a
  // different one is kConflict. `utc_offset_minutes` is the deployment's local time
  // (reception.utc_offset_minutes): the day `{{x:today}}` means.
  static Status Configure(std::vector<NamedQuery> queries, int utc_offset_minutes);
  static constexpr int kDefaultUtcOffsetMinutes = 420;  // Vietnam, UTC+07:00, no DST

  const NamedQuery* Find(std::string_view type, std::string_view code) const;
  std::vector<const NamedQuery*> ForType(std::string_view type) const;
  const std::vector<NamedQuery>& All() const;
  int utc_offset_minutes() const { return utc_offset_minutes_; }

 private:
  NamedQueries(std::vector<NamedQuery> q, int utc_offset_minutes)
      : queries_(std::move(q)), utc_offset_minutes_(utc_offset_minutes) {}
  std::vector<NamedQuery> queries_;
  int utc_offset_minutes_;
};

// The search parameters a named query stands for on `type`, from the query-string pairs
// of a request: `args` are the request's parameters other than _query; those the query
// declares are consumed (removed from `args`) and validated (a missing required one, a
// repeated single one, an empty or malformed value: kInvalidSearchParameter naming the
// query and the parameter). `now_micros` (0: the clock) at `utc_offset_minutes` gives
// today's date for `{{x:today}}`.
Result<std::vector<std::pair<std::string, std::string>>> ExpandNamedQuery(
    const NamedQuery& q, std::vector<std::pair<std::string, std::string>>* args,
    int64_t now_micros, int utc_offset_minutes);

}  // namespace hb::search
