// EntryElements / MayYield (fhirpath.h): which elements of its input an expression must find
// before it can yield anything, read off the syntax tree.
#include <algorithm>

#include "fhirpath/ast.h"
#include "fhirpath/evaluator.h"
#include "fhirpath/fhirpath.h"

namespace hb::fhirpath {

namespace {

using internal::Node;
using internal::NodeOp;

bool IsUpperAscii(char c) { return c >= 'A' && c <= 'Z'; }

// Functions whose result is empty whenever their input is: applied to a path, they keep its
// entry elements. (Not exists(), empty(), count(), not(), iif(): they answer an empty input.)
bool EmptyOnEmpty(std::string_view fn) {
  static constexpr std::string_view kFunctions[] = {
      "where", "select", "resolve", "ofType", "as",   "first",    "last",
      "tail",  "skip",   "take",    "single", "extension", "distinct"};
  return std::find(std::begin(kFunctions), std::end(kFunctions), fn) != std::end(kFunctions);
}

// A type name at the start of a path (`Observation`, `Resource`): the input itself.
bool IsInputItself(const Node& n) {
  return n.op == NodeOp::kMember && !n.name.empty() && IsUpperAscii(n.name[0]);
}

// Appends the entry elements of `n`, evaluated on the input; false when they cannot be told.
bool Collect(const Node& n, std::vector<std::string>* out) {
  switch (n.op) {
    case NodeOp::kMember:  // a path that starts with an element of the input
      if (IsInputItself(n)) return false;
      out->push_back(n.name);
      return true;
    case NodeOp::kInvoke: {
      const Node& target = *n.args[0];
      const Node& step = *n.args[1];
      if (IsInputItself(target)) {
        if (step.op == NodeOp::kMember && !IsInputItself(step)) {
          out->push_back(step.name);
          return true;
        }
        // Observation.extension('url') reads the `extension` element.
        if (step.op == NodeOp::kFunction && step.fn != nullptr && step.fn->name == "extension") {
          out->push_back("extension");
          return true;
        }
        return false;
      }
      if (step.op == NodeOp::kMember ||
          (step.op == NodeOp::kFunction && step.fn != nullptr && EmptyOnEmpty(step.fn->name))) {
        return Collect(target, out);
      }
      return false;
    }
    case NodeOp::kIndexer:
    case NodeOp::kAs:
      return Collect(*n.args[0], out);
    case NodeOp::kBinary:
      return n.bin == internal::BinaryOp::kUnion && Collect(*n.args[0], out) &&
             Collect(*n.args[1], out);
    default:
      return false;
  }
}

}  // namespace

std::optional<std::vector<std::string>> EntryElements(const Expression& expression) {
  std::vector<std::string> out;
  if (expression.ast().root == nullptr || !Collect(*expression.ast().root, &out)) {
    return std::nullopt;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

uint32_t LetterBit(std::string_view name) {
  if (!name.empty() && name[0] == '_') name.remove_prefix(1);
  if (name.empty()) return 0;
  const char c = name[0];
  if (c >= 'a' && c <= 'z') return uint32_t{1} << (c - 'a');
  return uint32_t{1} << 26;  // anything else (element names start with a lower-case letter)
}

}  // namespace

uint32_t EntryLetters(const std::vector<std::string>& entry) {
  uint32_t bits = 0;
  for (const std::string& e : entry) bits |= LetterBit(e);
  return bits;
}

uint32_t MemberLetters(const fhir::JsonValue& input) {
  if (!input.IsObject()) return ~uint32_t{0};
  uint32_t bits = 0;
  for (auto m = input.MemberBegin(); m != input.MemberEnd(); ++m) {
    bits |= LetterBit(std::string_view(m->name.GetString(), m->name.GetStringLength()));
  }
  return bits;
}

bool MayYield(const std::vector<std::string>& entry, const fhir::JsonValue& input) {
  if (!input.IsObject()) return true;
  for (auto m = input.MemberBegin(); m != input.MemberEnd(); ++m) {
    std::string_view key(m->name.GetString(), m->name.GetStringLength());
    if (!key.empty() && key[0] == '_') key.remove_prefix(1);  // a primitive's companion
    for (const std::string& e : entry) {
      if (!key.starts_with(e)) continue;
      // The element itself, or one of its choice names (valueQuantity for value).
      if (key.size() == e.size() || IsUpperAscii(key[e.size()])) return true;
    }
  }
  return false;
}

}  // namespace hb::fhirpath
