// BulkImportJobs (bulk_import.h): $import jobs on their own threads, with the error file of
// each finished job under dir/<job>/errors.ndjson.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

#include "common/clock.h"
#include "common/ids.h"
#include "jobs/bulk_import.h"

namespace hb::jobs {

namespace fs = std::filesystem;

struct BulkImportJobs::Job {
  std::string id;
  std::vector<std::string> files;
  ImportJobStatus status;
  std::atomic<bool> cancel{false};
};

std::string ImportJobStatus::ProgressText() const {
  const ImportCounts& c = progress.counts;
  if (progress.checking_references) {
    return fmt::format("{} resources read, checking references", c.read);
  }
  const int percent = progress.bytes_total > 0
                          ? static_cast<int>(100 * progress.bytes_done / progress.bytes_total)
                          : 0;
  const double rate = progress.seconds > 0 ? c.Imported() / progress.seconds : 0;
  return fmt::format("{} resources ({}%), {:.0f}/s, {} bad", c.Imported(), percent, rate,
                     c.failed);
}

BulkImportJobs::BulkImportJobs(storage::ResourceStore& store, std::string dir,
                               ImportOptions options, int max_running)
    : store_(store), dir_(std::move(dir)), options_(options), max_running_(max_running) {
  std::error_code ec;
  fs::remove_all(dir_, ec);  // job results do not outlive the process that ran them
  fs::create_directories(dir_, ec);
}

BulkImportJobs::~BulkImportJobs() { Stop(); }

void BulkImportJobs::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (auto& [id, job] : jobs_) job->cancel = true;
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
}

Result<std::string> BulkImportJobs::Start(ImportRequest request) {
  if (request.inputs.empty()) {
    return Status(ErrorCode::kInvalidArgument, "$import needs at least one input file or folder");
  }
  HB_ASSIGN_OR_RETURN(std::vector<std::string> files, ListImportFiles(request.inputs));
  std::lock_guard lock(mu_);
  if (stopped_) return Status(ErrorCode::kUnavailable, "the server is stopping");
  int running = 0;
  for (const auto& [id, job] : jobs_) running += job->status.state == ImportState::kRunning;
  if (running >= max_running_) {
    return Status(ErrorCode::kUnavailable, "an import is already running; try again later");
  }
  auto job = std::make_shared<Job>();
  job->id = NewResourceId();
  job->files = std::move(files);
  job->status.request = std::move(request);
  job->status.transaction_time = NowMicros();
  jobs_[job->id] = job;
  threads_.emplace_back([this, job] { Run(job); });
  return job->id;
}

std::optional<ImportJobStatus> BulkImportJobs::Poll(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second->status;
}

std::string BulkImportJobs::ErrorFilePath(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->status.state != ImportState::kCompleted) return {};
  return (fs::path(dir_) / id / "errors.ndjson").string();
}

bool BulkImportJobs::Delete(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return false;
    it->second->cancel = true;
    jobs_.erase(it);
  }
  std::error_code ec;
  fs::remove_all(fs::path(dir_) / id, ec);
  return true;
}

void BulkImportJobs::Run(std::shared_ptr<Job> job) {
  BulkImporter importer(store_, options_);
  auto result = importer.Run(
      job->files,
      [&](const ImportProgress& p) {
        std::lock_guard lock(mu_);
        job->status.progress = p;
      },
      &job->cancel);
  Status written;
  if (result.ok()) {
    std::error_code ec;
    const fs::path dir = fs::path(dir_) / job->id;
    fs::create_directories(dir, ec);
    std::ofstream out(dir / "errors.ndjson", std::ios::binary | std::ios::trunc);
    out << IssuesAsOutcomes(result->issues);
    if (!out) written = Status(ErrorCode::kStorageError, "cannot write the error file");
  }
  std::lock_guard lock(mu_);
  if (job->cancel) {
    job->status.state = ImportState::kCancelled;
    return;
  }
  if (!result.ok() || !written.ok()) {
    job->status.state = ImportState::kFailed;
    job->status.error = result.ok() ? written.message() : result.status().message();
    spdlog::warn("import {} failed: {}", job->id, job->status.error);
    return;
  }
  spdlog::info("import {}: {} created, {} updated, {} unchanged, {} bad, {} dangling in {:.1f} s",
               job->id, result->counts.created, result->counts.updated, result->counts.unchanged,
               result->counts.failed, result->counts.dangling, result->seconds);
  job->status.progress.counts = result->counts;
  job->status.result = std::move(result).value();
  job->status.state = ImportState::kCompleted;
}

}  // namespace hb::jobs
