#include "fhirpath/evaluator.h"

#include <ctime>

#include "common/clock.h"
#include "fhirpath/navigation.h"
#include "fhirpath/operators.h"
#include "fhirpath/types.h"

namespace hb::fhirpath::internal {

namespace {

// Collections kept for reuse by this thread's evaluations.
struct Pool {
  std::vector<Collection*> free;
  ~Pool() {
    for (Collection* c : free) delete c;
  }
};
thread_local Pool t_pool;
constexpr size_t kMaxPooled = 64;
constexpr size_t kMaxPooledCapacity = 4096;

int LocalOffsetMinutes(int64_t micros) {
  std::time_t secs = static_cast<std::time_t>(micros / 1000000);
  std::tm local{};
  localtime_r(&secs, &local);
  return static_cast<int>(local.tm_gmtoff / 60);
}

}  // namespace

Scratch::Scratch() {
  if (t_pool.free.empty()) {
    c_ = new Collection();
    c_->reserve(8);
  } else {
    c_ = t_pool.free.back();
    t_pool.free.pop_back();
  }
}

Scratch::~Scratch() {
  c_->clear();
  if (t_pool.free.size() < kMaxPooled && c_->capacity() <= kMaxPooledCapacity) {
    t_pool.free.push_back(c_);
  } else {
    delete c_;
  }
}

Status EvalError(const Node& at, std::string_view what) {
  return Status(ErrorCode::kUnprocessable, "fhirpath evaluation error at " +
                                               std::to_string(at.pos) + ": " + std::string(what));
}

Evaluator::Evaluator(const EvalOptions& options, Span input, const Item* resource)
    : options_(options), context_(input), resource_(resource), frame_{input, -1, nullptr} {}

const DateTime& Evaluator::Now() {
  if (!now_) {
    int64_t micros = options_.now_micros != 0 ? options_.now_micros : NowMicros();
    int tz = options_.tz_offset_minutes ? *options_.tz_offset_minutes : LocalOffsetMinutes(micros);
    now_ = DateTimeFromMicros(micros, tz);
  }
  return *now_;
}

Status Evaluator::EvalFor(const Node& node, const Item& item, int64_t index, Collection& out) {
  Frame saved = frame_;
  frame_ = Frame{Span(&item, 1), index, frame_.total};
  Status s = Eval(node, nullptr, out);
  frame_ = saved;
  return s;
}

Status Evaluator::EvalForTotal(const Node& node, const Item& item, int64_t index,
                               const Collection& total, Collection& out) {
  Frame saved = frame_;
  frame_ = Frame{Span(&item, 1), index, &total};
  Status s = Eval(node, nullptr, out);
  frame_ = saved;
  return s;
}

Result<std::optional<Item>> Evaluator::SingleArg(const Node& call, size_t i) {
  Scratch arg;
  HB_RETURN_IF_ERROR(Arg(call, i, *arg));
  return Single(*call.args[i], *arg);
}

Status Evaluator::Eval(const Node& n, const Collection* input, Collection& out) {
  switch (n.op) {
    case NodeOp::kLiteral:
      out.push_back(n.literal);
      return Status::Ok();
    case NodeOp::kEmpty:
      return Status::Ok();
    case NodeOp::kMember:
      for (const Item& item : input ? Span(*input) : frame_.this_items) {
        HB_RETURN_IF_ERROR(Navigate(n, item, n.name, input == nullptr, out));
      }
      return Status::Ok();
    case NodeOp::kFunction:
      return n.fn->impl(*this, n, input ? Span(*input) : frame_.this_items, out);
    case NodeOp::kThis:
      out.insert(out.end(), frame_.this_items.begin(), frame_.this_items.end());
      return Status::Ok();
    case NodeOp::kIndex:
      if (frame_.index >= 0) out.push_back(Item::Integer(frame_.index));
      return Status::Ok();
    case NodeOp::kTotal:
      if (frame_.total != nullptr)
        out.insert(out.end(), frame_.total->begin(), frame_.total->end());
      return Status::Ok();
    case NodeOp::kVariable:
      return EvalVariable(n, out);
    case NodeOp::kInvoke: {
      Scratch target;
      HB_RETURN_IF_ERROR(Eval(*n.args[0], input, *target));
      return Eval(*n.args[1], &*target, out);
    }
    case NodeOp::kIndexer:
      return EvalIndexer(n, input, out);
    case NodeOp::kPolarity:
      return EvalPolarity(n, out);
    case NodeOp::kBinary:
      return EvalBinary(n, out);
    case NodeOp::kIs:
    case NodeOp::kAs:
      return EvalTypeOp(n, out);
  }
  return EvalError(n, "unknown node");
}

Status Evaluator::EvalVariable(const Node& n, Collection& out) {
  if (n.name == "context") {
    out.insert(out.end(), context_.begin(), context_.end());
  } else if (resource_ != nullptr) {
    out.push_back(*resource_);
  }
  return Status::Ok();
}

Status Evaluator::EvalIndexer(const Node& n, const Collection* input, Collection& out) {
  Scratch base;
  HB_RETURN_IF_ERROR(Eval(*n.args[0], input, *base));
  HB_ASSIGN_OR_RETURN(std::optional<Item> index, SingleArg(n, 1));
  if (!index) return Status::Ok();
  if (index->kind() != ItemKind::kInteger) return EvalError(n, "an index must be an integer");
  int64_t i = index->integer();
  if (i >= 0 && static_cast<size_t>(i) < base->size())
    out.push_back((*base)[static_cast<size_t>(i)]);
  return Status::Ok();
}

Status Evaluator::EvalPolarity(const Node& n, Collection& out) {
  Scratch operand;
  HB_RETURN_IF_ERROR(Eval(*n.args[0], nullptr, *operand));
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, Single(n, *operand));
  if (!v) return Status::Ok();
  switch (v->kind()) {
    case ItemKind::kInteger:
      out.push_back(n.negate ? Item::Integer(-v->integer()) : *v);
      return Status::Ok();
    case ItemKind::kDecimal:
      out.push_back(n.negate ? Item::FromDecimal(v->decimal().Negate()) : *v);
      return Status::Ok();
    case ItemKind::kQuantity: {
      Quantity q = v->quantity();
      if (n.negate) q.value = q.value.Negate();
      Item r = Item::OwnedQuantity(q.value, std::string(q.unit), q.calendar);
      out.push_back(std::move(r));
      return Status::Ok();
    }
    default:
      return EvalError(n, "unary + and - apply to numbers and quantities only");
  }
}

Status Evaluator::EvalTypeOp(const Node& n, Collection& out) {
  Scratch operand;
  HB_RETURN_IF_ERROR(Eval(*n.args[0], nullptr, *operand));
  HB_ASSIGN_OR_RETURN(ResolvedType type, ResolveType(n, n.type));
  if (n.op == NodeOp::kIs) {
    if (operand->empty()) return Status::Ok();
    if (operand->size() > 1) return EvalError(n, "'is' needs a single item");
    out.push_back(Item::Boolean(MatchesType(operand->front(), type, false)));
    return Status::Ok();
  }
  // The `as` operator filters every item (R4 search parameters apply it to lists).
  for (const Item& item : *operand) {
    if (MatchesType(item, type, true)) out.push_back(item);
  }
  return Status::Ok();
}

Status Evaluator::EvalBinary(const Node& n, Collection& out) {
  BinaryOp op = n.bin;
  Scratch l;
  HB_RETURN_IF_ERROR(Eval(*n.args[0], nullptr, *l));
  if (op == BinaryOp::kAnd || op == BinaryOp::kOr || op == BinaryOp::kImplies ||
      op == BinaryOp::kXor) {
    HB_ASSIGN_OR_RETURN(std::optional<bool> a, ToBoolean(*n.args[0], *l));
    // Short-circuits: false and x, true or x, false implies x.
    if (a && ((op == BinaryOp::kAnd && !*a) || (op == BinaryOp::kOr && *a))) {
      out.push_back(Item::Boolean(*a));
      return Status::Ok();
    }
    if (a && op == BinaryOp::kImplies && !*a) {
      out.push_back(Item::Boolean(true));
      return Status::Ok();
    }
    Scratch r;
    HB_RETURN_IF_ERROR(Eval(*n.args[1], nullptr, *r));
    HB_ASSIGN_OR_RETURN(std::optional<bool> b, ToBoolean(*n.args[1], *r));
    std::optional<bool> v;
    switch (op) {
      case BinaryOp::kAnd:
        if (b && !*b)
          v = false;
        else if (a && b)
          v = true;
        break;
      case BinaryOp::kOr:
        if (b && *b)
          v = true;
        else if (a && b)
          v = false;
        break;
      case BinaryOp::kXor:
        if (a && b) v = *a != *b;
        break;
      default:  // implies: a is true or unknown
        if (b && *b)
          v = true;
        else if (a)
          v = b;
        break;
    }
    if (v) out.push_back(Item::Boolean(*v));
    return Status::Ok();
  }
  Scratch r;
  HB_RETURN_IF_ERROR(Eval(*n.args[1], nullptr, *r));
  switch (op) {
    case BinaryOp::kUnion: {
      size_t start = out.size();
      AppendDistinct(*l, out, start);
      AppendDistinct(*r, out, start);
      return Status::Ok();
    }
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual:
    case BinaryOp::kEquivalent:
    case BinaryOp::kNotEquivalent:
      return EqualityOp(n, *l, *r, out);
    case BinaryOp::kLess:
    case BinaryOp::kLessEq:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEq:
      return CompareOp(n, *l, *r, out);
    case BinaryOp::kIn:
    case BinaryOp::kContains:
      return MembershipOp(n, *l, *r, out);
    default:
      return ArithmeticOp(n, *l, *r, out);
  }
}

}  // namespace hb::fhirpath::internal
