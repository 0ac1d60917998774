// IdentifierLookup: an optional capability of a store's write transaction, finding the resources
// of a type that carry one identifier (system and value) with prepared statements (SQLite: the
// lookup index's rows, then each resource by rid), without parsing and building a search. The
// HL7 v2 interface looks up each message's patient and order this way (app/lis_transaction.cpp);
// the answer is the one the search `<type>?identifier=<system>|<value>` would give (the current,
// non-deleted resources, in rid order, at most `limit`, all when it is negative), and it sees
// the transaction's own earlier writes. Stores without it (PostgreSQL) are served by the general
// search.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/resource_store.h"

namespace hb::storage {

class IdentifierLookup {
 public:
  virtual ~IdentifierLookup() = default;
  // nullopt when the store does not index `identifier` on `type` (the caller then asks the
  // general search, which says so).
  virtual Result<std::optional<std::vector<ResourceVersion>>> FindByIdentifier(
      std::string_view type, std::string_view system, std::string_view value, int limit) = 0;
};

}  // namespace hb::storage
