// Write rules: business checks and side effects that domain code attaches to the writes of
// one resource type, run inside the write's transaction on the store's writer thread
// (rest/write_ops.cpp, Store). They apply to writes made on behalf of a principal (the API,
// batches and transactions, operations writing as the caller); internal loads without an
// Actor (the demo, migrations) bypass them.
//
// Check() may refuse a write: its Status becomes the answer and nothing is written.
// After() runs once the version is stored and may write more in the same transaction (a
// ServiceRequest's ChargeItem); a failure rolls the whole write back.
//
// An issue whose location reads "details=<code>;<expression>" is rendered by rest/outcome.cpp
// as a business-rule issue (RuleFindingIssue) with issue.details.coding[{system:
// kRuleFindingSystem, code}] and the expression, so a refusal can name the kind of each
// finding (allergy, interaction...).
//
// Thread-safety: AddWriteRule is called before serving; the rules themselves must be
// thread-compatible (only the writer thread calls them). Rules live for the process.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/resource_store.h"

namespace hb::rest {

struct Actor;
struct ResourceInput;

inline constexpr std::string_view kRuleFindingSystem =
    "http://healthbook.vn/fhir/CodeSystem/rule-finding";

class WriteRule {
 public:
  virtual ~WriteRule() = default;
  // First, before anything is derived from `in`: may complete the resource (the author of a
  // record from the signed-in practitioner); returns whether it changed it, and then the
  // search index is computed again. Only members may be added at the top level.
  virtual bool Amend(storage::WriteTxn& txn, Actor& actor, ResourceInput& in, bool create) const {
    return false;
  }
  // Before `in` (references resolved) is stored as type/id; `create` for a first version.
  virtual Status Check(storage::WriteTxn& txn, Actor& actor, const ResourceInput& in,
                       std::string_view id, bool create) const {
    return Status::Ok();
  }
  // After `written` became current.
  virtual Status After(storage::WriteTxn& txn, Actor& actor,
                       const storage::ResourceVersion& written, bool create) const {
    return Status::Ok();
  }
};

// Adds a rule for writes of `type` (several rules run in the order added).
void AddWriteRule(std::string type, std::shared_ptr<const WriteRule> rule);
// Runs the rules of in.type; used by write_ops.cpp (amends, then checks, then after).
Status RunWriteRuleAmends(storage::WriteTxn& txn, Actor* actor, ResourceInput& in, bool create);
Status RunWriteRuleChecks(storage::WriteTxn& txn, Actor* actor, const ResourceInput& in,
                          std::string_view id, bool create);
Status RunWriteRulesAfter(storage::WriteTxn& txn, Actor* actor,
                          const storage::ResourceVersion& written, bool create);
// "details=<code>;<expression>" for Issue.location (see above).
std::string FindingLocation(std::string_view code, std::string_view expression);

}  // namespace hb::rest
