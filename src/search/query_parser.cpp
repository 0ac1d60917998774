#include "search/query_parser.h"

#include <algorithm>
#include <charconv>

#include "fhir/model.h"
#include "search/criterion_parser.h"
#include "search/filter_parser.h"
#include "search/named_query.h"
#include "search/special_params.h"
#include "search/text_fold.h"

namespace hb::search {

namespace {

using internal::SplitOr;

Result<int64_t> ParseInt(std::string_view name, std::string_view v, int64_t min) {
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < min) {
    return Status(ErrorCode::kInvalidSearchParameter,
                  "parameter " + std::string(name) + " must be an integer >= " +
                      std::to_string(min) + ", got '" + std::string(v) + "'");
  }
  return out;
}

Status Unsupported(std::string_view name, std::string_view why) {
  return Status(ErrorCode::kInvalidSearchParameter,
                "search parameter '" + std::string(name) + "' " + std::string(why));
}

// A sortable parameter of `type`: _id, _lastUpdated or an indexed non-composite one.
const RegisteredParam* Sortable(std::string_view type, std::string_view code) {
  const RegisteredParam* p = ParamRegistry::Default().Find(type, code);
  if (p == nullptr || p->storage == Storage::kUnsupported || p->storage == Storage::kFullText) {
    return nullptr;
  }
  return p;
}

// _include / _revinclude value: Source:param[:Target], Source:*, or * (include only).
Result<std::optional<IncludeSpec>> ParseInclude(std::string_view search_type, std::string_view name,
                                                std::string_view value, bool reverse,
                                                bool iterate) {
  IncludeSpec spec;
  spec.reverse = reverse;
  spec.iterate = iterate;
  if (value == "*") {
    if (reverse) return Unsupported(name, "takes Type:parameter (or Type:*)");
    spec.source_type = std::string(search_type);
    spec.param.assign(1, '*');
    return std::optional<IncludeSpec>(std::move(spec));
  }
  size_t c1 = value.find(':');
  if (c1 == std::string_view::npos) {
    return Unsupported(name, "takes Type:parameter[:TargetType], got '" + std::string(value) + "'");
  }
  std::string_view source = value.substr(0, c1);
  std::string_view rest = value.substr(c1 + 1);
  std::string_view target;
  if (size_t c2 = rest.find(':'); c2 != std::string_view::npos) {
    target = rest.substr(c2 + 1);
    rest = rest.substr(0, c2);
  }
  const fhir::Model& model = fhir::Model::R4();
  if (!model.IsResourceType(source) || (!target.empty() && !model.IsResourceType(target))) {
    return Unsupported(name, "names an unknown resource type in '" + std::string(value) + "'");
  }
  if (rest != "*") {
    const RegisteredParam* p = ParamRegistry::Default().Find(source, rest);
    if (p == nullptr || p->type != ParamType::kReference || p->storage != Storage::kIndexed) {
      return std::optional<IncludeSpec>();  // unknown: strict or lenient handling
    }
  }
  spec.source_type = std::string(source);
  spec.param = std::string(rest);
  spec.target_type = std::string(target);
  return std::optional<IncludeSpec>(std::move(spec));
}

}  // namespace

std::vector<const RegisteredParam*> SupportedParameters(std::string_view type) {
  std::vector<const RegisteredParam*> out;
  for (const RegisteredParam& p : ParamRegistry::Default().ForType(type)) {
    if (p.storage != Storage::kUnsupported) out.push_back(&p);
  }
  return out;
}

namespace {

// ParseSearch without _query.
Result<SearchQuery> ParsePlain(std::string_view type, const QueryParams& params,
                               const ParseOptions& options) {
  SearchQuery q;
  q.type = std::string(type);
  q.count = options.default_count;
  auto unknown = [&](std::string_view raw, std::string_view why) -> Status {
    if (options.strict) return Unsupported(raw, why);
    return Status::Ok();  // lenient: ignored, and left out of the self link
  };
  for (const auto& [raw_name, value] : params) {
    std::string_view name = raw_name;
    std::string_view modifier;
    if (!name.starts_with("_has:")) {
      if (auto colon = name.find(':'); colon != std::string_view::npos && name[0] == '_') {
        modifier = name.substr(colon + 1);
        name = name.substr(0, colon);
      }
    }
    if (name == "_format" || name == "_pretty") continue;
    if (name == "_count") {
      HB_ASSIGN_OR_RETURN(int64_t n, ParseInt(name, value, 0));
      q.count = static_cast<int>(std::min<int64_t>(n, options.max_count));
      q.canonical.emplace_back("_count", std::to_string(q.count));
      continue;
    }
    if (name == "_offset") {
      HB_ASSIGN_OR_RETURN(q.offset, ParseInt(name, value, 0));
      continue;  // paging state: the bundle links set it themselves
    }
    if (name == "_total") {
      if (value == "none") {
        q.total = false;
      } else if (value != "accurate" && value != "estimate") {
        return Unsupported(name, "must be none, estimate or accurate");
      }
      q.canonical.emplace_back("_total", value);
      continue;
    }
    if (name == "_summary") {
      if (value == "count") {
        q.summary_count = true;
        q.summary = Summary::kCount;
      } else if (value == "true") {
        q.summary = Summary::kTrue;
      } else if (value == "text") {
        q.summary = Summary::kText;
      } else if (value == "data") {
        q.summary = Summary::kData;
      } else if (value == "false") {
        q.summary = Summary::kFalse;
      } else {
        HB_RETURN_IF_ERROR(unknown(name, "supports true, count, text, data and false"));
        continue;
      }
      q.canonical.emplace_back("_summary", value);
      continue;
    }
    if (name == "_elements") {
      for (const std::string& e : SplitOr(value)) {
        if (!e.empty()) q.elements.push_back(e);
      }
      q.canonical.emplace_back("_elements", value);
      continue;
    }
    if (name == "_sort") {
      std::string kept;
      for (const std::string& key : SplitOr(value)) {
        SortKey s;
        std::string_view code = key;
        if (code.starts_with('-')) {
          s.descending = true;
          code.remove_prefix(1);
        }
        const RegisteredParam* p = Sortable(type, code);
        if (p == nullptr) {
          HB_RETURN_IF_ERROR(unknown("_sort", "cannot sort on '" + std::string(code) + "'"));
          continue;
        }
        s.param = std::string(code);
        s.type = p->type;
        q.sort.push_back(std::move(s));
        kept += (kept.empty() ? "" : ",") + key;
      }
      if (!kept.empty()) q.canonical.emplace_back("_sort", kept);
      continue;
    }
    if (name == "_include" || name == "_revinclude") {
      bool iterate = modifier == "iterate" || modifier == "recurse";
      if (!modifier.empty() && !iterate) {
        return Unsupported(raw_name, "supports only the :iterate modifier");
      }
      HB_ASSIGN_OR_RETURN(auto spec,
                          ParseInclude(type, raw_name, value, name == "_revinclude", iterate));
      if (!spec) {
        HB_RETURN_IF_ERROR(
            unknown(raw_name, "names an unknown reference parameter '" + std::string(value) + "'"));
        continue;
      }
      q.includes.push_back(std::move(*spec));
      q.canonical.emplace_back(raw_name, value);
      continue;
    }
    if (raw_name == "_filter") {  // search/filter_parser.h; errors in any handling mode
      HB_ASSIGN_OR_RETURN(Criterion f, internal::ParseFilter(type, value, options.now_micros));
      q.criteria.push_back(std::move(f));
      q.canonical.emplace_back(raw_name, value);
      continue;
    }
    if (raw_name == "_contained") {  // search/contained.h; a bad value is a 400 in any mode
      if (value == "false") {
        q.contained = Contained::kFalse;
      } else if (value == "true") {
        q.contained = Contained::kTrue;
      } else if (value == "both") {
        q.contained = Contained::kBoth;
      } else {
        return Status(ErrorCode::kInvalidSearchParameter,
                      "_contained takes true, false or both, not '" + std::string(value) + "'");
      }
      q.canonical.emplace_back(raw_name, value);
      continue;
    }
    if (raw_name == "_containedType") {
      if (value != "container" && value != "contained") {
        return Status(ErrorCode::kInvalidSearchParameter,
                      "_containedType takes container or contained, not '" + std::string(value) +
                          "'");
      }
      q.contained_type_contained = value == "contained";
      q.canonical.emplace_back(raw_name, value);
      continue;
    }
    if (raw_name == "_list") {  // search/special_params.h
      HB_ASSIGN_OR_RETURN(auto list, internal::ParseList(type, value, options.now_micros));
      for (Criterion& c : list) q.criteria.push_back(std::move(c));
      q.canonical.emplace_back(raw_name, value);
      continue;
    }
    HB_ASSIGN_OR_RETURN(auto c,
                        internal::ParseCriterion(type, raw_name, value, options.now_micros));
    if (!c) {
      HB_RETURN_IF_ERROR(unknown(raw_name, "is not supported for " + std::string(type)));
      continue;
    }
    q.criteria.push_back(std::move(*c));
    q.canonical.emplace_back(raw_name, value);
  }
  return q;
}

}  // namespace

Result<SearchQuery> ParseSearch(std::string_view type, const QueryParams& params,
                                const ParseOptions& options) {
  auto named = std::find_if(params.begin(), params.end(),
                            [](const auto& p) { return p.first == "_query"; });
  if (named == params.end()) return ParsePlain(type, params, options);
  // _query (search/named_query.h): the named query's criteria, parsed strictly (they are
  // the server's own), ANDed with the other parameters, parsed as asked.
  if (std::count_if(params.begin(), params.end(),
                    [](const auto& p) { return p.first == "_query"; }) > 1) {
    return Status(ErrorCode::kInvalidSearchParameter, "_query may be given once");
  }
  std::string code = named->second;
  QueryParams args;
  for (const auto& p : params) {
    if (p.first != "_query") args.push_back(p);
  }
  const NamedQueries& named_queries = NamedQueries::Default();
  const NamedQuery* nq = named_queries.Find(type, code);
  if (nq == nullptr) {
    if (options.strict) {
      return Unsupported("_query", "names no named query of " + std::string(type) + ": '" +
                                       code + "'");
    }
    return ParsePlain(type, args, options);  // lenient: ignored, left out of the self link
  }
  QueryParams given = args;
  HB_ASSIGN_OR_RETURN(QueryParams criteria,
                      ExpandNamedQuery(*nq, &args, options.now_micros,
                                       named_queries.utc_offset_minutes()));
  ParseOptions own = options;
  own.strict = true;
  HB_ASSIGN_OR_RETURN(SearchQuery tq, ParsePlain(type, criteria, own));
  HB_ASSIGN_OR_RETURN(SearchQuery q, ParsePlain(type, args, options));
  q.criteria.insert(q.criteria.begin(), std::make_move_iterator(tq.criteria.begin()),
                    std::make_move_iterator(tq.criteria.end()));
  auto asked = [&](std::string_view name) {
    return std::any_of(args.begin(), args.end(), [&](const auto& p) { return p.first == name; });
  };
  if (q.sort.empty()) q.sort = std::move(tq.sort);
  if (!asked("_count")) q.count = tq.count;
  q.includes.insert(q.includes.begin(), tq.includes.begin(), tq.includes.end());
  if (!asked("_contained")) q.contained = tq.contained;
  if (!asked("_containedType")) q.contained_type_contained = tq.contained_type_contained;
  // The result parameters the query's criteria give apply unless the request gives its own
  // (as _sort and _count above): the request's _summary, _elements or _total wins.
  auto applied = [&](std::string_view name) {
    return std::any_of(q.canonical.begin(), q.canonical.end(),
                       [&](const auto& p) { return p.first == name; });
  };
  if (!applied("_summary")) {
    q.summary = tq.summary;
    q.summary_count = tq.summary_count;
  }
  if (!applied("_elements")) q.elements = std::move(tq.elements);
  if (!applied("_total")) q.total = tq.total;
  // The self link: _query and the query's parameters as given, then the rest.
  QueryParams canonical = {{"_query", code}};
  for (const auto& p : given) {
    if (std::find(args.begin(), args.end(), p) == args.end()) canonical.push_back(p);
  }
  q.canonical.insert(q.canonical.begin(), canonical.begin(), canonical.end());
  return q;
}

std::vector<std::string> SplitTypes(std::string_view value) { return SplitNonEmpty(value, ','); }

}  // namespace hb::search
