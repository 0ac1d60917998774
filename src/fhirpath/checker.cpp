// Expression::Check: static checks of an expression against the R4 model (strict mode).
//
// Infers, for every node, the set of FHIR types its items can have (or "any" when the
// model cannot tell: literals, most functions, resolve()), and whether the collection has
// a defined order (children() and descendants() have none). Reports names that are no
// element of any possible type, type names at a path start that the input is not, and
// order-dependent functions applied to unordered collections.
#include <algorithm>

#include "fhirpath/evaluator.h"
#include "fhirpath/fhirpath.h"
#include "fhirpath/navigation.h"

namespace hb::fhirpath {

namespace internal {
namespace {

struct TypeRef {
  std::string_view type;     // FHIR type name
  std::string_view context;  // model context of its children
  bool operator==(const TypeRef&) const = default;
};

struct StaticType {
  bool any = true;
  bool unordered = false;
  bool never = false;  // can hold no item: a path that starts with a type the input is not
  std::vector<TypeRef> types;

  static StaticType Any() { return StaticType(); }
  static StaticType Of(TypeRef t) {
    StaticType s;
    s.any = false;
    s.types.push_back(t);
    return s;
  }
  void Add(const StaticType& o) {
    if (o.never) return;
    if (never) {
      *this = o;
      return;
    }
    if (any) return;
    if (o.any) {
      any = true;
      types.clear();
      return;
    }
    for (const TypeRef& t : o.types) {
      if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
    }
  }
};

const fhir::Model& M() { return fhir::Model::R4(); }

StaticType OfElement(const fhir::ElementDef& e) {
  if (e.polymorphic) return StaticType::Any();
  return StaticType::Of({e.type, e.context});
}

Status CheckError(const Node& at, const std::string& what) {
  return Status(ErrorCode::kInvalidArgument,
                "fhirpath check at " + std::to_string(at.pos) + ": " + what);
}

class Checker {
 public:
  explicit Checker(StaticType root) : root_(root), this_(root) {}

  Status Run(const Node& root) {
    StaticType out;
    HB_RETURN_IF_ERROR(Check(root, nullptr, out));
    return out.never ? never_reason_ : Status::Ok();
  }

  Status Check(const Node& n, const StaticType* input, StaticType& out) {
    switch (n.op) {
      case NodeOp::kThis:
        out = this_;
        return Status::Ok();
      case NodeOp::kVariable:
        out = n.name == "context" || n.name == "resource" ? root_ : StaticType::Any();
        return Status::Ok();
      case NodeOp::kMember:
        return Member(n, input ? *input : this_, input == nullptr, out);
      case NodeOp::kFunction:
        return Function(n, input ? *input : this_, out);
      case NodeOp::kInvoke: {
        StaticType target;
        HB_RETURN_IF_ERROR(Check(*n.args[0], input, target));
        return Check(*n.args[1], &target, out);
      }
      case NodeOp::kIndexer: {
        StaticType base, index;
        HB_RETURN_IF_ERROR(Check(*n.args[0], input, base));
        HB_RETURN_IF_ERROR(Check(*n.args[1], nullptr, index));
        if (base.unordered)
          return CheckError(n, "[] on the unordered result of children()/descendants()");
        out = base;
        return Status::Ok();
      }
      case NodeOp::kAs:
      case NodeOp::kIs: {
        StaticType operand;
        HB_RETURN_IF_ERROR(Check(*n.args[0], nullptr, operand));
        out = n.op == NodeOp::kAs ? Named(n.type) : StaticType::Any();
        return Status::Ok();
      }
      default: {
        StaticType left, right;
        for (size_t i = 0; i < n.args.size(); ++i) {
          HB_RETURN_IF_ERROR(Check(*n.args[i], nullptr, i == 0 ? left : right));
        }
        out = StaticType::Any();
        if (n.op == NodeOp::kBinary && n.bin == BinaryOp::kUnion) {
          out = left;
          out.Add(right);
        }
        return Status::Ok();
      }
    }
  }

 private:
  static StaticType Named(const TypeSpec& spec) {
    if (spec.ns == "System") return StaticType::Any();
    const fhir::TypeDef* t = M().FindType(spec.name);
    if (t == nullptr) return StaticType::Any();
    return StaticType::Of({t->name, t->name});
  }

  Status Member(const Node& n, const StaticType& in, bool path_start, StaticType& out) {
    out = StaticType();
    out.any = in.any;
    out.unordered = in.unordered;
    out.never = in.never;
    if (in.any || in.never) return Status::Ok();
    out.any = false;
    bool type_name = M().FindType(n.name) != nullptr;
    for (const TypeRef& t : in.types) {
      if (const fhir::ElementDef* e = M().FindElement(t.context, n.name)) {
        if (!e->choice_group.empty() && e->choice_group != e->name) {
          return CheckError(n, "'" + n.name + "' is not an element of " + std::string(t.type) +
                                   "; use the choice name '" + std::string(e->choice_group) + "'");
        }
        out.Add(OfElement(*e));
        continue;
      }
      for (const fhir::ElementDef& e : M().Elements(t.context)) {
        if (e.choice_group == n.name) out.Add(OfElement(e));
      }
      if (path_start && type_name && IsSubtypeOf(t.type, n.name)) out.Add(StaticType::Of(t));
    }
    if (out.any || !out.types.empty()) return Status::Ok();
    std::string types;
    for (const TypeRef& t : in.types) types += (types.empty() ? "" : " | ") + std::string(t.type);
    if (path_start && type_name) {
      // Only an error if the whole expression can then produce nothing (see Run): a union
      // of paths for several types ("Patient.name | Practitioner.name") is fine.
      out.never = true;
      if (never_reason_.ok())
        never_reason_ = CheckError(n, "the input is " + types + ", not " + n.name);
      return Status::Ok();
    }
    return CheckError(n, "'" + n.name + "' is not an element of " + types);
  }

  // Checks the arguments; lambda arguments see $this = the input's type.
  Status Arguments(const Node& n, const StaticType& in, bool lambda, std::vector<StaticType>& out) {
    StaticType saved = this_;
    if (lambda) {
      this_ = in;
      this_.unordered = false;
    }
    out.resize(n.args.size());
    Status s;
    for (size_t i = 0; i < n.args.size() && s.ok(); ++i) s = Check(*n.args[i], nullptr, out[i]);
    this_ = saved;
    return s;
  }

  Status Function(const Node& n, const StaticType& in, StaticType& out) {
    static constexpr std::string_view kLambdas[] = {
        "where", "select", "all", "exists", "repeat", "aggregate", "sort", "trace", "iif"};
    static constexpr std::string_view kSameType[] = {"where",     "distinct", "trace", "single",
                                                     "intersect", "exclude",  "first", "last",
                                                     "tail",      "skip",     "take",  "sort"};
    static constexpr std::string_view kOrdered[] = {"first", "last", "tail", "skip", "take"};
    const std::string& f = n.name;
    auto in_list = [&f](auto& list) {
      return std::find(std::begin(list), std::end(list), f) != std::end(list);
    };
    std::vector<StaticType> args;
    HB_RETURN_IF_ERROR(Arguments(n, in, in_list(kLambdas), args));
    if (in_list(kOrdered) && in.unordered) {
      return CheckError(n, f + "() on the unordered result of children()/descendants()");
    }
    if (in_list(kSameType)) {
      out = in;
    } else if (f == "select") {
      out = args[0];
    } else if (f == "as" || f == "ofType") {
      out = Named(n.type);
    } else if (f == "children" || f == "descendants") {
      out = StaticType::Any();
      out.unordered = true;
    } else if (f == "extension") {
      out = StaticType::Of({"Extension", "Extension"});
    } else if (f == "union" || f == "combine") {
      out = in;
      out.Add(args[0]);
    } else if (f == "iif") {
      out = args[1];
      if (args.size() > 2) out.Add(args[2]);
    } else {
      out = StaticType::Any();
    }
    return Status::Ok();
  }

  StaticType root_;
  StaticType this_;
  Status never_reason_;
};

}  // namespace
}  // namespace internal

Status Expression::Check(std::string_view input_type) const {
  internal::StaticType root = internal::StaticType::Any();
  if (!input_type.empty()) {
    const fhir::TypeDef* t = fhir::Model::R4().FindType(input_type);
    if (t == nullptr) {
      return Status(ErrorCode::kInvalidArgument,
                    "fhirpath: unknown input type '" + std::string(input_type) + "'");
    }
    root = internal::StaticType::Of({t->name, t->name});
  }
  return internal::Checker(root).Run(*ast_->root);
}

}  // namespace hb::fhirpath
