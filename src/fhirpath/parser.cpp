#include "fhirpath/parser.h"

#include <cerrno>
#include <cstdlib>

#include "fhirpath/evaluator.h"
#include "fhirpath/lexer.h"

namespace hb::fhirpath::internal {

namespace {

using NodePtr = std::unique_ptr<Node>;

struct Infix {
  BinaryOp op;
  int level;  // higher binds tighter
  bool type_op = false;
  bool is = false;
};

constexpr int kImpliesLevel = 1;
constexpr int kMaxDepth = 200;       // nesting of sub-expressions, to bound the recursion
constexpr size_t kMaxTokens = 4096;  // bounds the height of the tree, hence evaluation depth

std::optional<Infix> InfixOf(const Token& t) {
  if (t.kind == TokenKind::kSymbol) {
    const std::string& s = t.text;
    if (s == "*") return Infix{BinaryOp::kMul, 10};
    if (s == "/") return Infix{BinaryOp::kDiv, 10};
    if (s == "+") return Infix{BinaryOp::kAdd, 9};
    if (s == "-") return Infix{BinaryOp::kSub, 9};
    if (s == "&") return Infix{BinaryOp::kConcat, 9};
    if (s == "|") return Infix{BinaryOp::kUnion, 7};
    if (s == "<") return Infix{BinaryOp::kLess, 6};
    if (s == "<=") return Infix{BinaryOp::kLessEq, 6};
    if (s == ">") return Infix{BinaryOp::kGreater, 6};
    if (s == ">=") return Infix{BinaryOp::kGreaterEq, 6};
    if (s == "=") return Infix{BinaryOp::kEqual, 5};
    if (s == "~") return Infix{BinaryOp::kEquivalent, 5};
    if (s == "!=") return Infix{BinaryOp::kNotEqual, 5};
    if (s == "!~") return Infix{BinaryOp::kNotEquivalent, 5};
    return std::nullopt;
  }
  if (t.kind != TokenKind::kIdentifier || t.delimited) return std::nullopt;
  const std::string& s = t.text;
  if (s == "div") return Infix{BinaryOp::kIntDiv, 10};
  if (s == "mod") return Infix{BinaryOp::kMod, 10};
  if (s == "is") return Infix{BinaryOp::kAdd, 8, true, true};
  if (s == "as") return Infix{BinaryOp::kAdd, 8, true, false};
  if (s == "in") return Infix{BinaryOp::kIn, 4};
  if (s == "contains") return Infix{BinaryOp::kContains, 4};
  if (s == "and") return Infix{BinaryOp::kAnd, 3};
  if (s == "or") return Infix{BinaryOp::kOr, 2};
  if (s == "xor") return Infix{BinaryOp::kXor, 2};
  if (s == "implies") return Infix{BinaryOp::kImplies, kImpliesLevel};
  return std::nullopt;
}

NodePtr MakeNode(NodeOp op, uint32_t pos) {
  auto n = std::make_unique<Node>();
  n->op = op;
  n->pos = pos;
  return n;
}

// Constants of the FHIR environment (https://hl7.org/fhir/R4/fhirpath.html#vars).
std::optional<std::string> EnvironmentConstant(const std::string& name) {
  if (name == "ucum") return "http://unitsofmeasure.org";
  if (name == "sct") return "http://snomed.info/sct";
  if (name == "loinc") return "http://loinc.org";
  if (name == "us-zip") return "[0-9]{5}(-[0-9]{4}){0,1}";
  if (name.rfind("vs-", 0) == 0) return "http://hl7.org/fhir/ValueSet/" + name.substr(3);
  if (name.rfind("ext-", 0) == 0) {
    return "http://hl7.org/fhir/StructureDefinition/" + name.substr(4);
  }
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  Result<NodePtr> Run() {
    HB_ASSIGN_OR_RETURN(NodePtr root, Expression(0));
    if (Cur().kind != TokenKind::kEnd) return Unexpected();
    return root;
  }

 private:
  const Token& Cur() const { return t_[i_]; }
  const Token& Next() const { return t_[i_ + 1 < t_.size() ? i_ + 1 : i_]; }
  bool IsSymbol(const Token& t, std::string_view s) const {
    return t.kind == TokenKind::kSymbol && t.text == s;
  }
  Status Unexpected() const {
    if (Cur().kind == TokenKind::kEnd)
      return SyntaxError(Cur().pos, "unexpected end of expression");
    return SyntaxError(Cur().pos, "unexpected '" + Cur().text + "'");
  }
  Status Expect(std::string_view s) {
    if (!IsSymbol(Cur(), s)) {
      return Cur().kind == TokenKind::kEnd
                 ? SyntaxError(Cur().pos, "expected '" + std::string(s) + "' before the end")
                 : SyntaxError(Cur().pos,
                               "expected '" + std::string(s) + "', found '" + Cur().text + "'");
    }
    ++i_;
    return Status::Ok();
  }

  Result<NodePtr> Expression(int min_level) {
    if (++depth_ > kMaxDepth) return SyntaxError(Cur().pos, "expression nested too deeply");
    Result<NodePtr> r = Binary(min_level);
    --depth_;
    return r;
  }

  Result<NodePtr> Binary(int min_level) {
    HB_ASSIGN_OR_RETURN(NodePtr left, Unary());
    for (;;) {
      auto infix = InfixOf(Cur());
      if (!infix || infix->level < min_level) return left;
      uint32_t pos = Cur().pos;
      ++i_;
      if (infix->type_op) {
        auto n = MakeNode(infix->is ? NodeOp::kIs : NodeOp::kAs, pos);
        HB_RETURN_IF_ERROR(TypeSpecifier(n->type));
        n->args.push_back(std::move(left));
        left = std::move(n);
        continue;
      }
      int next = infix->level == kImpliesLevel ? infix->level : infix->level + 1;
      HB_ASSIGN_OR_RETURN(NodePtr right, Expression(next));
      auto n = MakeNode(NodeOp::kBinary, pos);
      n->bin = infix->op;
      n->args.push_back(std::move(left));
      n->args.push_back(std::move(right));
      left = std::move(n);
    }
  }

  Result<NodePtr> Unary() {
    if (IsSymbol(Cur(), "+") || IsSymbol(Cur(), "-")) {
      if (++depth_ > kMaxDepth) return SyntaxError(Cur().pos, "expression nested too deeply");
      auto n = MakeNode(NodeOp::kPolarity, Cur().pos);
      n->negate = Cur().text == "-";
      ++i_;
      HB_ASSIGN_OR_RETURN(NodePtr operand, Unary());
      --depth_;
      n->args.push_back(std::move(operand));
      return n;
    }
    return Postfix();
  }

  Result<NodePtr> Postfix() {
    HB_ASSIGN_OR_RETURN(NodePtr left, Term());
    for (;;) {
      if (IsSymbol(Cur(), ".")) {
        uint32_t pos = Cur().pos;
        ++i_;
        HB_ASSIGN_OR_RETURN(NodePtr call, Invocation());
        auto n = MakeNode(NodeOp::kInvoke, pos);
        n->args.push_back(std::move(left));
        n->args.push_back(std::move(call));
        left = std::move(n);
      } else if (IsSymbol(Cur(), "[")) {
        auto n = MakeNode(NodeOp::kIndexer, Cur().pos);
        ++i_;
        HB_ASSIGN_OR_RETURN(NodePtr index, Expression(0));
        HB_RETURN_IF_ERROR(Expect("]"));
        n->args.push_back(std::move(left));
        n->args.push_back(std::move(index));
        left = std::move(n);
      } else {
        return left;
      }
    }
  }

  // identifier | function | $this | $index | $total
  Result<NodePtr> Invocation() {
    const Token& t = Cur();
    if (t.kind == TokenKind::kSpecial) return Special();
    if (t.kind != TokenKind::kIdentifier) return Unexpected();
    if (IsSymbol(Next(), "(")) return Function();
    auto n = MakeNode(NodeOp::kMember, t.pos);
    n->name = t.text;
    ++i_;
    return n;
  }

  Result<NodePtr> Special() {
    const Token& t = Cur();
    NodeOp op =
        t.text == "this" ? NodeOp::kThis : (t.text == "index" ? NodeOp::kIndex : NodeOp::kTotal);
    ++i_;
    return MakeNode(op, t.pos);
  }

  Result<NodePtr> Function() {
    auto n = MakeNode(NodeOp::kFunction, Cur().pos);
    n->name = Cur().text;
    i_ += 2;  // name (
    if (!IsSymbol(Cur(), ")")) {
      for (;;) {
        HB_ASSIGN_OR_RETURN(NodePtr arg, Expression(0));
        n->args.push_back(std::move(arg));
        if (!IsSymbol(Cur(), ",")) break;
        ++i_;
      }
    }
    HB_RETURN_IF_ERROR(Expect(")"));
    n->fn = FindFunction(n->name);
    if (n->fn == nullptr) return SyntaxError(n->pos, "unknown function '" + n->name + "'");
    if (n->args.size() < n->fn->min_args || n->args.size() > n->fn->max_args) {
      return SyntaxError(n->pos, "wrong number of arguments for " + n->name + "()");
    }
    if (n->fn->type_argument) {
      HB_RETURN_IF_ERROR(TypeFromNode(*n->args[0], n->type));
      n->args.clear();
    }
    if ((n->name == "matches" || n->name == "matchesFull" || n->name == "replaceMatches") &&
        n->args[0]->op == NodeOp::kLiteral && n->args[0]->literal.kind() == ItemKind::kString) {
      std::string pattern = TranslateRegex(n->args[0]->literal.string());
      if (n->name == "matchesFull") pattern = "^(?:" + pattern + ")$";
      try {
        n->regex = std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return SyntaxError(n->args[0]->pos, std::string("bad regular expression: ") + e.what());
      }
    }
    return n;
  }

  // A function's type argument: `Quantity`, `FHIR.Patient`, `System.String`.
  Status TypeFromNode(const Node& arg, TypeSpec& out) {
    if (arg.op == NodeOp::kMember) {
      out.name = arg.name;
      return Status::Ok();
    }
    if (arg.op == NodeOp::kInvoke && arg.args[0]->op == NodeOp::kMember &&
        arg.args[1]->op == NodeOp::kMember) {
      out.ns = arg.args[0]->name;
      out.name = arg.args[1]->name;
      return Status::Ok();
    }
    return SyntaxError(arg.pos, "expected a type name");
  }

  Status TypeSpecifier(TypeSpec& out) {
    if (Cur().kind != TokenKind::kIdentifier) return SyntaxError(Cur().pos, "expected a type name");
    out.name = Cur().text;
    ++i_;
    if (IsSymbol(Cur(), ".") && Next().kind == TokenKind::kIdentifier) {
      out.ns = out.name;
      out.name = Next().text;
      i_ += 2;
    }
    return Status::Ok();
  }

  Result<NodePtr> Term() {
    const Token& t = Cur();
    switch (t.kind) {
      case TokenKind::kNumber:
        return Number();
      case TokenKind::kString: {
        auto n = MakeNode(NodeOp::kLiteral, t.pos);
        n->literal = Item::OwnedString(t.text);
        ++i_;
        return n;
      }
      case TokenKind::kDate:
      case TokenKind::kDateTime:
      case TokenKind::kTime:
        return DateLiteral();
      case TokenKind::kExternal:
        return External();
      case TokenKind::kSpecial:
        return Special();
      case TokenKind::kIdentifier:
        if (!t.delimited && (t.text == "true" || t.text == "false")) {
          auto n = MakeNode(NodeOp::kLiteral, t.pos);
          n->literal = Item::Boolean(t.text == "true");
          ++i_;
          return n;
        }
        if (!t.delimited && InfixOf(t) && t.text != "as" && t.text != "is" &&
            t.text != "contains" && t.text != "in") {
          return Unexpected();
        }
        return Invocation();
      case TokenKind::kSymbol:
        if (t.text == "(") {
          ++i_;
          HB_ASSIGN_OR_RETURN(NodePtr inner, Expression(0));
          HB_RETURN_IF_ERROR(Expect(")"));
          return inner;
        }
        if (t.text == "{") {
          ++i_;
          HB_RETURN_IF_ERROR(Expect("}"));
          return MakeNode(NodeOp::kEmpty, t.pos);
        }
        return Unexpected();
      case TokenKind::kEnd:
        return Unexpected();
    }
    return Unexpected();
  }

  Result<NodePtr> Number() {
    const Token& t = Cur();
    auto n = MakeNode(NodeOp::kLiteral, t.pos);
    ++i_;
    auto value = Decimal::Parse(t.text);
    if (!value) return SyntaxError(t.pos, "number out of range");
    // A unit makes a Quantity: a quoted UCUM code or a calendar keyword.
    if (Cur().kind == TokenKind::kString) {
      n->literal = Item::OwnedQuantity(*value, Cur().text, false);
      ++i_;
      return n;
    }
    if (Cur().kind == TokenKind::kIdentifier && !Cur().delimited &&
        !CalendarKeyword(Cur().text).empty()) {
      n->literal = Item::OwnedQuantity(*value, Cur().text, true);
      ++i_;
      return n;
    }
    if (t.text.find('.') != std::string::npos) {
      n->literal = Item::FromDecimal(*value);
    } else {
      auto i = value->ToInteger();
      if (!i) return SyntaxError(t.pos, "integer out of range");
      n->literal = Item::Integer(*i);
    }
    return n;
  }

  Result<NodePtr> DateLiteral() {
    const Token& t = Cur();
    std::optional<DateTime> v;
    if (t.kind == TokenKind::kDate) v = DateTime::ParseDate(t.text);
    if (t.kind == TokenKind::kDateTime) v = DateTime::ParseDateTime(t.text, true);
    if (t.kind == TokenKind::kTime) v = DateTime::ParseTime(t.text);
    if (!v) return SyntaxError(t.pos, "invalid date or time literal");
    auto n = MakeNode(NodeOp::kLiteral, t.pos);
    n->literal = Item::FromDateTime(*v);
    ++i_;
    return n;
  }

  Result<NodePtr> External() {
    const Token& t = Cur();
    ++i_;
    if (t.text == "resource" || t.text == "context" || t.text == "rootResource") {
      auto n = MakeNode(NodeOp::kVariable, t.pos);
      n->name = t.text;
      return n;
    }
    auto value = EnvironmentConstant(t.text);
    if (!value) return SyntaxError(t.pos, "unknown environment variable %" + t.text);
    auto n = MakeNode(NodeOp::kLiteral, t.pos);
    n->literal = Item::OwnedString(*value);
    return n;
  }

  std::vector<Token> t_;
  size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<std::unique_ptr<Node>> Parse(std::string_view text) {
  HB_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  if (tokens.size() > kMaxTokens) return SyntaxError(tokens[kMaxTokens].pos, "expression too long");
  return Parser(std::move(tokens)).Run();
}

}  // namespace hb::fhirpath::internal
