// Existence, filtering, subsetting, combining and tree navigation functions:
// http://hl7.org/fhirpath/N1/#existence to #tree-navigation
#include "fhirpath/functions.h"
#include "fhirpath/navigation.h"
#include "fhirpath/operators.h"

namespace hb::fhirpath::internal {

namespace {

// Criteria of where()/all()/exists(): evaluated with $this = item, as a Boolean.
Result<bool> Criterion(Evaluator& ev, const Node& call, const Item& item, int64_t index) {
  Scratch r;
  HB_RETURN_IF_ERROR(ev.EvalFor(*call.args[0], item, index, *r));
  HB_ASSIGN_OR_RETURN(std::optional<bool> b, ToBoolean(*call.args[0], *r));
  return b.value_or(false);
}

Status Empty(Evaluator&, const Node&, Span input, Collection& out) {
  out.push_back(Item::Boolean(input.empty()));
  return Status::Ok();
}

Status Exists(Evaluator& ev, const Node& call, Span input, Collection& out) {
  bool any = false;
  if (call.args.empty()) {
    any = !input.empty();
  } else {
    for (size_t i = 0; i < input.size() && !any; ++i) {
      HB_ASSIGN_OR_RETURN(any, Criterion(ev, call, input[i], static_cast<int64_t>(i)));
    }
  }
  out.push_back(Item::Boolean(any));
  return Status::Ok();
}

Status All(Evaluator& ev, const Node& call, Span input, Collection& out) {
  bool all = true;
  for (size_t i = 0; i < input.size() && all; ++i) {
    HB_ASSIGN_OR_RETURN(all, Criterion(ev, call, input[i], static_cast<int64_t>(i)));
  }
  out.push_back(Item::Boolean(all));
  return Status::Ok();
}

// allTrue, anyTrue, allFalse, anyFalse: `want` is the value looked for, `all` the quantifier.
Status Quantify(const Node& call, Span input, bool want, bool all, Collection& out) {
  bool result = all;
  for (const Item& item : input) {
    std::optional<Item> v = ToSystem(item);
    if (!v || v->kind() != ItemKind::kBoolean) {
      return EvalError(call, call.name + "() needs Boolean items");
    }
    if (all && v->boolean() != want) result = false;
    if (!all && v->boolean() == want) result = true;
  }
  out.push_back(Item::Boolean(result));
  return Status::Ok();
}
Status AllTrue(Evaluator&, const Node& c, Span in, Collection& out) {
  return Quantify(c, in, true, true, out);
}
Status AnyTrue(Evaluator&, const Node& c, Span in, Collection& out) {
  return Quantify(c, in, true, false, out);
}
Status AllFalse(Evaluator&, const Node& c, Span in, Collection& out) {
  return Quantify(c, in, false, true, out);
}
Status AnyFalse(Evaluator&, const Node& c, Span in, Collection& out) {
  return Quantify(c, in, false, false, out);
}

Status SubsetOf(Evaluator& ev, const Node& call, Span input, Collection& out) {
  Scratch other;
  HB_RETURN_IF_ERROR(ev.Arg(call, 0, *other));
  bool subset_of = call.name == "subsetOf";
  Span small = subset_of ? input : Span(*other), big = subset_of ? Span(*other) : input;
  bool result = true;
  for (const Item& item : small) result = result && CollectionHas(big, item);
  out.push_back(Item::Boolean(result));
  return Status::Ok();
}

Status Count(Evaluator&, const Node&, Span input, Collection& out) {
  out.push_back(Item::Integer(static_cast<int64_t>(input.size())));
  return Status::Ok();
}

Status Distinct(Evaluator&, const Node&, Span input, Collection& out) {
  AppendDistinct(input, out, out.size());
  return Status::Ok();
}

Status IsDistinct(Evaluator&, const Node&, Span input, Collection& out) {
  Scratch d;
  AppendDistinct(input, *d, 0);
  out.push_back(Item::Boolean(d->size() == input.size()));
  return Status::Ok();
}

Status Where(Evaluator& ev, const Node& call, Span input, Collection& out) {
  for (size_t i = 0; i < input.size(); ++i) {
    HB_ASSIGN_OR_RETURN(bool keep, Criterion(ev, call, input[i], static_cast<int64_t>(i)));
    if (keep) out.push_back(input[i]);
  }
  return Status::Ok();
}

Status Select(Evaluator& ev, const Node& call, Span input, Collection& out) {
  for (size_t i = 0; i < input.size(); ++i) {
    HB_RETURN_IF_ERROR(ev.EvalFor(*call.args[0], input[i], static_cast<int64_t>(i), out));
  }
  return Status::Ok();
}

Status Repeat(Evaluator& ev, const Node& call, Span input, Collection& out) {
  Collection current(input.begin(), input.end());
  size_t start = out.size();
  while (!current.empty()) {
    Collection next;
    for (size_t i = 0; i < current.size(); ++i) {
      Scratch r;
      HB_RETURN_IF_ERROR(ev.EvalFor(*call.args[0], current[i], static_cast<int64_t>(i), *r));
      for (const Item& item : *r) {
        if (CollectionHas(Span(out).subspan(start), item)) continue;
        out.push_back(item);
        next.push_back(item);
      }
    }
    current = std::move(next);
  }
  return Status::Ok();
}

Status SingleFn(Evaluator&, const Node& call, Span input, Collection& out) {
  if (input.size() > 1) return EvalError(call, "single() found more than one item");
  out.insert(out.end(), input.begin(), input.end());
  return Status::Ok();
}

Status First(Evaluator&, const Node&, Span input, Collection& out) {
  if (!input.empty()) out.push_back(input.front());
  return Status::Ok();
}

Status Last(Evaluator&, const Node&, Span input, Collection& out) {
  if (!input.empty()) out.push_back(input.back());
  return Status::Ok();
}

Status Tail(Evaluator&, const Node&, Span input, Collection& out) {
  if (input.size() > 1) out.insert(out.end(), input.begin() + 1, input.end());
  return Status::Ok();
}

Status SkipTake(Evaluator& ev, const Node& call, Span input, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<int64_t> n, IntegerArg(ev, call, 0));
  if (!n) return Status::Ok();
  size_t k = *n <= 0 ? 0 : std::min(static_cast<size_t>(*n), input.size());
  if (call.name == "skip") {
    out.insert(out.end(), input.begin() + static_cast<ptrdiff_t>(k), input.end());
  } else {
    out.insert(out.end(), input.begin(), input.begin() + static_cast<ptrdiff_t>(k));
  }
  return Status::Ok();
}

Status Intersect(Evaluator& ev, const Node& call, Span input, Collection& out) {
  Scratch other;
  HB_RETURN_IF_ERROR(ev.Arg(call, 0, *other));
  size_t start = out.size();
  for (const Item& item : input) {
    if (CollectionHas(*other, item) && !CollectionHas(Span(out).subspan(start), item)) {
      out.push_back(item);
    }
  }
  return Status::Ok();
}

Status Exclude(Evaluator& ev, const Node& call, Span input, Collection& out) {
  Scratch other;
  HB_RETURN_IF_ERROR(ev.Arg(call, 0, *other));
  for (const Item& item : input) {
    if (!CollectionHas(*other, item)) out.push_back(item);
  }
  return Status::Ok();
}

Status Union(Evaluator& ev, const Node& call, Span input, Collection& out) {
  Scratch other;
  HB_RETURN_IF_ERROR(ev.Arg(call, 0, *other));
  size_t start = out.size();
  AppendDistinct(input, out, start);
  AppendDistinct(*other, out, start);
  return Status::Ok();
}

Status Combine(Evaluator& ev, const Node& call, Span input, Collection& out) {
  out.insert(out.end(), input.begin(), input.end());
  return ev.Arg(call, 0, out);
}

Status ChildrenFn(Evaluator&, const Node&, Span input, Collection& out) {
  for (const Item& item : input) Children(item, out);
  return Status::Ok();
}

Status Descendants(Evaluator&, const Node&, Span input, Collection& out) {
  size_t start = out.size();
  for (const Item& item : input) Children(item, out);
  for (size_t i = start; i < out.size(); ++i) {
    Item item = out[i];  // Children may reallocate `out`
    Children(item, out);
  }
  return Status::Ok();
}

constexpr FunctionDef kFunctions[] = {
    {"empty", 0, 0, Empty},
    {"exists", 0, 1, Exists},
    {"all", 1, 1, All},
    {"allTrue", 0, 0, AllTrue},
    {"anyTrue", 0, 0, AnyTrue},
    {"allFalse", 0, 0, AllFalse},
    {"anyFalse", 0, 0, AnyFalse},
    {"subsetOf", 1, 1, SubsetOf},
    {"supersetOf", 1, 1, SubsetOf},
    {"count", 0, 0, Count},
    {"distinct", 0, 0, Distinct},
    {"isDistinct", 0, 0, IsDistinct},
    {"where", 1, 1, Where},
    {"select", 1, 1, Select},
    {"repeat", 1, 1, Repeat},
    {"single", 0, 0, SingleFn},
    {"first", 0, 0, First},
    {"last", 0, 0, Last},
    {"tail", 0, 0, Tail},
    {"skip", 1, 1, SkipTake},
    {"take", 1, 1, SkipTake},
    {"intersect", 1, 1, Intersect},
    {"exclude", 1, 1, Exclude},
    {"union", 1, 1, Union},
    {"combine", 1, 1, Combine},
    {"children", 0, 0, ChildrenFn},
    {"descendants", 0, 0, Descendants},
};

}  // namespace

std::span<const FunctionDef> CollectionFunctions() { return kFunctions; }

}  // namespace hb::fhirpath::internal
