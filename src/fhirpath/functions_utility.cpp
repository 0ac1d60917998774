// Boolean, conditional, aggregate, sort, type and clock functions:
// http://hl7.org/fhirpath/N1/#boolean-logic, #iif, #aggregates, #types, #utility-functions
#include <algorithm>

#include "fhirpath/functions.h"
#include "fhirpath/operators.h"
#include "fhirpath/types.h"

namespace hb::fhirpath::internal {

namespace {

Status Not(Evaluator&, const Node& call, Span input, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<bool> b, ToBoolean(call, input));
  if (b) out.push_back(Item::Boolean(!*b));
  return Status::Ok();
}

// Evaluates argument `i` with $this = the single input item, if there is one.
Status ArgOnInput(Evaluator& ev, const Node& call, size_t i, Span input, Collection& out) {
  if (input.size() == 1 && !ev.IsThis(input)) return ev.EvalFor(*call.args[i], input[0], 0, out);
  return ev.Arg(call, i, out);
}

Status Iif(Evaluator& ev, const Node& call, Span input, Collection& out) {
  if (input.size() > 1) return EvalError(call, "iif() needs at most one input item");
  Scratch criterion;
  HB_RETURN_IF_ERROR(ArgOnInput(ev, call, 0, input, *criterion));
  if (criterion->size() > 1) return EvalError(call, "the iif() criterion is a collection");
  bool yes = false;
  if (!criterion->empty()) {
    std::optional<Item> v = ToSystem(criterion->front());
    if (!v || v->kind() != ItemKind::kBoolean) {
      return EvalError(call, "the iif() criterion is not a Boolean");
    }
    yes = v->boolean();
  }
  if (yes) return ArgOnInput(ev, call, 1, input, out);
  if (call.args.size() > 2) return ArgOnInput(ev, call, 2, input, out);
  return Status::Ok();
}

Status Trace(Evaluator& ev, const Node& call, Span input, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> name, StringArg(ev, call, 0));
  if (ev.options().trace) {
    std::string_view label = name ? name->string() : std::string_view();
    if (call.args.size() > 1) {
      Scratch projected;
      for (size_t i = 0; i < input.size(); ++i) {
        HB_RETURN_IF_ERROR(
            ev.EvalFor(*call.args[1], input[i], static_cast<int64_t>(i), *projected));
      }
      ev.options().trace(label, *projected);
    } else {
      ev.options().trace(label, input);
    }
  }
  out.insert(out.end(), input.begin(), input.end());
  return Status::Ok();
}

Status Aggregate(Evaluator& ev, const Node& call, Span input, Collection& out) {
  Collection total;
  if (call.args.size() > 1) HB_RETURN_IF_ERROR(ev.Arg(call, 1, total));
  for (size_t i = 0; i < input.size(); ++i) {
    Collection next;
    HB_RETURN_IF_ERROR(
        ev.EvalForTotal(*call.args[0], input[i], static_cast<int64_t>(i), total, next));
    total = std::move(next);
  }
  out.insert(out.end(), total.begin(), total.end());
  return Status::Ok();
}

// sort(keys...): a key written -expr sorts descending; empty keys sort last (first when
// descending).
Status Sort(Evaluator& ev, const Node& call, Span input, Collection& out) {
  struct Key {
    const Node* expr;
    bool descending;
  };
  std::vector<Key> keys;
  for (const auto& arg : call.args) {
    if (arg->op == NodeOp::kPolarity)
      keys.push_back({arg->args[0].get(), arg->negate});
    else
      keys.push_back({arg.get(), false});
  }
  size_t nk = std::max<size_t>(keys.size(), 1);
  std::vector<std::optional<Item>> values(input.size() * nk);
  for (size_t i = 0; i < input.size(); ++i) {
    for (size_t k = 0; k < nk; ++k) {
      if (keys.empty()) {
        HB_ASSIGN_OR_RETURN(values[i * nk], Single(call, input.subspan(i, 1)));
        continue;
      }
      Scratch r;
      HB_RETURN_IF_ERROR(ev.EvalFor(*keys[k].expr, input[i], static_cast<int64_t>(i), *r));
      HB_ASSIGN_OR_RETURN(values[i * nk + k], Single(*keys[k].expr, *r));
    }
  }
  std::vector<size_t> order(input.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  Status error;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (size_t k = 0; k < nk; ++k) {
      const auto& x = values[a * nk + k];
      const auto& y = values[b * nk + k];
      int c = 0;
      if (!x || !y) {
        c = (x ? 0 : 1) - (y ? 0 : 1);
      } else {
        auto r = CompareValues(call, *x, *y);
        if (!r.ok()) {
          if (error.ok()) error = r.status();
          return false;
        }
        c = r->value_or(0);
      }
      if (!keys.empty() && keys[k].descending) c = -c;
      if (c != 0) return c < 0;
    }
    return false;
  });
  HB_RETURN_IF_ERROR(error);
  for (size_t i : order) out.push_back(input[i]);
  return Status::Ok();
}

Status Is(Evaluator&, const Node& call, Span input, Collection& out) {
  HB_ASSIGN_OR_RETURN(ResolvedType type, ResolveType(call, call.type));
  if (input.empty()) return Status::Ok();
  if (input.size() > 1) return EvalError(call, "is() needs a single input item");
  out.push_back(Item::Boolean(MatchesType(input[0], type, false)));
  return Status::Ok();
}

Status As(Evaluator&, const Node& call, Span input, Collection& out) {
  HB_ASSIGN_OR_RETURN(ResolvedType type, ResolveType(call, call.type));
  if (input.size() > 1) return EvalError(call, "as() needs a single input item");
  if (!input.empty() && MatchesType(input[0], type, true)) out.push_back(input[0]);
  return Status::Ok();
}

Status OfType(Evaluator&, const Node& call, Span input, Collection& out) {
  HB_ASSIGN_OR_RETURN(ResolvedType type, ResolveType(call, call.type));
  for (const Item& item : input) {
    if (MatchesType(item, type, true)) out.push_back(item);
  }
  return Status::Ok();
}

Status Type(Evaluator&, const Node&, Span input, Collection& out) {
  for (const Item& item : input) out.push_back(TypeInfoOf(item));
  return Status::Ok();
}

Status Now(Evaluator& ev, const Node&, Span, Collection& out) {
  out.push_back(Item::FromDateTime(ev.Now()));
  return Status::Ok();
}

Status Today(Evaluator& ev, const Node&, Span, Collection& out) {
  DateTime d = ev.Now();
  d.kind = DateTime::Kind::kDate;
  d.precision = DateTimePrecision::kDay;
  d.hour = d.minute = d.second = 0;
  d.nanos = 0;
  d.fraction_digits = 0;
  d.has_tz = d.tz_z = false;
  out.push_back(Item::FromDateTime(d));
  return Status::Ok();
}

Status TimeOfDay(Evaluator& ev, const Node&, Span, Collection& out) {
  DateTime t = ev.Now();
  t.kind = DateTime::Kind::kTime;
  t.has_tz = t.tz_z = false;
  out.push_back(Item::FromDateTime(t));
  return Status::Ok();
}

constexpr FunctionDef kFunctions[] = {
    {"not", 0, 0, Not},     {"iif", 2, 3, Iif},
    {"trace", 1, 2, Trace}, {"aggregate", 1, 2, Aggregate},
    {"sort", 0, 16, Sort},  {"is", 1, 1, Is, true},
    {"as", 1, 1, As, true}, {"ofType", 1, 1, OfType, true},
    {"type", 0, 0, Type},   {"now", 0, 0, Now},
    {"today", 0, 0, Today}, {"timeOfDay", 0, 0, TimeOfDay},
};

}  // namespace

std::span<const FunctionDef> UtilityFunctions() { return kFunctions; }

}  // namespace hb::fhirpath::internal
