#include "jobs/bulk_export.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "common/clock.h"
#include "common/ids.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/outcome.h"
#include "search/param_registry.h"
#include "search/query_parser.h"

namespace hb::jobs {

namespace fs = std::filesystem;

struct BulkExporter::Job {
  std::string id;
  ExportStatus status;  // guarded by the exporter's mu_
  std::atomic<bool> cancel{false};
  std::atomic<bool> deleted{false};
  std::chrono::steady_clock::time_point finished;
};

namespace {

constexpr size_t kPatientChunk = 500;  // compartment ids per scan (SQL variable limits)
constexpr int kFilterPage = 1000;

// Per type, resource ids (Export's `shared`).
using SharedIds = std::unordered_map<std::string, std::unordered_set<std::string>>;
const std::unordered_set<std::string> kNoIds;

Status Cancelled() { return Status(ErrorCode::kUnavailable, "the export was cancelled"); }

// Whether an export keeps to some patients' compartments: a Group's members, or the
// `patient` parameter's.
bool Restricted(const ExportRequest& r) {
  return r.level == ExportLevel::kGroup || !r.patients.empty();
}

// `patients` in chunks of kPatientChunk.
template <typename Fn>
Status ForEachChunk(const std::vector<std::string>& patients, Fn fn) {
  for (size_t i = 0; i < patients.size(); i += kPatientChunk) {
    HB_RETURN_IF_ERROR(fn(std::vector<std::string>(
        patients.begin() + i, patients.begin() + std::min(patients.size(), i + kPatientChunk))));
  }
  return Status::Ok();
}

// ExportOptions::workers, 0 meaning one per core, at most 4.
size_t Workers(const ExportOptions& o) {
  if (o.workers > 0) return static_cast<size_t>(o.workers);
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
}

// The Patient ids a Group's active members name (`member.inactive` true: no longer in it),
// read as the compartment index reads references (search::ParseReference: a versioned or
// absolute reference names its Patient too), sorted, each once.
Result<std::vector<std::string>> GroupPatients(storage::ReadTxn& txn, const std::string& id) {
  HB_ASSIGN_OR_RETURN(storage::ResourceVersion g, txn.Read("Group", id));
  if (g.deleted) return Status(ErrorCode::kNotFound, "Group/" + id + " is deleted");
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(g.json));
  std::vector<std::string> out;
  const fhir::JsonValue* members = fhir::Member(doc, "member");
  if (members == nullptr || !members->IsArray()) return out;
  for (const auto& m : members->GetArray()) {
    const fhir::JsonValue* entity = fhir::Member(m, "entity");
    if (entity == nullptr) continue;
    if (const fhir::JsonValue* inactive = fhir::Member(m, "inactive");
        inactive != nullptr && inactive->IsBool() && inactive->GetBool()) {
      continue;
    }
    std::string_view type, patient;
    if (search::ParseReference(fhir::MemberString(*entity, "reference"), &type, &patient) &&
        type == "Patient") {
      out.emplace_back(patient);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Those of the Patient `ids` the store has and has not deleted.
Result<std::set<std::string>> LivePatients(storage::ReadTxn& txn,
                                           const std::vector<std::string>& ids) {
  std::vector<storage::ResourceKey> keys;
  keys.reserve(ids.size());
  for (const std::string& p : ids) keys.push_back({"Patient", p});
  HB_ASSIGN_OR_RETURN(auto states, txn.StatesOf(keys));
  std::set<std::string> live;
  for (const auto& k : states) {
    if (!k.deleted) live.insert(k.key.id);
  }
  return live;
}

// The error file: one OperationOutcome a line, each saying what could not be exported.
Result<std::optional<ExportFile>> WriteErrorFile(const fs::path& folder,
                                                 const std::vector<std::string>& problems) {
  const std::string name = "OperationOutcome.ndjson";
  std::ofstream out(folder / name, std::ios::binary | std::ios::trunc);
  for (const std::string& why : problems) {
    fhir::OutcomeIssue issue;
    issue.code = "not-found";
    issue.diagnostics = why;
    out << fhir::OperationOutcomeJson(issue) << '\n';
  }
  out.close();
  if (!out) return Status(ErrorCode::kInternal, "cannot write " + (folder / name).string());
  return std::optional<ExportFile>(
      ExportFile{"OperationOutcome", name, static_cast<int64_t>(problems.size()), true});
}

}  // namespace

BulkExporter::BulkExporter(storage::ResourceStore& store, std::string dir, ExportOptions options)
    : store_(store), dir_(std::move(dir)), options_(options) {
  std::error_code ec;
  fs::remove_all(dir_, ec);  // jobs do not outlive the process that ran them
  fs::create_directories(dir_, ec);
}

BulkExporter::~BulkExporter() { Stop(); }

void BulkExporter::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (auto& [id, job] : jobs_) job->cancel = true;
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
}

Result<std::string> BulkExporter::Start(ExportRequest request) {
  const fhir::Model& model = fhir::Model::R4();
  for (const std::string& t : request.types) {
    if (!model.IsResourceType(t)) {
      return Status(ErrorCode::kInvalidArgument, "_type: '" + t + "' is not a resource type");
    }
    if (request.level != ExportLevel::kSystem && !fhir::Model::R4().InPatientCompartment(t)) {
      return Status(ErrorCode::kInvalidArgument,
                    "_type: " + t + " is not in the Patient compartment");
    }
  }
  for (const auto& f : request.type_filters) {
    if (!model.IsResourceType(f.type)) {
      return Status(ErrorCode::kInvalidArgument,
                    "_typeFilter: '" + f.type + "' is not a resource type");
    }
    auto q = search::ParseSearch(f.type, f.params, {.strict = true});
    if (!q.ok()) return Status(q.status().code(), "_typeFilter: " + q.status().message());
  }
  Expire();
  std::lock_guard lock(mu_);
  if (stopped_) return Status(ErrorCode::kUnavailable, "the server is stopping");
  int running = 0;
  for (const auto& [id, job] : jobs_) running += job->status.state == ExportState::kRunning;
  if (running >= options_.max_running) {
    return Status(ErrorCode::kUnavailable, "too many exports are running; try again later");
  }
  auto job = std::make_shared<Job>();
  job->id = NewResourceId();
  job->status.request = std::move(request);
  job->status.transaction_time = NowMicros();
  job->status.progress = "starting";
  jobs_[job->id] = job;
  threads_.emplace_back([this, job] { Run(job); });
  return job->id;
}

std::optional<ExportStatus> BulkExporter::Poll(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second->status;
}

bool BulkExporter::Delete(const std::string& id) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return false;
    job = it->second;
    jobs_.erase(it);
    job->cancel = true;
    job->deleted = true;
    if (job->status.state == ExportState::kRunning) return true;  // the job removes its files
  }
  std::error_code ec;
  fs::remove_all(fs::path(dir_) / id, ec);
  return true;
}

std::string BulkExporter::FilePath(const std::string& id, const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->status.state != ExportState::kCompleted) return {};
  for (const ExportFile& f : it->second->status.files) {
    if (f.name == name) return (fs::path(dir_) / id / name).string();
  }
  return {};
}

void BulkExporter::Expire() {
  std::vector<std::string> old;
  {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    for (const auto& [id, job] : jobs_) {
      if (job->status.state != ExportState::kRunning && now - job->finished > options_.keep) {
        old.push_back(id);
      }
    }
  }
  for (const std::string& id : old) Delete(id);
}

void BulkExporter::Run(std::shared_ptr<Job> job) {
  Status st = Export(*job);
  std::lock_guard lock(mu_);
  job->finished = std::chrono::steady_clock::now();
  if (st.ok()) {
    job->status.state = ExportState::kCompleted;
    job->status.progress = "completed";
  } else {
    job->status.state = ExportState::kFailed;
    job->status.error = st.message();
    if (!job->cancel) spdlog::warn("export {} failed: {}", job->id, st.ToString());
  }
  if (job->deleted) {
    std::error_code ec;
    fs::remove_all(fs::path(dir_) / job->id, ec);
  }
}

Status BulkExporter::Export(Job& job) {
  const ExportRequest& req = job.status.request;  // not changed after Start
  const fs::path folder = fs::path(dir_) / job.id;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return Status(ErrorCode::kInternal, "cannot create " + folder.string());
  std::vector<std::string> types = req.types;
  auto txn = store_.BeginRead();
  if (types.empty()) {
    if (req.level == ExportLevel::kSystem) {
      HB_ASSIGN_OR_RETURN(types, txn->Types());
    } else {
      for (std::string_view t : fhir::Model::R4().ResourceTypes()) {
        if (fhir::Model::R4().InPatientCompartment(t)) types.emplace_back(t);
      }
    }
  }
  std::vector<std::string> patients;
  std::vector<std::string> problems;  // for the error file
  if (req.level == ExportLevel::kGroup) {
    HB_ASSIGN_OR_RETURN(patients, GroupPatients(*txn, req.group_id));
    // Members the server does not have (never stored, or deleted): said in the error file.
    HB_ASSIGN_OR_RETURN(const std::set<std::string> live, LivePatients(*txn, patients));
    std::erase_if(patients, [&](const std::string& p) {
      if (live.count(p)) return false;
      problems.push_back("Patient/" + p + ", a member of Group/" + req.group_id +
                         ", is not on this server");
      return true;
    });
  }
  if (!req.patients.empty()) {
    std::vector<std::string> asked = req.patients;
    std::sort(asked.begin(), asked.end());
    asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
    // At Group level the members (live ones) are the bound; else the server's live Patients.
    const bool group = req.level == ExportLevel::kGroup;
    std::set<std::string> live;
    if (!group) {
      HB_ASSIGN_OR_RETURN(live, LivePatients(*txn, asked));
    }
    std::vector<std::string> kept;
    for (const std::string& p : asked) {
      if (group ? std::binary_search(patients.begin(), patients.end(), p) : live.count(p) > 0) {
        kept.push_back(p);
      } else {
        problems.push_back("Patient/" + p + (group ? " is not a member of Group/" + req.group_id
                                                   : " is not on this server"));
      }
    }
    patients = std::move(kept);  // sorted, as `asked` is
  }
  // Restricted to some patients: per type, the ids of their resources shared with another
  // patient, which the workers check one by one (ExportType); every other one is theirs.
  SharedIds shared;
  if (Restricted(req)) {
    HB_RETURN_IF_ERROR(ForEachChunk(patients, [&](const std::vector<std::string>& chunk) {
      HB_ASSIGN_OR_RETURN(auto keys, txn->SharedCompartment(chunk));
      for (auto& k : keys) shared[k.type].insert(std::move(k.id));
      return Status::Ok();
    }));
  }
  txn.reset();
  std::optional<ExportFile> error_file;
  if (!problems.empty()) {
    HB_ASSIGN_OR_RETURN(error_file, WriteErrorFile(folder, problems));
  }
  // Types in parallel, one worker per core (at most 4), each type written whole by one
  // worker on its own read transaction: on a store larger than memory this keeps several
  // reads in flight (one scan's reads wait on the disk one at a time), and in memory it
  // uses every core. The files are listed in the order of `types` whichever finishes first.
  const size_t workers = std::min(types.size(), Workers(options_));
  std::atomic<size_t> next{0};
  std::atomic<int64_t> total{0};
  std::atomic<bool> failed{false};
  Status first_error;
  std::vector<std::vector<ExportFile>> files(types.size());
  auto work = [&] {
    auto reads = store_.BeginRead();
    for (size_t ti = next++; ti < types.size() && !failed; ti = next++) {
      {
        std::lock_guard lock(mu_);
        job.status.progress = types[ti] + " (" + std::to_string(ti + 1) + " of " +
                              std::to_string(types.size()) + " types), " +
                              std::to_string(total.load()) + " resources";
      }
      auto it = shared.find(types[ti]);
      auto file = ExportType(job, *reads, folder, types[ti], patients,
                             it == shared.end() ? kNoIds : it->second, total);
      if (!file.ok()) {
        std::lock_guard lock(mu_);
        if (first_error.ok()) first_error = file.status();
        failed = true;
        return;
      }
      files[ti] = std::move(file).value();
    }
  };
  std::vector<std::thread> pool;
  for (size_t i = 1; i < workers; ++i) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no thread to be had: the workers there are share the types
    }
  }
  work();
  for (std::thread& t : pool) t.join();
  std::lock_guard lock(mu_);
  if (!first_error.ok()) return first_error;
  for (auto& type_files : files) {
    for (auto& f : type_files) job.status.files.push_back(std::move(f));
  }
  if (error_file) job.status.files.push_back(std::move(*error_file));
  job.status.resources = total.load();
  return Status::Ok();
}

Result<std::vector<ExportFile>> BulkExporter::ExportType(
    Job& job, storage::ReadTxn& txn, const fs::path& folder, const std::string& type,
    const std::vector<std::string>& patients, const std::unordered_set<std::string>& shared,
    std::atomic<int64_t>& total) {
  const ExportRequest& req = job.status.request;
  const bool restricted = Restricted(req);
  const int64_t per_file = options_.max_file_resources > 0 ? options_.max_file_resources
                                                           : std::numeric_limits<int64_t>::max();
  std::vector<ExportFile> files;
  std::ofstream out;
  int64_t count = 0;  // in the open file
  // Closes the open file into `files`; the next resource opens "<type>-<n>.ndjson".
  auto finish_file = [&]() -> Status {
    if (!out.is_open()) return Status::Ok();
    out.close();
    if (!out) return Status(ErrorCode::kInternal, "cannot write " + (folder / files.back().name).string());
    files.back().count = count;
    count = 0;
    return Status::Ok();
  };
  auto write = [&](const storage::ResourceVersion& v) -> Status {
    if (job.cancel) return Cancelled();
    if (count == per_file) HB_RETURN_IF_ERROR(finish_file());
    if (!out.is_open()) {
      std::string name = type + (files.empty() ? "" : "-" + std::to_string(files.size() + 1)) +
                         ".ndjson";
      out.open(folder / name, std::ios::binary | std::ios::trunc);
      if (!out) return Status(ErrorCode::kInternal, "cannot create " + (folder / name).string());
      files.push_back(ExportFile{type, std::move(name), 0});
    }
    out.write(v.json.data(), static_cast<std::streamsize>(v.json.size()));
    out.put('\n');
    if (!out) {  // a full disk: stop now, not at the end of the scan
      return Status(ErrorCode::kInternal, "cannot write " + (folder / files.back().name).string());
    }
    ++count;
    if (const int64_t t = ++total; (t & 4095) == 0) {
      std::lock_guard lock(mu_);
      job.status.resources = t;
    }
    return Status::Ok();
  };
  // Restricted to some patients (a Group's members, the `patient` parameter), a resource goes
  // out only if every patient whose compartment holds it is one of them (Bulk Data: "SHALL
  // NOT return resources in the patient compartments belonging to patients outside of this
  // list"): not an Observation also performed by another patient, not a Group naming others.
  // A Patient resource goes out for the listed patients themselves (it is in the compartment
  // of the patients it links to as well). `patients` is sorted.
  auto listed = [&](const std::string& p) {
    return std::binary_search(patients.begin(), patients.end(), p);
  };
  auto admitted = [&](const storage::ResourceVersion& v,
                      const std::vector<std::string>& compartment) {
    if (type == "Patient") return listed(v.id);
    return !compartment.empty() && std::all_of(compartment.begin(), compartment.end(), listed);
  };
  std::vector<const ExportRequest::TypeFilter*> filters;
  for (const auto& f : req.type_filters) {
    if (f.type == type) filters.push_back(&f);
  }
  if (filters.empty()) {
    storage::ScanQuery sq;
    sq.type = type;
    sq.since = req.since;
    sq.any_patient = req.level == ExportLevel::kPatient && type != "Patient";
    if (restricted) {
      // Found in this chunk's patients' compartments: one of `shared` may be in another
      // patient's too (and is met again in each chunk holding one of its patients); any other
      // is in one listed patient's compartment alone.
      std::unordered_set<std::string> shared_written;
      auto checked = [&](const storage::ResourceVersion& v) -> Status {
        if (!shared.count(v.id)) return write(v);
        HB_ASSIGN_OR_RETURN(storage::RecordFacts facts, txn.Facts(type, v.id));
        if (!admitted(v, facts.patients) || !shared_written.insert(v.id).second) {
          return Status::Ok();
        }
        return write(v);
      };
      HB_RETURN_IF_ERROR(ForEachChunk(patients, [&](std::vector<std::string> chunk) {
        sq.patients = std::move(chunk);
        return txn.Scan(sq, checked);
      }));
    } else {
      HB_RETURN_IF_ERROR(txn.Scan(sq, write));
    }
  } else {
    // Each filter is a search; a resource matching several is written once.
    std::unordered_set<std::string> seen;
    for (const auto* f : filters) {
      auto params = f->params;
      if (req.since > 0) params.emplace_back("_lastUpdated", "ge" + FormatInstant(req.since));
      HB_ASSIGN_OR_RETURN(search::SearchQuery q,
                          search::ParseSearch(type, params, {.strict = true}));
      q.count = kFilterPage;
      q.total = false;
      q.sort.clear();
      for (q.offset = 0;; q.offset += kFilterPage) {
        HB_ASSIGN_OR_RETURN(storage::SearchResult page, txn.Search(q));
        for (const storage::ResourceVersion& v : page.matches) {
          if (!seen.insert(v.id).second) continue;
          if (req.level == ExportLevel::kSystem) {
            HB_RETURN_IF_ERROR(write(v));
            continue;
          }
          HB_ASSIGN_OR_RETURN(storage::RecordFacts facts, txn.Facts(type, v.id));
          if (restricted ? admitted(v, facts.patients) : !facts.patients.empty()) {
            HB_RETURN_IF_ERROR(write(v));
          }
        }
        if (static_cast<int>(page.matches.size()) < kFilterPage) break;
      }
    }
  }
  HB_RETURN_IF_ERROR(finish_file());
  return files;  // none when the type has nothing to export
}

}  // namespace hb::jobs
