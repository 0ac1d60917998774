#include "search/filter_parser.h"

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "common/ascii.h"
#include "search/criterion_parser.h"
#include "search/param_registry.h"

namespace hb::search::internal {

namespace {

constexpr int kMaxNesting = 32;  // parentheses, not and [filter] inside each other
constexpr int kMaxChain = 4;     // chained levels, as for URL chains
constexpr size_t kMaxLength = 8192;
constexpr int kMaxComparisons = 100;  // keeps the SQL within the databases' expression limits

Status Bad(std::string why) {
  return Status(ErrorCode::kInvalidSearchParameter, "_filter: " + std::move(why));
}

// ---- Syntax tree ----

struct Node;

struct Segment {
  std::string name;
  std::vector<Node> filter;  // at most one: the condition in [ ]
  size_t pos = 0;
};

struct Node {
  enum class Kind { kAnd, kOr, kNot, kLeaf } kind = Kind::kLeaf;
  std::vector<Node> kids;     // kAnd, kOr: two or more; kNot: one
  std::vector<Segment> path;  // kLeaf
  std::string op;             // kLeaf, lower case
  std::string value;          // kLeaf, without quotes and escapes
  size_t pos = 0;             // where the node starts (for messages)
};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool NameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool NameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}


class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<Node> ParseAll() {
    HB_ASSIGN_OR_RETURN(Node n, ParseOr(0));
    SkipBlanks();
    if (pos_ < s_.size()) {
      return Bad("unexpected '" + std::string(1, s_[pos_]) + "' at position " + At(pos_));
    }
    return n;
  }

 private:
  static std::string At(size_t pos) { return std::to_string(pos + 1); }

  void SkipBlanks() {
    while (pos_ < s_.size() && IsBlank(s_[pos_])) ++pos_;
  }

  // Whether the keyword `kw` starts at the current position (as a whole word).
  bool AtKeyword(std::string_view kw) const {
    if (s_.size() - pos_ < kw.size()) return false;
    if (AsciiLower(s_.substr(pos_, kw.size())) != kw) return false;
    size_t end = pos_ + kw.size();
    return end == s_.size() || IsBlank(s_[end]) || s_[end] == '(';
  }

  Result<Node> Combine(Node::Kind kind, std::string_view kw, int depth,
                       Result<Node> (Parser::*next)(int)) {
    SkipBlanks();
    size_t start = pos_;
    HB_ASSIGN_OR_RETURN(Node first, (this->*next)(depth));
    SkipBlanks();
    if (!AtKeyword(kw)) return first;
    Node n;
    n.kind = kind;
    n.pos = start;
    n.kids.push_back(std::move(first));
    while (AtKeyword(kw)) {
      pos_ += kw.size();
      HB_ASSIGN_OR_RETURN(Node more, (this->*next)(depth));
      n.kids.push_back(std::move(more));
      SkipBlanks();
    }
    return n;
  }

  Result<Node> ParseOr(int depth) {
    return Combine(Node::Kind::kOr, "or", depth, &Parser::ParseAnd);
  }
  Result<Node> ParseAnd(int depth) {
    return Combine(Node::Kind::kAnd, "and", depth, &Parser::ParseUnary);
  }

  Result<Node> ParseGroup(int depth) {
    // at '('
    size_t open = pos_++;
    HB_ASSIGN_OR_RETURN(Node inner, ParseOr(depth + 1));
    SkipBlanks();
    if (pos_ >= s_.size() || s_[pos_] != ')') {
      return Bad("the '(' at position " + At(open) + " is not closed");
    }
    ++pos_;
    return inner;
  }

  Result<Node> ParseUnary(int depth) {
    if (depth > kMaxNesting) return Bad("nested more than 32 levels deep");
    SkipBlanks();
    if (pos_ >= s_.size()) return Bad("the expression ends where a condition was expected");
    size_t start = pos_;
    if (AtKeyword("not")) {
      pos_ += 3;
      SkipBlanks();
      if (pos_ >= s_.size() || s_[pos_] != '(') {
        return Bad("'not' at position " + At(start) + " must be followed by '('");
      }
      Node n;
      n.kind = Node::Kind::kNot;
      n.pos = start;
      HB_ASSIGN_OR_RETURN(Node inner, ParseGroup(depth));
      n.kids.push_back(std::move(inner));
      return n;
    }
    if (s_[pos_] == '(') return ParseGroup(depth);
    return ParseComparison(depth);
  }

  Result<std::string> ParseName() {
    size_t start = pos_;
    if (pos_ >= s_.size() || !NameStart(s_[pos_])) {
      std::string got = pos_ < s_.size() ? "'" + std::string(1, s_[pos_]) + "'" : "the end";
      return Bad("expected a parameter name at position " + At(start) + ", got " + got);
    }
    while (pos_ < s_.size() && NameChar(s_[pos_])) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  Result<Node> ParseComparison(int depth) {
    if (++comparisons_ > kMaxComparisons) return Bad("more than 100 comparisons");
    Node n;
    n.pos = pos_;
    while (true) {
      Segment seg;
      seg.pos = pos_;
      HB_ASSIGN_OR_RETURN(seg.name, ParseName());
      if (pos_ < s_.size() && s_[pos_] == '[') {
        size_t open = pos_++;
        Node f;
        HB_ASSIGN_OR_RETURN(f, ParseOr(depth + 1));
        SkipBlanks();
        if (pos_ >= s_.size() || s_[pos_] != ']') {
          return Bad("the '[' at position " + At(open) + " is not closed");
        }
        ++pos_;
        seg.filter.push_back(std::move(f));
        if (pos_ >= s_.size() || s_[pos_] != '.') {
          return Bad("'" + seg.name + "[...]' must be followed by '.' and a parameter (position " +
                     At(pos_) + ")");
        }
      }
      n.path.push_back(std::move(seg));
      if (pos_ < s_.size() && s_[pos_] == '.') {
        ++pos_;
        continue;
      }
      break;
    }
    if (pos_ >= s_.size() || !IsBlank(s_[pos_])) {
      return Bad("expected a blank and an operator after '" + n.path.back().name +
                 "' at position " + At(pos_));
    }
    SkipBlanks();
    size_t op_pos = pos_;
    while (pos_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    n.op = AsciiLower(s_.substr(op_pos, pos_ - op_pos));
    if (n.op.empty()) return Bad("expected an operator at position " + At(op_pos));
    if (pos_ >= s_.size() || !IsBlank(s_[pos_])) {
      return Bad("expected a blank and a value after '" + n.op + "' at position " + At(pos_));
    }
    SkipBlanks();
    HB_ASSIGN_OR_RETURN(n.value, ParseValue());
    return n;
  }

  Result<std::string> ParseValue() {
    size_t start = pos_;
    if (pos_ >= s_.size()) return Bad("a value is missing at the end");
    if (s_[pos_] == '"') {
      std::string out;
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        char c = s_[pos_++];
        if (c == '\\') {
          if (pos_ >= s_.size()) break;
          char e = s_[pos_++];
          switch (e) {
            case 'n':
              out += '\n';
              break;
            case 't':
              out += '\t';
              break;
            case 'r':
              out += '\r';
              break;
            default:
              out += e;  // \" \\ \/ and any other character as itself
          }
          continue;
        }
        out += c;
      }
      if (pos_ >= s_.size()) {
        return Bad("the string starting at position " + At(start) + " is not closed");
      }
      ++pos_;
      return out;
    }
    while (pos_ < s_.size() && !IsBlank(s_[pos_]) && s_[pos_] != ')' && s_[pos_] != ']') ++pos_;
    if (pos_ == start) return Bad("a value is missing at position " + At(start));
    return std::string(s_.substr(start, pos_ - start));
  }

  std::string_view s_;
  size_t pos_ = 0;
  int comparisons_ = 0;
};

// ---- Translation into criteria ----

// Escapes what ParseCriterion would read as syntax of a URL search value: the backslash and
// the comma (OR). `|` (token systems, quantity units) and `$` (composites) keep their meaning.
std::string EscapeValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == ',') out += '\\';
    out += c;
  }
  return out;
}

Criterion Not(Criterion c) {
  Criterion n;
  n.kind = Criterion::Kind::kNot;
  n.resource_type = c.resource_type;
  n.inner.push_back(std::move(c));
  return n;
}

class Translator {
 public:
  explicit Translator(int64_t now) : now_(now) {}

  // nullopt: a parameter of the expression does not exist on `type` (the caller decides
  // whether that is an error or a target type to skip).
  Result<std::optional<Criterion>> Translate(std::string_view type, const Node& n, int chain) {
    if (n.kind == Node::Kind::kLeaf) return Leaf(type, n, 0, chain);
    Criterion c;
    c.kind = n.kind == Node::Kind::kAnd  ? Criterion::Kind::kAnd
             : n.kind == Node::Kind::kOr ? Criterion::Kind::kOr
                                         : Criterion::Kind::kNot;
    c.resource_type = std::string(type);
    for (const Node& kid : n.kids) {
      HB_ASSIGN_OR_RETURN(auto k, Translate(type, kid, chain));
      if (!k) return std::optional<Criterion>();
      c.inner.push_back(std::move(*k));
    }
    return std::optional<Criterion>(std::move(c));
  }

  // The first parameter name of `n` that `type` lacks, for the message.
  std::string unknown() const { return unknown_; }

 private:
  Result<std::optional<Criterion>> Leaf(std::string_view type, const Node& n, size_t i, int chain) {
    const Segment& seg = n.path[i];
    const RegisteredParam* p = ParamRegistry::Default().Find(type, seg.name);
    if (p == nullptr || p->storage == Storage::kUnsupported) {
      if (unknown_.empty()) unknown_ = seg.name + "' for " + std::string(type);
      return std::optional<Criterion>();
    }
    if (i + 1 == n.path.size()) return Comparison(type, *p, n);
    // A chain through the reference parameter `seg.name` to each of its target types.
    if (p->type != ParamType::kReference || p->storage != Storage::kIndexed) {
      return Bad("'" + seg.name + "' is not a reference parameter of " + std::string(type) +
                 ", so it cannot be followed by '.'");
    }
    if (chain >= kMaxChain) return Bad("chains nest at most 4 levels");
    Criterion c;
    c.kind = Criterion::Kind::kChain;
    c.resource_type = std::string(type);
    c.param = seg.name;
    c.type = ParamType::kReference;
    for (std::string_view target : p->targets) {
      HB_ASSIGN_OR_RETURN(auto rest, Leaf(target, n, i + 1, chain + 1));
      if (!rest) continue;
      if (!seg.filter.empty()) {
        HB_ASSIGN_OR_RETURN(auto cond, Translate(target, seg.filter.front(), chain + 1));
        if (!cond) continue;
        Criterion both;
        both.kind = Criterion::Kind::kAnd;
        both.resource_type = std::string(target);
        both.inner.push_back(std::move(*cond));
        both.inner.push_back(std::move(*rest));
        rest = std::move(both);
      }
      c.inner.push_back(std::move(*rest));
    }
    if (c.inner.empty()) return std::optional<Criterion>();
    return std::optional<Criterion>(std::move(c));
  }

  Status OpError(const RegisteredParam& p, const Node& n) {
    return Bad("operator '" + n.op + "' is not supported on the " +
               std::string(ParamTypeName(p.type)) + " parameter '" + std::string(p.code) +
               "' (position " + std::to_string(n.pos + 1) + ")");
  }

  // One `param op value` on `type`, through the URL criterion parser.
  Result<std::optional<Criterion>> Comparison(std::string_view type, const RegisteredParam& p,
                                              const Node& n) {
    const std::string& op = n.op;
    std::string code(p.code);
    if (op == "pr") {
      if (n.value != "true" && n.value != "false") {
        return Bad("'pr' takes true or false, got '" + n.value + "'");
      }
      if (p.storage != Storage::kIndexed) return OpError(p, n);
      return Parse(type, code + ":missing", n.value == "true" ? "false" : "true", n);
    }
    std::string v = EscapeValue(n.value);
    bool is_id = code == "_id";
    auto prefix_op = [&] { return PrefixFromText(op).has_value(); };
    switch (is_id ? ParamType::kToken : p.type) {
      case ParamType::kString: {
        std::string key = code;
        bool equals =
            op == "eq" || op == "ne" || op == "gt" || op == "lt" || op == "ge" || op == "le";
        if (op == "co") key += ":contains";
        if (!equals && op != "co" && op != "sw" && op != "ew") return OpError(p, n);
        HB_ASSIGN_OR_RETURN(auto c, Parse(type, key, v, n));
        if (!c) return c;
        if (equals || op == "ew") {
          c->modifier = op == "ew" ? Modifier::kEndsWith : Modifier::kEquals;
          // eq/ne/ew compare for equality (ne is the NOT below); gt lt ge le order.
          Prefix pre = op == "ew" || op == "ne" ? Prefix::kEq : PrefixFromText(op).value();
          for (SearchValue& sv : c->any_of) sv.prefix = pre;
        }
        if (op == "ne") return std::optional<Criterion>(Not(std::move(*c)));
        return c;
      }
      case ParamType::kToken: {
        const char* mod = op == "eq"   ? ""
                          : op == "ne" ? ""
                          : op == "in" ? ":in"
                          : op == "ni" ? ":not-in"
                          : op == "ss" ? ":below"
                          : op == "sb" ? ":above"
                                       : nullptr;
        if (mod == nullptr || (is_id && *mod != '\0')) return OpError(p, n);
        HB_ASSIGN_OR_RETURN(auto c, Parse(type, code + mod, v, n));
        if (c && op == "ne") return std::optional<Criterion>(Not(std::move(*c)));
        return c;
      }
      case ParamType::kDate: {
        if (op == "po") {
          HB_ASSIGN_OR_RETURN(auto c, Parse(type, code, v, n));
          if (c) {
            for (SearchValue& sv : c->any_of) sv.prefix = Prefix::kAp;  // overlap, unwidened
          }
          return c;
        }
        if (!prefix_op()) return OpError(p, n);
        return Parse(type, code, op + v, n);
      }
      case ParamType::kNumber:
      case ParamType::kQuantity:
        if (!prefix_op()) return OpError(p, n);
        return Parse(type, code, op + v, n);
      case ParamType::kReference: {
        if (op != "eq" && op != "re" && op != "ne") return OpError(p, n);
        HB_ASSIGN_OR_RETURN(auto c, Parse(type, code, v, n));
        if (c && op == "ne") return std::optional<Criterion>(Not(std::move(*c)));
        return c;
      }
      case ParamType::kUri: {
        const char* mod = op == "eq" || op == "ne"   ? ""
                          : op == "sw" || op == "ss" ? ":below"
                          : op == "sb"               ? ":above"
                                                     : nullptr;
        if (mod == nullptr) return OpError(p, n);
        HB_ASSIGN_OR_RETURN(auto c, Parse(type, code + mod, v, n));
        if (c && op == "ne") return std::optional<Criterion>(Not(std::move(*c)));
        return c;
      }
      case ParamType::kComposite:
      case ParamType::kSpecial: {
        if (op != "eq" && op != "ne") return OpError(p, n);
        HB_ASSIGN_OR_RETURN(auto c, Parse(type, code, v, n));
        if (c && op == "ne") return std::optional<Criterion>(Not(std::move(*c)));
        return c;
      }
    }
    return OpError(p, n);
  }

  Result<std::optional<Criterion>> Parse(std::string_view type, const std::string& key,
                                         const std::string& value, const Node& n) {
    auto c = ParseCriterion(type, key, value, now_);
    if (!c.ok()) {
      return Bad(std::string(c.status().message()) + " (position " + std::to_string(n.pos + 1) +
                 ")");
    }
    if (!c->has_value() && unknown_.empty()) unknown_ = key + "' for " + std::string(type);
    return std::move(c).value();
  }

  int64_t now_;
  std::string unknown_;
};

}  // namespace

Result<Criterion> ParseFilter(std::string_view type, std::string_view expression,
                              int64_t now_micros) {
  if (expression.size() > kMaxLength) return Bad("longer than 8192 characters");
  bool blank = true;
  for (char c : expression) blank &= IsBlank(c);
  if (blank) return Bad("the expression is empty");
  Parser parser(expression);
  HB_ASSIGN_OR_RETURN(Node root, parser.ParseAll());
  Translator t(now_micros);
  HB_ASSIGN_OR_RETURN(auto c, t.Translate(type, root, 0));
  if (!c) return Bad("unknown search parameter '" + t.unknown());
  return std::move(*c);
}

}  // namespace hb::search::internal
