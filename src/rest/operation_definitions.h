// The OperationDefinitions of the operations this server offers, served read-only at
// /fhir/OperationDefinition (read, vread of version 1, search by url, name, code, ...).
//
// One source of truth: every resources/fhir/operations/OperationDefinition-*.json is linked
// into the binary (src/rest/CMakeLists.txt lists the folder), and the named queries
// (search/named_query.h, kind = query) are served from the definitions they were read from.
// The CapabilityStatement names each operation by its definition's canonical URL;
// CheckOperations verifies at start-up that every registered operation has a definition
// with that URL (for an operation with a definition per level, each of them) whose code,
// resource types and system/type/instance flags agree with what the operation really serves
// under it, so a new operation without a definition cannot ship.
// Standard operations keep the canonical URL that clients look for
// (http://hl7.org/fhir/OperationDefinition/Patient-everything, the Bulk Data $export, ...);
// the served copy lists the parameters this server implements.
//
// Thread-safety: immutable after Load; all methods const and safe to call concurrently.
// Failure modes: Load fails on an embedded or named-query definition that is not a valid
// R4 OperationDefinition or repeats an id or a canonical URL (a build or deployment error).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "rest/operation.h"
#include "storage/resource_store.h"

namespace hb::rest {

struct OperationDefinitionEntry {
  std::string id, url, version, name, title, code, kind, status, base;
  std::vector<std::string> resources;  // OperationDefinition.resource
  bool system = false, type = false, instance = false, affects_state = false;
  std::string source;               // file name, for messages
  storage::ResourceVersion served;  // version 1, canonical JSON with meta
};

// Patient/$everything is served by FhirService itself, not by a registered Operation.
inline constexpr std::string_view kEverythingDefinition =
    "http://hl7.org/fhir/OperationDefinition/Patient-everything";

// Whether Search understands this parameter (listed in the CapabilityStatement).
bool IsOperationDefinitionSearchParam(std::string_view code);

class OperationDefinitions {
 public:
  // The linked-in definitions, then `named_queries` (OperationDefinition JSON texts with
  // their sources); `loaded_at` (microseconds) is their lastUpdated.
  static Result<std::shared_ptr<const OperationDefinitions>> Load(
      const std::vector<std::pair<std::string, std::string>>& named_queries, int64_t loaded_at);

  const OperationDefinitionEntry* ById(std::string_view id) const;
  const OperationDefinitionEntry* ByUrl(std::string_view url) const;
  const std::vector<OperationDefinitionEntry>& All() const { return entries_; }

  // The definitions matching a search's parameters (FHIR search semantics: `,` ORs values,
  // a repeated parameter ANDs): _id, url, version, name, title (string: starts with, case
  // and accent folded; :exact, :contains), code, kind, status, system, type, instance
  // (token), base (uri). `used` receives the parameters applied, for the self link; an
  // unknown parameter is kInvalidSearchParameter when `strict`, else ignored. Paging
  // (_count, _offset, _summary=count) is the caller's.
  Result<std::vector<const OperationDefinitionEntry*>> Search(
      const std::vector<std::pair<std::string, std::string>>& params, bool strict,
      std::vector<std::pair<std::string, std::string>>* used) const;

  // kInternal naming the operation when a registered operation has no definition at its
  // Definition() URL, or one whose code, resource types or level flags disagree with what
  // it serves; Patient/$everything is checked too.
  Status CheckOperations(const std::vector<std::unique_ptr<Operation>>& operations) const;

 private:
  // One definition against what `op` serves under it: the system flag, the type and instance
  // flags and the resource types.
  Status CheckDefinition(const Operation& op, std::string_view url, bool system, bool type,
                         bool instance, std::vector<std::string> served) const;
  std::vector<OperationDefinitionEntry> entries_;  // sorted by id
};

}  // namespace hb::rest
