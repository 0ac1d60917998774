// The compiled form of a FHIRPath expression (internal to hb_fhirpath).
//
// A tree of Nodes built once by the parser and only read afterwards, so one tree serves
// any number of concurrent evaluations. Literal values, resolved functions, type specifiers
// and precompiled regular expressions live in the nodes.
#pragma once

#include <cstdint>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "fhirpath/item.h"

namespace hb::fhirpath::internal {

struct FunctionDef;

enum class NodeOp : uint8_t {
  kLiteral,   // literal
  kEmpty,     // {}
  kMember,    // name: an identifier navigated from the input (or $this at a path start)
  kFunction,  // fn, args
  kThis,      // $this
  kIndex,     // $index
  kTotal,     // $total
  kVariable,  // name: "resource", "context", "rootResource"
  kInvoke,    // args[0] . args[1]  (args[1] is a kMember or kFunction)
  kIndexer,   // args[0] [ args[1] ]
  kPolarity,  // negate ? -args[0] : +args[0]
  kBinary,    // bin, args[0], args[1]
  kIs,        // args[0] is type
  kAs,        // args[0] as type
};

enum class BinaryOp : uint8_t {
  kMul,
  kDiv,
  kIntDiv,
  kMod,
  kAdd,
  kSub,
  kConcat,
  kUnion,
  kLess,
  kLessEq,
  kGreater,
  kGreaterEq,
  kEqual,
  kEquivalent,
  kNotEqual,
  kNotEquivalent,
  kIn,
  kContains,
  kAnd,
  kOr,
  kXor,
  kImplies,
};

// A type specifier: `Quantity`, `System.Boolean`, `FHIR.Patient`.
struct TypeSpec {
  std::string ns;  // "System", "FHIR" or empty when unqualified
  std::string name;
};

struct Node {
  NodeOp op = NodeOp::kEmpty;
  BinaryOp bin = BinaryOp::kAdd;
  bool negate = false;  // kPolarity
  uint32_t pos = 0;     // offset in the source, for messages
  const FunctionDef* fn = nullptr;
  std::string name;
  std::vector<std::unique_ptr<Node>> args;
  Item literal;
  TypeSpec type;
  std::shared_ptr<const std::regex> regex;  // matches()/replaceMatches() with a literal pattern
};

struct Ast {
  std::string text;
  std::unique_ptr<Node> root;
};

// Translates a FHIRPath (PCRE-like) pattern for std::regex: '.' also matches new lines.
std::string TranslateRegex(std::string_view pattern);

}  // namespace hb::fhirpath::internal
