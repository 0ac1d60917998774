#include "access/audit_sink.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <set>
#include <unordered_map>

namespace hb::access {

namespace {

// Journal record: "HBA1", then each field as a 4-byte little-endian length and its bytes
// (numbers as decimal text), in CanonicalText's order.
constexpr std::string_view kMagic = "HBA1";

void PutField(std::string& out, std::string_view v) {
  uint32_t n = static_cast<uint32_t>(v.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(v);
}

bool GetField(std::string_view& in, std::string& v) {
  if (in.size() < 4) return false;
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i)
    n |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(4);
  if (in.size() < n) return false;
  v.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

void AuditSink::Encode(const storage::AuditRecord& r, std::string& out) {
  char recorded[24];
  char outcome[16];
  auto number = [](char* buf, size_t size, int64_t v) {
    return std::string_view(buf, static_cast<size_t>(std::to_chars(buf, buf + size, v).ptr - buf));
  };
  out.append(kMagic);
  PutField(out, number(recorded, sizeof recorded, r.recorded));
  PutField(out, r.action);
  PutField(out, r.interaction);
  PutField(out, number(outcome, sizeof outcome, r.outcome));
  PutField(out, r.agent);
  PutField(out, r.role);
  PutField(out, r.facility);
  PutField(out, r.address);
  PutField(out, r.patient);
  PutField(out, r.what);
  PutField(out, r.reason);
  PutField(out, r.flagged ? "1" : "0");
}

std::vector<storage::AuditRecord> AuditSink::Decode(std::string_view data) {
  std::vector<storage::AuditRecord> out;
  while (data.size() >= kMagic.size() && data.substr(0, kMagic.size()) == kMagic) {
    std::string_view in = data.substr(kMagic.size());
    std::string f[12];
    bool ok = true;
    for (std::string& field : f) ok = ok && GetField(in, field);
    if (!ok) break;  // a record torn by a crash while it was written
    storage::AuditRecord r;
    try {
      r.recorded = std::stoll(f[0]);
      r.outcome = std::stoi(f[3]);
    } catch (const std::exception&) {
      break;
    }
    r.action = std::move(f[1]);
    r.interaction = std::move(f[2]);
    r.agent = std::move(f[4]);
    r.role = std::move(f[5]);
    r.facility = std::move(f[6]);
    r.address = std::move(f[7]);
    r.patient = std::move(f[8]);
    r.what = std::move(f[9]);
    r.reason = std::move(f[10]);
    r.flagged = f[11] == "1";
    out.push_back(std::move(r));
    data = in;
  }
  return out;
}

namespace {

// A read of one or more records of one patient ("Type/id" separated by spaces): mergeable.
bool IsRecordRead(const storage::AuditRecord& r) {
  return r.action == "R" && !r.patient.empty() && !r.what.empty() &&
         r.what.find('?') == std::string::npos && r.what.find('/') != std::string::npos;
}

}  // namespace

namespace {

// The fields that make reads one row (all but the time and the records read).
size_t GroupHash(const storage::AuditRecord& r) {
  size_t h = std::hash<int>()(r.outcome * 2 + (r.flagged ? 1 : 0));
  for (const std::string* f : {&r.interaction, &r.agent, &r.role, &r.facility, &r.address,
                               &r.patient, &r.reason}) {
    h = h * 1000003u ^ std::hash<std::string_view>()(*f);
  }
  return h;
}

// Whether the space-separated list `what` holds `target`.
bool Lists(std::string_view what, std::string_view target) {
  for (size_t at = what.find(target); at != std::string_view::npos;
       at = what.find(target, at + 1)) {
    const size_t end = at + target.size();
    if ((at == 0 || what[at - 1] == ' ') && (end == what.size() || what[end] == ' ')) return true;
  }
  return false;
}

bool SameGroup(const storage::AuditRecord& a, const storage::AuditRecord& b) {
  return a.outcome == b.outcome && a.flagged == b.flagged && a.patient == b.patient &&
         a.agent == b.agent && a.interaction == b.interaction && a.role == b.role &&
         a.facility == b.facility && a.address == b.address && a.reason == b.reason;
}

}  // namespace

std::vector<std::string_view> AuditSink::Targets(std::string_view what) {
  std::vector<std::string_view> out;
  while (!what.empty()) {
    const size_t sp = what.find(' ');
    if (sp != 0) out.push_back(what.substr(0, sp));
    what = sp == std::string_view::npos ? std::string_view() : what.substr(sp + 1);
  }
  return out;
}

std::vector<storage::AuditRecord> AuditSink::Merge(std::vector<storage::AuditRecord> records) {
  std::vector<storage::AuditRecord> out;
  out.reserve(records.size());
  struct Group {
    size_t first = 0;    // the group's first row in `out` (its fields)
    size_t row = 0;      // its open row in `out`
    size_t targets = 0;  // how many that row lists
  };
  std::unordered_multimap<size_t, Group> groups;
  for (auto& r : records) {
    if (!IsRecordRead(r)) {
      out.push_back(std::move(r));
      continue;
    }
    const size_t h = GroupHash(r);
    Group* g = nullptr;
    auto [lo, hi] = groups.equal_range(h);
    for (auto it = lo; it != hi; ++it) {
      if (SameGroup(out[it->second.first], r)) g = &it->second;
    }
    for (std::string_view target : Targets(r.what)) {
      if (g && g->targets < kMaxTargetsPerRow && Lists(out[g->row].what, target)) {
        continue;  // read again in this batch
      }
      if (!g || g->targets >= kMaxTargetsPerRow) {
        storage::AuditRecord row = r;  // the first read's time and fields
        row.what.assign(target);
        out.push_back(std::move(row));
        if (!g) g = &groups.emplace(h, Group{out.size() - 1, 0, 0})->second;
        g->row = out.size() - 1;
        g->targets = 1;
      } else {
        out[g->row].what.push_back(' ');
        out[g->row].what.append(target);
        ++g->targets;
      }
    }
  }
  return out;
}

AuditSink::AuditSink(storage::ResourceStore& store, AuditSinkOptions options)
    : store_(store), options_(std::move(options)) {
  if (!options_.journal_path.empty()) {
    Recover();
    journal_fd_ =
        ::open(options_.journal_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (journal_fd_ < 0) {
      spdlog::error("audit journal {}: {}; audit records go to the store directly",
                    options_.journal_path, std::strerror(errno));
    }
  }
  thread_ = std::thread([this] { Run(); });
}

AuditSink::~AuditSink() { Close(); }

// What a crash left in the journal goes into the store, except the records of a batch the
// store had committed before the journal was emptied (a batch commits whole, so its first
// record tells; records carry microsecond times, agent, patient and target).
void AuditSink::Recover() {
  int fd = ::open(options_.journal_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  // The store holds the journal's records merged (Merge): compare in that form.
  std::vector<storage::AuditRecord> records = Merge(Decode(data));
  if (!records.empty()) {
    std::set<std::string> committed;
    auto txn = store_.BeginRead();
    auto tail = txn->AuditTrail("", static_cast<int>(records.size()) + 16, std::nullopt);
    if (tail.ok()) {
      for (const auto& r : *tail) committed.insert(storage::CanonicalText(r));
    }
    txn.reset();
    size_t skip = 0;
    while (skip < records.size() && committed.count(storage::CanonicalText(records[skip]))) ++skip;
    records.erase(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(skip));
    if (!records.empty()) {
      Status st = WriteStore(records);
      if (!st.ok()) {
        spdlog::error("audit journal {}: could not replay {} records: {}; the journal is kept",
                      options_.journal_path, records.size(), st.ToString());
        return;
      }
      spdlog::warn("audit journal: replayed {} audit records left by an earlier stop",
                   records.size());
    }
  }
  if (::truncate(options_.journal_path.c_str(), 0) != 0 && errno != ENOENT) {
    spdlog::error("audit journal {}: cannot empty it: {}", options_.journal_path,
                  std::strerror(errno));
  }
}

void AuditSink::Add(storage::AuditRecord record) {
  bool wake = false;
  bool late = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    late = closing_;
    if (!late) {
      pending_.push_back(std::move(record));
      wake = pending_.size() >= options_.batch;
    }
  }
  if (wake) cv_.notify_one();
  if (late) {
    // After Close (a request finishing during shutdown): write it at once rather than lose it.
    std::vector<storage::AuditRecord> one(1, std::move(record));
    Status st = WriteStore(one);
    if (!st.ok()) spdlog::error("could not write a late audit record: {}", st.ToString());
  }
}

void AuditSink::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t ticket = ++flushes_requested_;
  cv_.notify_one();
  done_cv_.wait(lock, [&] { return flushes_done_ >= ticket || closing_; });
}

void AuditSink::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_) return;
    closing_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (journal_fd_ >= 0) {
    ::close(journal_fd_);
    journal_fd_ = -1;
  }
}

// On success `records` is emptied; on failure it keeps them, for the next attempt.
Status AuditSink::WriteStore(std::vector<storage::AuditRecord>& records) {
  auto shared = std::make_shared<std::vector<storage::AuditRecord>>(Merge(std::move(records)));
  Status st =
      store_.WriteSync([shared](storage::WriteTxn& txn) { return txn.AppendAudit(*shared); });
  if (st.ok()) {
    records.clear();
  } else {
    records = std::move(*shared);
  }
  return st;
}

bool AuditSink::AppendJournal(const std::vector<storage::AuditRecord>& records) {
  if (journal_fd_ < 0) return false;
  std::string data;
  data.reserve(records.size() * 160);
  for (const auto& r : records) Encode(r, data);
  if (WriteAll(journal_fd_, data)) return true;
  spdlog::error("audit journal {}: write failed: {}; audit records go to the store directly",
                options_.journal_path, std::strerror(errno));
  ::close(journal_fd_);
  journal_fd_ = -1;
  return false;
}

void AuditSink::Run() {
  std::vector<storage::AuditRecord> journaled;  // in the journal, not yet in the store
  auto oldest = std::chrono::steady_clock::now();
  for (;;) {
    std::vector<storage::AuditRecord> batch;
    uint64_t flush_ticket = 0;
    bool stop = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, options_.flush_interval, [this] {
        return closing_ || pending_.size() >= options_.batch || flushes_requested_ > flushes_done_;
      });
      batch.swap(pending_);
      pending_.reserve(batch.size());  // the next interval's reads, without regrowing
      flush_ticket = flushes_requested_;
      stop = closing_;
    }
    bool want_store = stop || flush_ticket > flushes_done_;
    if (!batch.empty()) {
      if (journaled.empty()) oldest = std::chrono::steady_clock::now();
      // No journal: the store is the only place they can go.
      if (!AppendJournal(batch)) want_store = true;
      journaled.insert(journaled.end(), std::make_move_iterator(batch.begin()),
                       std::make_move_iterator(batch.end()));
    }
    if (!journaled.empty() &&
        (want_store || journaled.size() >= options_.store_batch ||
         std::chrono::steady_clock::now() - oldest >= options_.store_interval)) {
      size_t n = journaled.size();
      Status st = WriteStore(journaled);
      if (journaled.empty()) journaled.reserve(n);  // the next second's, without regrowing
      if (!st.ok()) {
        // The trail must not silently lose records: say so loudly. They are kept (in memory
        // and in the journal) and written with the next batch, or replayed at the next start.
        spdlog::error("could not write {} audit records: {}", n, st.ToString());
      } else if (journal_fd_ >= 0 && ::ftruncate(journal_fd_, 0) != 0) {
        spdlog::error("audit journal {}: cannot empty it: {}", options_.journal_path,
                      std::strerror(errno));
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      flushes_done_ = flush_ticket;
    }
    done_cv_.notify_all();
    if (stop) {
      std::lock_guard<std::mutex> lock(mu_);
      if (pending_.empty()) return;
    }
  }
}

}  // namespace hb::access
