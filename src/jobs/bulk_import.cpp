#include "jobs/bulk_import.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include "common/clock.h"
#include "common/ids.h"
#include "fhir/json.h"
#include "fhir/outcome.h"
#include "rest/write_ops.h"
#include "storage/batch_reads.h"
#include "storage/bulk_load.h"

namespace hb::jobs {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

bool Fatal(const Status& st) {
  const ErrorCategory c = st.category();
  return c == ErrorCategory::kFault || c == ErrorCategory::kUnavailable;
}

// Every error issue of a status, with its element: "Patient.birthDate: not a valid date; ...".
std::string Describe(const Status& st) {
  std::string out;
  for (const Issue& issue : st.issues()) {
    if (issue.warning) continue;
    if (!out.empty()) out += "; ";
    if (!issue.location.empty()) out += issue.location + ": ";
    out += issue.message;
  }
  return out.empty() ? st.message() : out;
}

enum class Outcome { kPending, kCreated, kUpdated, kUnchanged, kFailed };

// One resource on its way to the store.
struct Item {
  std::shared_ptr<void> owner;  // keeps the document `in` points into alive
  rest::ResourceInput* in = nullptr;
  int file = 0;
  int64_t line = 0;
  int entry = 0;
  Outcome outcome = Outcome::kPending;
  std::string error;
};

// Where a reference was first seen.
struct RefSite {
  int file;
  int64_t line;
  int entry;
  std::string resource;
};

// "Patient/p1" from a literal relative reference; empty for others (contained "#x",
// absolute URLs, urn:uuid, conditional "Type?query", logical-only).
std::string RelativeTarget(std::string_view ref) {
  if (ref.empty() || ref[0] == '#' || ref.find(':') != std::string_view::npos ||
      ref.find('?') != std::string_view::npos) {
    return {};
  }
  const size_t slash = ref.find('/');
  if (slash == std::string_view::npos || slash == 0) return {};
  std::string_view id = ref.substr(slash + 1);
  id = id.substr(0, id.find('/'));  // drop /_history/n
  if (!IsValidFhirId(id)) return {};
  return std::string(ref.substr(0, slash)) + "/" + std::string(id);
}

// The run's shared state: batches in flight, counts, issues.
class ImportRun {
 public:
  ImportRun(storage::ResourceStore& store, const ImportOptions& options,
      const std::vector<std::string>& files)
      : store_(store), options_(options), files_(files) {}

  void Issue(ImportIssue issue) {
    std::lock_guard<std::mutex> lock(mu_);
    AddIssueLocked(std::move(issue));
  }

  // Validates one resource (its document owned by `owner`) and queues it.
  void Add(std::shared_ptr<void> owner, fhir::JsonValue& json, fhir::JsonAlloc& alloc, int file,
           int64_t line, int entry, std::string_view location) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++counts_.read;
    }
    auto in = std::make_unique<rest::ResourceInput>();
    auto prepared = rest::PrepareNested(json, alloc, location);
    std::string name = std::string(fhir::MemberString(json, "resourceType"));
    std::string id(fhir::MemberString(json, "id"));
    if (!id.empty()) name += "/" + id;
    if (!prepared.ok()) return Fail(file, line, entry, name, Describe(prepared.status()));
    *in = std::move(prepared).value();
    if (in->body_id.empty()) {
      return Fail(file, line, entry, name,
                  "the resource has no id (bulk import keeps ids: give each resource one)");
    }
    if (in->type == "Bundle" && entry == 0) {
      return Fail(file, line, entry, name, "a Bundle inside a Bundle is not imported");
    }
    for (const auto& site : in->facts.references) {
      if (!fhir::IsString(*site.reference)) continue;
      std::string target = RelativeTarget(fhir::StringView(*site.reference));
      if (!target.empty()) refs_.try_emplace(std::move(target), RefSite{file, line, entry, name});
    }
    Item item;
    item.owner = std::move(owner);
    item.in = in.get();
    item.file = file;
    item.line = line;
    item.entry = entry;
    inputs_.push_back(std::move(in));
    batch_.push_back(std::move(item));
    if (batch_.size() >= options_.batch) Flush();
  }

  void Fail(int file, int64_t line, int entry, const std::string& resource,
            const std::string& message) {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_.failed;
    AddIssueLocked({files_[file], line, entry, resource, message});
  }

  // Hands the current batch to the store's writer, waiting while too many are in flight.
  void Flush() {
    if (batch_.empty()) return;
    auto batch = std::make_shared<std::vector<Item>>(std::move(batch_));
    auto owned = std::make_shared<std::vector<std::unique_ptr<rest::ResourceInput>>>(
        std::move(inputs_));
    batch_.clear();
    inputs_.clear();
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return in_flight_ < options_.max_in_flight; });
      ++in_flight_;
    }
    store_.Write([batch](storage::WriteTxn& txn) { return WriteBatch(txn, *batch); },
                 [this, batch, owned](Status st) { Done(*batch, st); });
  }

  Status Finish() {
    Flush();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return in_flight_ == 0; });
    return fatal_;
  }

  Status FatalError() {
    std::lock_guard<std::mutex> lock(mu_);
    return fatal_;
  }

  // Every reference target must now be stored and live (asked of the resource table alone:
  // ReadTxn::StatesOf).
  Status CheckReferences() {
    std::vector<const std::pair<const std::string, RefSite>*> targets;
    targets.reserve(refs_.size());
    for (const auto& entry : refs_) targets.push_back(&entry);
    std::sort(targets.begin(), targets.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    // In chunks, each read at once where the store can (storage/batch_reads.h).
    constexpr size_t kChunk = 2000;
    std::vector<storage::ResourceKey> keys;
    std::unordered_map<std::string, bool> live;  // a chunk's stored targets: not deleted
    for (size_t start = 0; start < targets.size(); start += kChunk) {
      const size_t end = std::min(targets.size(), start + kChunk);
      keys.clear();
      for (size_t i = start; i < end; ++i) {
        const std::string& key = targets[i]->first;
        const size_t slash = key.find('/');
        keys.push_back({key.substr(0, slash), key.substr(slash + 1)});
      }
      auto txn = store_.BeginRead();
      HB_ASSIGN_OR_RETURN(std::vector<storage::KeyState> found, txn->StatesOf(keys));
      live.clear();
      for (const auto& f : found) live[f.key.type + "/" + f.key.id] = !f.deleted;
      for (size_t i = start; i < end; ++i) {
        const std::string& key = targets[i]->first;
        auto it = live.find(key);
        if (it != live.end() && it->second) continue;
        const RefSite& site = targets[i]->second;
        std::lock_guard<std::mutex> lock(mu_);
        ++counts_.dangling;
        AddIssueLocked({files_[site.file], site.line, site.entry, site.resource,
                        "the reference " + key +
                            (it != live.end() ? " names a deleted resource"
                                              : " names no stored resource")});
      }
    }
    return Status::Ok();
  }

  ImportCounts Counts() {
    std::lock_guard<std::mutex> lock(mu_);
    return counts_;
  }
  ImportResult TakeResult() {
    std::lock_guard<std::mutex> lock(mu_);
    ImportResult r;
    r.counts = counts_;
    r.by_type = std::move(by_type_);
    r.issues = std::move(issues_);
    std::stable_sort(r.issues.begin(), r.issues.end(),
                     [](const ImportIssue& a, const ImportIssue& b) {
                       return std::tie(a.file, a.line, a.entry) < std::tie(b.file, b.line, b.entry);
                     });
    return r;
  }

 private:
  // On the writer thread. No savepoint per resource (SQLite's cost of one grows with the
  // transaction): with no Actor, rest::Update refuses a resource before writing anything
  // (ids, references), and what fails after that is the store itself, which is fatal and
  // rolls back the whole batch. So one refused resource leaves the others of the batch.
  // The batch's current versions are read in one statement first where the store can
  // (storage/batch_reads.h: PostgreSQL), so neither the read below nor rest::Update's costs
  // a round trip per resource.
  static Status WriteBatch(storage::WriteTxn& txn, std::vector<Item>& batch) {
    std::vector<storage::ResourceKey> keys;
    keys.reserve(batch.size());
    for (const Item& item : batch) keys.push_back({item.in->type, item.in->body_id});
    HB_RETURN_IF_ERROR(storage::Prefetch(txn, keys));
    for (Item& item : batch) {
      rest::ResourceInput& in = *item.in;
      Status st = [&]() -> Status {
        auto cur = txn.Read(in.type, in.body_id);
        if (cur.ok() && !cur->deleted) {
          // Unchanged content: the stored bytes are what this input would be stored as.
          if (fhir::SerializeResource(*in.json, in.body_id, std::to_string(cur->version),
                                      FormatInstant(cur->last_updated)) == cur->json) {
            item.outcome = Outcome::kUnchanged;
            return Status::Ok();
          }
        } else if (!cur.ok() && cur.status().code() != ErrorCode::kNotFound) {
          return cur.status();
        }
        auto written = rest::Update(txn, nullptr, in, in.body_id, std::nullopt);
        if (!written.ok()) return written.status();
        item.outcome = written->created ? Outcome::kCreated : Outcome::kUpdated;
        return Status::Ok();
      }();
      if (st.ok()) continue;
      if (Fatal(st)) return st;
      item.outcome = Outcome::kFailed;
      item.error = Describe(st);
    }
    return Status::Ok();
  }

  // On the writer thread, after the commit (or the failure) of a batch.
  void Done(std::vector<Item>& batch, const Status& st) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!st.ok()) {
      if (fatal_.ok()) fatal_ = st;
    } else {
      for (Item& item : batch) {
        const std::string name = item.in->type + "/" + item.in->body_id;
        switch (item.outcome) {
          case Outcome::kCreated: ++counts_.created; break;
          case Outcome::kUpdated: ++counts_.updated; break;
          case Outcome::kUnchanged: ++counts_.unchanged; break;
          default:
            ++counts_.failed;
            AddIssueLocked({files_[item.file], item.line, item.entry, name, item.error});
            continue;
        }
        ++by_type_[item.in->type];
      }
    }
    --in_flight_;
    cv_.notify_all();
  }

  void AddIssueLocked(ImportIssue issue) {
    if (issues_.size() < options_.max_issues) issues_.push_back(std::move(issue));
  }

  storage::ResourceStore& store_;
  const ImportOptions& options_;
  const std::vector<std::string>& files_;
  // Reader thread only.
  std::vector<Item> batch_;
  std::vector<std::unique_ptr<rest::ResourceInput>> inputs_;
  std::unordered_map<std::string, RefSite> refs_;
  // Shared with the writer thread.
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
  Status fatal_;
  ImportCounts counts_;
  std::map<std::string, int64_t> by_type_;
  std::vector<ImportIssue> issues_;
};

// A parsed document and the resources to take from it: itself, or a Bundle's entries.
void AddDocument(ImportRun& run, std::shared_ptr<fhir::JsonDoc> doc, int file, int64_t line) {
  if (!doc->IsObject()) {
    return run.Fail(file, line, 0, "", "the line is not a JSON object (a FHIR resource)");
  }
  if (fhir::MemberString(*doc, "resourceType") != "Bundle") {
    fhir::JsonValue& json = *doc;
    fhir::JsonAlloc& alloc = doc->GetAllocator();
    return run.Add(std::move(doc), json, alloc, file, line, 0, "");
  }
  fhir::JsonValue* entries = fhir::Member(*doc, "entry");
  if (entries == nullptr || !entries->IsArray()) return;
  int n = 0;
  for (auto& entry : entries->GetArray()) {
    ++n;
    fhir::JsonValue* resource = entry.IsObject() ? fhir::Member(entry, "resource") : nullptr;
    if (resource == nullptr || !resource->IsObject()) {
      run.Fail(file, line, n, "", "the entry has no resource");
      continue;
    }
    run.Add(doc, *resource, doc->GetAllocator(), file, line, n,
            fmt::format("Bundle.entry[{}].resource", n - 1));
  }
}

}  // namespace

std::string ImportIssue::Where() const {
  std::string out = line > 0 ? fmt::format("{}:{}", file, line) : file;
  if (entry > 0) out += fmt::format(" entry {}", entry);
  return out;
}

Result<std::vector<std::string>> ListImportFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return Status(ErrorCode::kNotFound, "no file or folder " + path);
    if (!fs::is_directory(st)) {
      out.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".ndjson" || ext == ".json")) found.push_back(e.path().string());
    }
    if (ec) return Status(ErrorCode::kUnavailable, "cannot list " + path + ": " + ec.message());
    if (found.empty()) {
      return Status(ErrorCode::kInvalidArgument, "the folder " + path + " has no .ndjson or .json files");
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

BulkImporter::BulkImporter(storage::ResourceStore& store, ImportOptions options)
    : store_(store), options_(options) {}

Result<ImportResult> BulkImporter::Run(const std::vector<std::string>& files,
                                       const ProgressFn& progress,
                                       const std::atomic<bool>* cancel,
                                       std::chrono::milliseconds progress_every) {
  const auto t0 = Clock::now();
  ImportProgress p;
  for (const std::string& f : files) {
    std::error_code ec;
    const auto size = fs::file_size(f, ec);
    if (ec) return Status(ErrorCode::kNotFound, "cannot read " + f + ": " + ec.message());
    p.bytes_total += static_cast<int64_t>(size);
  }
  ImportRun run(store_, options_, files);
  auto last_report = t0;
  auto report = [&](bool force) {
    if (!progress) return;
    const auto now = Clock::now();
    if (!force && now - last_report < progress_every) return;
    last_report = now;
    p.counts = run.Counts();
    p.seconds = std::chrono::duration<double>(now - t0).count();
    progress(p);
  };
  auto cancelled = [&] { return cancel != nullptr && cancel->load(); };

  std::string line;
  for (size_t f = 0; f < files.size(); ++f) {
    p.file = files[f];
    std::ifstream in(files[f], std::ios::binary);
    if (!in) return Status(ErrorCode::kNotFound, "cannot read " + files[f]);
    const bool whole = fs::path(files[f]).extension() == ".json";
    if (whole) {  // one JSON document: a resource or a Bundle, over any number of lines
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      p.bytes_done += static_cast<int64_t>(text.size());
      auto doc = fhir::ParseJson(text);
      if (!doc.ok()) {
        run.Fail(static_cast<int>(f), 1, 0, "", Describe(doc.status()));
      } else {
        AddDocument(run, std::make_shared<fhir::JsonDoc>(std::move(doc).value()),
                    static_cast<int>(f), 1);
      }
      report(false);
    } else {
      int64_t number = 0;
      while (std::getline(in, line)) {
        ++number;
        p.bytes_done += static_cast<int64_t>(line.size()) + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        auto doc = fhir::ParseJson(line);
        if (!doc.ok()) {
          run.Fail(static_cast<int>(f), number, 0, "", Describe(doc.status()));
        } else {
          AddDocument(run, std::make_shared<fhir::JsonDoc>(std::move(doc).value()),
                      static_cast<int>(f), number);
        }
        if ((number & 255) == 0) {
          if (cancelled()) break;
          HB_RETURN_IF_ERROR(run.FatalError());
          report(false);
        }
      }
      if (in.bad()) return Status(ErrorCode::kUnavailable, "cannot read " + files[f]);
    }
    if (cancelled()) break;
  }
  HB_RETURN_IF_ERROR(run.Finish());
  if (cancelled()) return Status(ErrorCode::kUnavailable, "the import was cancelled");
  if (const ImportCounts c = run.Counts(); c.created + c.updated > 0) {
    // The planner's statistics, before the reference check and the first searches.
    HB_RETURN_IF_ERROR(storage::AfterBulkLoad(store_));
  }
  p.checking_references = true;
  report(true);
  HB_RETURN_IF_ERROR(run.CheckReferences());
  ImportResult result = run.TakeResult();
  result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  p.counts = result.counts;
  p.seconds = result.seconds;
  if (progress) progress(p);
  return result;
}

std::string IssuesAsOutcomes(const std::vector<ImportIssue>& issues) {
  std::string out;
  for (const ImportIssue& issue : issues) {
    fhir::OutcomeIssue o;
    o.code = issue.message.starts_with("the reference ") ? "not-found" : "processing";
    o.diagnostics = issue.Where() + (issue.resource.empty() ? "" : " (" + issue.resource + ")") +
                    ": " + issue.message;
    o.location = issue.Where();
    out += fhir::OperationOutcomeJson(o);
    out.push_back('\n');
  }
  return out;
}

}  // namespace hb::jobs
