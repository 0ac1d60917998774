// Bulk data export (HL7 FHIR Bulk Data Access IG v2): `$export` at system, Patient and
// Group/[id] level (kick-off), and the routes of the async pattern it hands out:
//   GET    /bulkstatus/{job}          202 + X-Progress while running; 200 + manifest when done
//   DELETE /bulkstatus/{job}          cancel / remove (202)
//   GET    /bulkfiles/{job}/{Type}.ndjson   the output files (application/fhir+ndjson)
// Only backend services (system-role tokens) may export; a job is visible to the client
// that started it only. The work itself is jobs::BulkExporter.
//
// Thread-safety: as rest::Operation and http handlers.
#pragma once

#include <functional>

#include "http/message.h"
#include "jobs/bulk_export.h"
#include "rest/fhir_service.h"

namespace hb::operations {

void RegisterExport(rest::FhirService& service, jobs::BulkExporter& exporter);

// The status and file routes. `authenticate` turns a request into its principal (or an
// error status); `path_tail` is the request path after "/bulkstatus/" or "/bulkfiles/".
using Authenticate = std::function<Result<access::Principal>(const http::Request&)>;

// The status of async job `id` (of $export or $import: `jobs.Poll(id)` gives an optional
// status with `request.requester`) when the caller of `req` started it. Someone else's job
// is as unknown as a job that never was: kNotFound, naming it as "no <what> job <id>".
template <typename Jobs>
auto OwnJob(Jobs& jobs, const Authenticate& authenticate, const http::Request& req,
            const std::string& id, std::string_view what)
    -> Result<typename decltype(jobs.Poll(id))::value_type> {
  HB_ASSIGN_OR_RETURN(access::Principal who, authenticate(req));
  auto st = jobs.Poll(id);
  if (!st || st->request.requester != who.subject) {
    return Status(ErrorCode::kNotFound, "no " + std::string(what) + " job " + id);
  }
  return *st;
}
void HandleBulkStatus(jobs::BulkExporter& exporter, const Authenticate& authenticate,
                      http::Request&& req, http::Responder respond);
void HandleBulkFile(jobs::BulkExporter& exporter, const Authenticate& authenticate,
                    http::Request&& req, http::Responder respond);

}  // namespace hb::operations
