// Evaluator: walks a compiled expression over the input items (internal to hb_fhirpath).
//
// One Evaluator per Evaluate() call holds the per-call state: the $this/$index/$total
// frame, %resource/%context and the clock reading. Collections in flight come from a
// thread-local pool (Scratch), so steady-state evaluation allocates only for the result
// and for computed strings.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "common/result.h"
#include "fhirpath/ast.h"
#include "fhirpath/fhirpath.h"

namespace hb::fhirpath::internal {

using Collection = std::vector<Item>;
using Span = std::span<const Item>;

// A Collection borrowed from a thread-local pool for the lifetime of the handle.
class Scratch {
 public:
  Scratch();
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  Collection& operator*() { return *c_; }
  Collection* operator->() { return c_; }
  Collection& get() { return *c_; }

 private:
  Collection* c_;
};

class Evaluator;
using FunctionImpl = Status (*)(Evaluator& ev, const Node& call, Span input, Collection& out);

struct FunctionDef {
  std::string_view name;
  uint8_t min_args;
  uint8_t max_args;
  FunctionImpl impl;
  bool type_argument = false;  // is(), as(), ofType(): the argument is a type specifier
};

const FunctionDef* FindFunction(std::string_view name);

class Evaluator {
 public:
  Evaluator(const EvalOptions& options, Span input, const Item* resource);

  // Evaluates `node`. `input` is the focus of an invocation (a.b: the value of a); null at
  // the start of a path, where the focus is $this.
  Status Eval(const Node& node, const Collection* input, Collection& out);
  // Evaluates `node` with $this = item and $index = index (where, select, all, ...).
  Status EvalFor(const Node& node, const Item& item, int64_t index, Collection& out);
  // As EvalFor, with $total (aggregate).
  Status EvalForTotal(const Node& node, const Item& item, int64_t index, const Collection& total,
                      Collection& out);
  // Evaluates argument `i` of `call` in the current frame.
  Status Arg(const Node& call, size_t i, Collection& out) {
    return Eval(*call.args[i], nullptr, out);
  }
  // Argument `i` as at most one value (converted to a System value): empty -> nullopt.
  Result<std::optional<Item>> SingleArg(const Node& call, size_t i);

  // Whether `s` is the current $this (a function invoked at the start of a path).
  bool IsThis(Span s) const {
    return s.data() == frame_.this_items.data() && s.size() == frame_.this_items.size();
  }
  const EvalOptions& options() const { return options_; }
  Span context() const { return context_; }
  const Item* resource() const { return resource_; }
  // now() for this evaluation (read once).
  const DateTime& Now();

 private:
  struct Frame {
    Span this_items;
    int64_t index;
    const Collection* total;
  };
  Status EvalBinary(const Node& node, Collection& out);
  Status EvalIndexer(const Node& node, const Collection* input, Collection& out);
  Status EvalPolarity(const Node& node, Collection& out);
  Status EvalVariable(const Node& node, Collection& out);
  Status EvalTypeOp(const Node& node, Collection& out);

  const EvalOptions& options_;
  Span context_;
  const Item* resource_;
  Frame frame_;
  std::optional<DateTime> now_;
};

// Errors raised while evaluating (kUnprocessable, with the position).
Status EvalError(const Node& at, std::string_view what);

}  // namespace hb::fhirpath::internal
