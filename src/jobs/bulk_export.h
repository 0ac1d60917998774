// Bulk data export (HL7 FHIR Bulk Data Access IG v2, `$export`): the jobs behind the
// async pattern. A job writes one NDJSON file per resource type under its own folder,
// streaming from the store (ReadTxn::Scan: one resource in memory at a time), and reports
// progress; the REST side (operations/export.cpp) starts it, polls it, serves its files
// and cancels it.
//
// Levels: system (every type held, or `_type`), patient (the types of the Patient
// compartment, resources in some patient's compartment), group (the compartments of the
// Group's Patient members). `_since` keeps resources updated at or after it; `_typeFilter`
// (Type?search) keeps, for its type, the resources matching any of its filters.
//
// Jobs live in memory: a server restart ends running ones (their folders are removed at
// start); completed files stay until the job is deleted or expires (`keep`).
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/result.h"
#include "storage/resource_store.h"

namespace hb::jobs {

enum class ExportLevel { kSystem, kPatient, kGroup };

struct ExportRequest {
  ExportLevel level = ExportLevel::kSystem;
  std::string group_id;
  // The `patient` parameter (Patient or Group level): only these patients' compartments;
  // those not on the server (or not in the Group) are reported in an error file.
  std::vector<std::string> patients;
  std::vector<std::string> types;  // empty: all that apply
  int64_t since = 0;               // microseconds; 0: everything
  // _typeFilter: (type, its search parameters) pairs; several for one type are ORed.
  struct TypeFilter {
    std::string type;
    std::vector<std::pair<std::string, std::string>> params;
  };
  std::vector<TypeFilter> type_filters;
  std::string requester;    // who may poll, download and cancel
  std::string request_url;  // the kick-off URL, for the manifest
};

struct ExportFile {
  std::string type;
  std::string name;  // "Patient.ndjson"; a type's later files "Patient-2.ndjson", ...
  int64_t count = 0;
  bool error = false;  // OperationOutcomes about the request (the manifest's `error`)
};

enum class ExportState { kRunning, kCompleted, kFailed };

struct ExportStatus {
  ExportState state = ExportState::kRunning;
  std::string progress;  // "Observation (4 of 12 types), 120000 resources"
  int64_t resources = 0;
  std::vector<ExportFile> files;
  std::string error;
  int64_t transaction_time = 0;  // microseconds: the snapshot's time
  ExportRequest request;
};

struct ExportOptions {
  int max_running = 2;  // more at once: Start fails with kUnavailable (429 upstream)
  int workers = 0;      // types written at once by a job; 0: one per core, at most 4
  // A type's file holds at most this many resources; the rest go to "<Type>-2.ndjson", ...
  // (bounded files a client can fetch in parallel and retry one by one); 0: no limit.
  int64_t max_file_resources = 1'000'000;
  std::chrono::hours keep{24};
};

class BulkExporter {
 public:
  BulkExporter(storage::ResourceStore& store, std::string dir, ExportOptions options = {});
  ~BulkExporter();
  BulkExporter(const BulkExporter&) = delete;
  BulkExporter& operator=(const BulkExporter&) = delete;

  // Checks the request (types, filters) and starts it; the job id.
  Result<std::string> Start(ExportRequest request);
  std::optional<ExportStatus> Poll(const std::string& id) const;
  // Stops the job if running and removes it and its files; false if unknown.
  bool Delete(const std::string& id);
  // The path of one of a completed job's files; empty if there is no such file.
  std::string FilePath(const std::string& id, const std::string& name) const;
  // Cancels running jobs and waits for their threads (before the store closes); later
  // Starts fail. Idempotent; the destructor calls it.
  void Stop();

 private:
  struct Job;
  void Run(std::shared_ptr<Job> job);
  Status Export(Job& job);
  // One type's files (none when it has no resources); `total` counts the job's resources.
  // Restricted to `patients` (sorted), `shared` holds the ids of their resources of `type`
  // that are in another patient's compartment too (ReadTxn::SharedCompartment).
  Result<std::vector<ExportFile>> ExportType(Job& job, storage::ReadTxn& txn,
                                             const std::filesystem::path& folder,
                                             const std::string& type,
                                             const std::vector<std::string>& patients,
                                             const std::unordered_set<std::string>& shared,
                                             std::atomic<int64_t>& total);
  void Expire();

  storage::ResourceStore& store_;
  const std::string dir_;
  const ExportOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

}  // namespace hb::jobs
