#include "rest/write_rules.h"

#include <map>
#include <vector>

#include "rest/write_ops.h"
#include "search/indexer.h"

namespace hb::rest {

namespace {

using RuleMap = std::map<std::string, std::vector<std::shared_ptr<const WriteRule>>, std::less<>>;

RuleMap& Rules() {
  static RuleMap rules;
  return rules;
}

const std::vector<std::shared_ptr<const WriteRule>>* RulesFor(std::string_view type) {
  const RuleMap& rules = Rules();
  auto it = rules.find(type);
  return it == rules.end() ? nullptr : &it->second;
}

bool Applies(const Actor* actor) { return actor && actor->principal; }

}  // namespace

void AddWriteRule(std::string type, std::shared_ptr<const WriteRule> rule) {
  Rules()[std::move(type)].push_back(std::move(rule));
}

Status RunWriteRuleAmends(storage::WriteTxn& txn, Actor* actor, ResourceInput& in, bool create) {
  if (!Applies(actor)) return Status::Ok();
  const auto* rules = RulesFor(in.type);
  if (!rules) return Status::Ok();
  bool changed = false;
  for (const auto& r : *rules) changed |= r->Amend(txn, *actor, in, create);
  if (changed) {
    in.index = search::IndexEntries{};
    search::IndexResource(search::ParamRegistry::Default(), in.type, *in.json, &in.index);
  }
  return Status::Ok();
}

Status RunWriteRuleChecks(storage::WriteTxn& txn, Actor* actor, const ResourceInput& in,
                          std::string_view id, bool create) {
  if (!Applies(actor)) return Status::Ok();
  const auto* rules = RulesFor(in.type);
  if (!rules) return Status::Ok();
  for (const auto& r : *rules) HB_RETURN_IF_ERROR(r->Check(txn, *actor, in, id, create));
  return Status::Ok();
}

Status RunWriteRulesAfter(storage::WriteTxn& txn, Actor* actor,
                          const storage::ResourceVersion& written, bool create) {
  if (!Applies(actor)) return Status::Ok();
  const auto* rules = RulesFor(written.type);
  if (!rules) return Status::Ok();
  for (const auto& r : *rules) HB_RETURN_IF_ERROR(r->After(txn, *actor, written, create));
  return Status::Ok();
}

std::string FindingLocation(std::string_view code, std::string_view expression) {
  return "details=" + std::string(code) + ";" + std::string(expression);
}

}  // namespace hb::rest
