// FHIR operations ($name) served by FhirService: the seam between the REST layer and
// the operations/ module (one operation per file there, registered by app/).
//
// An operation is invoked at system (`/fhir/$name`), type (`/fhir/Patient/$match`) or
// instance level (`/fhir/Patient/123/$merge`), by POST with a Parameters body (or a
// resource, as the operation defines) or, when it has no side effects, by GET with its
// parameters in the query string. FhirService parses the request context, finds the
// operation by name and level, and hands it an OperationCall; the operation checks its
// own access rules (through `policy`) and answers through `respond` exactly once.
//
// Thread-safety: Run() is called concurrently from the io threads; operations keep no
// mutable state of their own (or guard it). Ownership: FhirService owns registered
// operations; the store, policy and sink outlive them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "access/access_policy.h"
#include "access/audit_sink.h"
#include "access/principal.h"
#include "http/message.h"
#include "rest/request_context.h"
#include "storage/resource_store.h"

namespace hb::rest {

enum class OperationLevel { kSystem, kType, kInstance };

struct OperationCall {
  http::Request req;
  RequestContext ctx;
  std::shared_ptr<const access::Principal> principal;
  OperationLevel level = OperationLevel::kType;
  std::string type;  // empty at system level
  std::string id;    // instance level only
  storage::ResourceStore* store = nullptr;
  const access::AccessPolicy* policy = nullptr;
  access::AuditSink* sink = nullptr;  // may be null (no auditing)
};

class Operation {
 public:
  virtual ~Operation() = default;
  // The name without '$': "match".
  virtual std::string_view Name() const = 0;
  // Whether the operation exists at this level for this type ("" at system level).
  virtual bool Serves(OperationLevel level, std::string_view type) const = 0;
  // Whether GET may invoke it (no side effects).
  virtual bool AllowsGet() const { return false; }
  // The canonical URL of its OperationDefinition, for the CapabilityStatement.
  virtual std::string_view Definition() const = 0;
  // The definition of one level, for an operation whose levels have definitions of their
  // own (the Bulk Data IG's export, patient-export and group-export); Definition() unless
  // overridden.
  virtual std::string_view DefinitionAt(OperationLevel level) const {
    (void)level;
    return Definition();
  }
  virtual void Run(OperationCall call, http::Responder respond) const = 0;
};

}  // namespace hb::rest
