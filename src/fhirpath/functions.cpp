#include "fhirpath/functions.h"

#include <unordered_map>

#include "fhirpath/operators.h"

namespace hb::fhirpath::internal {

const FunctionDef* FindFunction(std::string_view name) {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string_view, const FunctionDef*>();
    for (auto group :
         {CollectionFunctions(), UtilityFunctions(), StringFunctions(), EncodingFunctions(),
          ConversionFunctions(), MathFunctions(), FhirFunctions()}) {
      for (const FunctionDef& f : group) t->emplace(f.name, &f);
    }
    return t;
  }();
  auto it = table->find(name);
  return it == table->end() ? nullptr : it->second;
}

Result<std::optional<Item>> InputValue(const Node& call, Span input) {
  if (input.size() > 1) {
    return EvalError(call, call.name + "() needs a single input item, not a collection");
  }
  return Single(call, input);
}

Result<std::optional<Item>> InputString(const Node& call, Span input) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, InputValue(call, input));
  if (v && v->kind() != ItemKind::kString) {
    return EvalError(call, call.name + "() applies to strings, not to " + TypeName(*v));
  }
  return v;
}

Result<std::optional<Item>> StringArg(Evaluator& ev, const Node& call, size_t i) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, ev.SingleArg(call, i));
  if (v && v->kind() != ItemKind::kString) {
    return EvalError(call, call.name + "() needs a string argument");
  }
  return v;
}

Result<std::optional<int64_t>> IntegerArg(Evaluator& ev, const Node& call, size_t i) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, ev.SingleArg(call, i));
  if (!v) return std::optional<int64_t>();
  if (v->kind() != ItemKind::kInteger)
    return EvalError(call, call.name + "() needs an integer argument");
  return std::optional<int64_t>(v->integer());
}

}  // namespace hb::fhirpath::internal
