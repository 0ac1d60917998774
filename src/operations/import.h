// Bulk data import on the server: `POST /fhir/$import` (system level) with a Parameters
// resource naming files or folders the server can read, under the data folder's import/
// folder (relative paths are taken from there; nothing outside it is read). It follows the
// async pattern of $export:
//   POST   /fhir/$import              202 + Content-Location (Prefer: respond-async)
//   GET    /importstatus/{job}        202 + X-Progress while running; 200 + manifest when done
//   DELETE /importstatus/{job}        cancel / forget (202)
//   GET    /importfiles/{job}/errors.ndjson   the bad lines as OperationOutcome NDJSON
// Parameters: `input` (repeatable) with a part `url` (valueUrl, valueUri or valueString: a
// path or file:///path), or a plain `url`/`path` parameter. Access: a system-admin user, or a
// backend service whose token grants system/*.write (create and update on every type). The
// work is jobs::BulkImportJobs; docs/implementation/bulk-data.md.
//
// Thread-safety: as rest::Operation and http handlers.
#pragma once

#include <string>

#include "jobs/bulk_import.h"
#include "operations/export.h"
#include "rest/fhir_service.h"

namespace hb::operations {

void RegisterImport(rest::FhirService& service, jobs::BulkImportJobs& jobs,
                    std::string import_root);
void HandleImportStatus(jobs::BulkImportJobs& jobs, const Authenticate& authenticate,
                        http::Request&& req, http::Responder respond);
void HandleImportFile(jobs::BulkImportJobs& jobs, const Authenticate& authenticate,
                      http::Request&& req, http::Responder respond);

}  // namespace hb::operations
