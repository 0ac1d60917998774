// Bulk data import: NDJSON files (one resource per line, as $export and `healthbook synth`
// write them) and Bundle JSON files, loaded through the same write path as a FHIR PUT
// (rest::PrepareInput validates and indexes, rest::Update stores, in batches that the
// store's writer commits in groups). Used by `healthbook import` (app/import_command.cpp)
// and by `$import` on the server (operations/import.cpp, through BulkImportJobs).
//
// Rules:
// - Resources keep their ids (update-as-create); a resource without an id is a bad line.
// - Resumable: a resource whose stored current version has the same content (everything
//   but meta) is left alone, so a re-run after an interruption creates no new versions
//   and no duplicates; only what changed or is new is written.
// - A bad line (unparseable JSON, invalid resource, refused write) becomes an ImportIssue
//   naming the file, the line and the reason; the other lines go on. A Bundle file's
//   entries are reported as "file:line entry N".
// - References are checked at the end, not line by line, so files may come in any order:
//   every literal relative reference ("Type/id") of an imported resource must then name a
//   stored, live resource; each dangling one is an issue at the line that made it.
// - Fatal errors (the store failing, a file that cannot be read) stop the import.
//
// Thread-safety: BulkImporter::Run may be called from any thread, one run per object;
// BulkImportJobs is thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "storage/resource_store.h"

namespace hb::jobs {

struct ImportOptions {
  size_t batch = 500;        // resources per store write
  int max_in_flight = 4;     // store writes queued at once
  size_t max_issues = 10000; // issues kept in detail (all are counted)
};

struct ImportIssue {
  std::string file;
  int64_t line = 0;     // 1-based; 0 for the file as a whole
  int entry = 0;        // 1-based Bundle entry, 0 for an NDJSON line
  std::string resource; // "Type/id" when known
  std::string message;
  std::string Where() const;  // "dir/Patient.ndjson:12" or "b.json:1 entry 3"
};

struct ImportCounts {
  int64_t read = 0;       // resources read (good and bad)
  int64_t created = 0;    // new resources
  int64_t updated = 0;    // new versions of changed resources
  int64_t unchanged = 0;  // already stored with this content (a resumed import)
  int64_t failed = 0;     // bad lines and entries (not stored)
  int64_t dangling = 0;   // references to nothing stored (their resources are stored)
  int64_t Imported() const { return created + updated + unchanged; }
  bool Clean() const { return failed == 0 && dangling == 0; }
};

struct ImportProgress {
  ImportCounts counts;
  int64_t bytes_done = 0;
  int64_t bytes_total = 0;
  double seconds = 0;
  std::string file;  // being read
  bool checking_references = false;
};

struct ImportResult {
  ImportCounts counts;
  std::map<std::string, int64_t> by_type;  // resources imported per type
  std::vector<ImportIssue> issues;         // at most ImportOptions::max_issues
  double seconds = 0;
};

// The files to read: each path a file, or a folder whose *.ndjson and *.json files (not
// recursive) are taken in name order. kNotFound for a missing path, kInvalidArgument for a
// folder without such files.
Result<std::vector<std::string>> ListImportFiles(const std::vector<std::string>& paths);

class BulkImporter {
 public:
  using ProgressFn = std::function<void(const ImportProgress&)>;
  explicit BulkImporter(storage::ResourceStore& store, ImportOptions options = {});

  // Imports `files` in order. `progress` (may be empty) is called on this thread about
  // every `progress_every` and once at the end. `cancel` (may be null) stops the import
  // between batches with kCancelled-like kUnavailable status. Returns the result even when
  // lines were bad; a non-ok status only for fatal errors.
  Result<ImportResult> Run(const std::vector<std::string>& files, const ProgressFn& progress = {},
                           const std::atomic<bool>* cancel = nullptr,
                           std::chrono::milliseconds progress_every = std::chrono::milliseconds(250));

 private:
  storage::ResourceStore& store_;
  ImportOptions options_;
};

// Writes `issues` as NDJSON OperationOutcome resources, one per issue (severity error,
// code processing or not-found for dangling references, the place in diagnostics and
// location), as the Bulk Data IG's error files.
std::string IssuesAsOutcomes(const std::vector<ImportIssue>& issues);

// $import jobs: each runs a BulkImporter on its own thread and keeps its result and error
// file under `dir`/<job>/ until deleted or `keep` has passed.
enum class ImportState { kRunning, kCompleted, kFailed, kCancelled };

struct ImportRequest {
  std::vector<std::string> inputs;  // server-readable files or folders
  std::string requester;            // who may poll and cancel
  std::string request_url;
};

struct ImportJobStatus {
  ImportState state = ImportState::kRunning;
  ImportProgress progress;
  std::optional<ImportResult> result;
  std::string error;         // when failed
  int64_t transaction_time = 0;
  ImportRequest request;
  std::string ProgressText() const;  // "120000 resources (40%), 8000/s"
};

class BulkImportJobs {
 public:
  BulkImportJobs(storage::ResourceStore& store, std::string dir, ImportOptions options = {},
                 int max_running = 1);
  ~BulkImportJobs();
  BulkImportJobs(const BulkImportJobs&) = delete;
  BulkImportJobs& operator=(const BulkImportJobs&) = delete;

  // Checks that the inputs exist and starts the job (kUnavailable when max_running run).
  Result<std::string> Start(ImportRequest request);
  std::optional<ImportJobStatus> Poll(const std::string& id) const;
  // The error file of a finished job ("" when none): NDJSON OperationOutcomes.
  std::string ErrorFilePath(const std::string& id) const;
  // Cancels a running job (it stops between batches) and forgets it; false if unknown.
  bool Delete(const std::string& id);
  // Cancels running jobs and waits for them; later Starts fail. Idempotent.
  void Stop();

 private:
  struct Job;
  void Run(std::shared_ptr<Job> job);

  storage::ResourceStore& store_;
  const std::string dir_;
  const ImportOptions options_;
  const int max_running_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

}  // namespace hb::jobs
