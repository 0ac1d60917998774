#include "search/query_parser.h"

#include <charconv>

namespace hb::search {

namespace {

// Splits on unescaped commas; "\," is a literal comma (R4 search §2.1.1.6).
std::vector<std::string> SplitOr(std::string_view s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back() += s[++i];
    } else if (s[i] == ',') {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

// Finds the first unescaped '|'.
size_t FindBar(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '|') {
      return i;
    }
  }
  return std::string_view::npos;
}

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

}  // namespace

std::vector<std::string> SupportedParameters(std::string_view) { return {"_id", "identifier"}; }

Result<SearchQuery> ParseSearch(std::string_view type, const QueryParams& params,
                                const ParseOptions& options) {
  SearchQuery q;
  q.type = std::string(type);
  q.count = options.default_count;
  for (const auto& [raw_name, value] : params) {
    std::string_view name = raw_name;
    std::string_view modifier;
    if (auto colon = name.find(':'); colon != std::string_view::npos) {
      modifier = name.substr(colon + 1);
      name = name.substr(0, colon);
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
        q.canonical.emplace_back("_summary", "count");
        continue;
      }
      if (value == "false") continue;
      if (options.strict) return Unsupported(name, "supports only count and false here");
      continue;
    }
    if (!modifier.empty()) {
      if (options.strict) return Unsupported(raw_name, "modifiers are not supported yet");
      continue;
    }
    if (name == "_id") {
      for (auto& id : SplitOr(value)) {
        if (id.empty()) return Unsupported(name, "has an empty value");
        q.ids.push_back(std::move(id));
      }
      q.canonical.emplace_back("_id", value);
      continue;
    }
    if (name == "identifier") {
      TokenCriterion c;
      c.param = "identifier";
      for (const std::string& part : SplitOr(value)) {
        TokenValue tv;
        size_t bar = FindBar(part);
        if (bar == std::string::npos) {
          tv.code = part;
        } else {
          tv.system = part.substr(0, bar);
          std::string code = part.substr(bar + 1);
          if (!code.empty()) tv.code = std::move(code);
        }
        if (!tv.code && (!tv.system || tv.system->empty())) {
          return Unsupported(name, "needs a code or a system");
        }
        c.any_of.push_back(std::move(tv));
      }
      q.tokens.push_back(std::move(c));
      q.canonical.emplace_back("identifier", value);
      continue;
    }
    if (options.strict) return Unsupported(raw_name, "is not supported for " + std::string(type));
  }
  return q;
}

}  // namespace hb::search
