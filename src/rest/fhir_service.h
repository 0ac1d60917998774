// FhirService: the FHIR R4 RESTful API (https://hl7.org/fhir/R4/http.html) on
// a ResourceStore, as an http::Handler mounted at /fhir.
//
// Interactions: capabilities, read, vread, update (also as create), patch
// (JSON Patch), delete, create, search (type level), history (instance, type,
// system), batch and transaction; conditional create/update/delete.
// Reads run on the calling io thread; writes are validated on the io thread,
// then queued to the store's writer and answered after their group commits.
//
// Thread-safety: Handle() may be called concurrently from many threads.
// Ownership: the service borrows the store, which must outlive it.
#pragma once

#include <memory>
#include <string>

#include <vector>

#include "access/access_policy.h"
#include "access/audit_sink.h"
#include "access/principal.h"
#include "http/message.h"
#include "rest/operation.h"
#include "rest/operation_definitions.h"
#include "rest/request_context.h"
#include "search/search_query.h"
#include "storage/resource_store.h"

namespace hb::rest {

struct ServiceOptions {
  std::string base_url;            // empty: http://<Host header>/fhir
  std::string software_version;    // for the CapabilityStatement
  size_t max_bundle_entries = 10000;
};

class FhirService {
 public:
  // `sink` may be null (no read auditing: tools and tests of the REST layer).
  FhirService(storage::ResourceStore& store, const access::AccessPolicy& policy,
              access::AuditSink* sink, ServiceOptions options);
  // Serves requests whose path starts with /fhir, on behalf of `principal`.
  void Handle(http::Request&& req, access::Principal principal, http::Responder respond);
  // Adds an operation (rest/operation.h). Call before serving; not thread-safe.
  void AddOperation(std::unique_ptr<Operation> op);
  // After the operations are added and before serving: every operation the
  // CapabilityStatement lists has its OperationDefinition (rest/operation_definitions.h);
  // otherwise the server must not start.
  Status CheckOperationDefinitions() const;

 private:
  struct Call {
    http::Request req;
    http::Responder respond;
    RequestContext ctx;
    std::vector<std::string> segments;
    std::shared_ptr<const access::Principal> principal;
  };
  void Dispatch(Call& call);
  void Read(Call& call, const std::string& type, const std::string& id);
  void VRead(Call& call, const std::string& type, const std::string& id, const std::string& vid);
  void History(Call& call, const std::string& type, const std::string& id);
  // Type-level search, or with `patient` the Patient compartment search Patient/{id}/{type}.
  void Search(Call& call, const std::string& type, const std::string& patient = {});
  // Several types at once: system search (/?_type=A,B, all types held when none is named),
  // or with `patient` the whole compartment (Patient/{id}/*).
  void MultiSearch(Call& call, const std::string& patient);
  // Patient/{id}/$everything (start, end, _since, _type, _count).
  void Everything(Call& call, const std::string& patient);
  // Access checks on the criteria, then execution and the searchset Bundle.
  void RespondSearch(Call& call, search::SearchQuery q, const std::string& path,
                     bool patient_data, std::vector<storage::ResourceVersion> first = {},
                     bool everything = false);
  void Create(Call& call, const std::string& type);
  void Update(Call& call, const std::string& type, const std::string& id);
  void ConditionalUpdate(Call& call, const std::string& type);
  void Patch(Call& call, const std::string& type, const std::string& id);
  void Delete(Call& call, const std::string& type, const std::string& id);
  void ConditionalDelete(Call& call, const std::string& type);
  void Bundle(Call& call);
  void Capabilities(Call& call);
  // /OperationDefinition: the server's own definitions, read-only (operation_definitions.h).
  void OperationDefinitionRequest(Call& call);
  void AuditEvents(Call& call);
  void AuditEventRead(Call& call, const std::string& id);  // a record of the trail by its number
  // Runs a registered operation; 404 naming it when none serves this level and type.
  void InvokeOperation(Call& call, OperationLevel level, const std::string& type,
                       const std::string& id, std::string_view name);
  // Scope and role check before the store is touched; answers 403 itself.
  bool Allowed(Call& call, const std::string& type, access::Op op, bool count_only = false);

  storage::ResourceStore& store_;
  const access::AccessPolicy& policy_;
  access::AuditSink* sink_;
  ServiceOptions options_;
  std::string capability_json_;
  std::vector<std::unique_ptr<Operation>> operations_;
  Result<std::shared_ptr<const OperationDefinitions>> definitions_;
};

}  // namespace hb::rest
