#include "rest/terminology_source.h"

#include "search/query_parser.h"

namespace hb::rest {

search::CanonicalSource StoreCanonicalSource(storage::ReadTxn& txn) {
  return [&txn](std::string_view type,
                std::string_view url) -> Result<std::optional<search::CanonicalResource>> {
    std::string value;  // the URL as a search value: `\` and `,` escaped
    for (char c : url) {
      if (c == '\\' || c == ',') value += '\\';
      value += c;
    }
    search::QueryParams params{{"url", value}, {"_sort", "-_lastUpdated"}};
    HB_ASSIGN_OR_RETURN(search::SearchQuery q,
                        search::ParseSearch(type, params, {.strict = true, .default_count = 1}));
    q.count = 1;
    q.total = false;
    HB_ASSIGN_OR_RETURN(storage::SearchResult r, txn.Search(q));
    if (!r.matches.empty()) {
      storage::ResourceVersion& v = r.matches.front();
      std::string key = v.type + "/" + v.id + "/" + std::to_string(v.version);
      return std::optional<search::CanonicalResource>(
          search::CanonicalResource{std::move(v.json), std::move(key)});
    }
    if (type == "CodeSystem") return search::BuiltinCodeSystem(url);
    return std::optional<search::CanonicalResource>();
  };
}

Result<const search::SearchQuery*> WithTerminology(storage::ReadTxn& txn,
                                                   const search::SearchQuery& q,
                                                   search::SearchQuery& scratch) {
  if (!search::NeedsTerminology(q)) return &q;
  scratch = q;
  search::Terminology terminology(StoreCanonicalSource(txn));
  HB_RETURN_IF_ERROR(search::ResolveTerminology(scratch, terminology));
  return &scratch;
}

}  // namespace hb::rest
