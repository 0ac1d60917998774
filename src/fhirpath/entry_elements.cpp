// EntryElements / MemberNames (fhirpath.h): which elements of its input an expression must find
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

// A member name without a companion's '_'.
std::string_view ElementName(std::string_view name) {
  if (!name.empty() && name[0] == '_') name.remove_prefix(1);
  return name;
}

// A bit for the first letter of a name: a..z, or one bit for anything else.
uint32_t LetterBit(std::string_view name) {
  if (name.empty()) return 0;
  const char c = name[0];
  return c >= 'a' && c <= 'z' ? uint32_t{1} << (c - 'a') : uint32_t{1} << 26;
}

}  // namespace

MemberNames::MemberNames(const fhir::JsonValue& input)
    : object_(input.IsObject() ? &input : nullptr) {
  if (object_ == nullptr) return;
  for (auto m = input.MemberBegin(); m != input.MemberEnd(); ++m) {
    letters_ |= LetterBit(ElementName({m->name.GetString(), m->name.GetStringLength()}));
  }
}

bool MemberNames::MayYield(const std::vector<std::string>& entry) const {
  if (object_ == nullptr) return true;
  for (const std::string& e : entry) {
    if ((letters_ & LetterBit(e)) == 0) continue;  // no member starts with its letter
    for (auto m = object_->MemberBegin(); m != object_->MemberEnd(); ++m) {
      std::string_view name = ElementName({m->name.GetString(), m->name.GetStringLength()});
      // The element itself, or one of its choice names (valueQuantity for value).
      if (name.starts_with(e) && (name.size() == e.size() || IsUpperAscii(name[e.size()]))) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace hb::fhirpath
