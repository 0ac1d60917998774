// AuditSink: collects audit records of reads (and refused requests) and
// appends them to the store's hash-chained trail in batches, so that auditing
// a read costs the reader a queue push, not a commit.
//
// Two stages (docs/implementation/access.md, "The audit trail"):
// 1. every `flush_interval` (or when `batch` are waiting) the queued records are appended
//    to a journal file beside the store (`journal_path`: one write(), no B-tree), and
// 2. every `store_interval` (or when `store_batch` are journaled) the journaled records
//    go into the store's trail in one commit (hash chain, patient index), then the
//    journal is emptied.
// A record therefore leaves the process's memory as soon as without the journal (at most
// `flush_interval` after the read), while the trail's expensive part (a hash-chained row and
// its patient index entry) is paid once per patient and agent of a store batch (Merge): the
// journal keeps every single read until the store has its merged rows. At start-up the sink replays what
// a crash left in the journal, skipping records the store had already committed.
// Without a journal path, stage 1 is skipped and records go to the store every
// `flush_interval` (the earlier behaviour).
//
// Close() (and the destructor) and Flush() put everything queued into the store.
// Writes record their audit in their own transaction instead (rest/write_ops.h).
// Thread-safety: Add() and Flush() from any thread. The store must outlive the sink.
// Failure modes: a journal that cannot be written falls back to writing the store at
// once (logged); a store write that fails is logged loudly and retried with the next batch.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/resource_store.h"

namespace hb::access {

struct AuditSinkOptions {
  std::string journal_path;  // empty: no journal (records go to the store each flush)
  std::chrono::milliseconds flush_interval{50};
  std::chrono::milliseconds store_interval{1000};
  size_t batch = 2048;
  size_t store_batch = 32768;
};

class AuditSink {
 public:
  explicit AuditSink(storage::ResourceStore& store, AuditSinkOptions options = {});
  ~AuditSink();
  void Add(storage::AuditRecord record);
  // Puts what is queued or journaled into the store and waits until it is committed.
  void Flush();
  void Close();

  // The journal's encoding (exposed for tests): records appended to `out`; Decode reads
  // the complete records of `data` (a torn last record is ignored).
  static void Encode(const storage::AuditRecord& r, std::string& out);
  static std::vector<storage::AuditRecord> Decode(std::string_view data);
  // The rows a batch of records becomes in the store: the successful or refused reads of one
  // patient's records by one agent (same role, facility, address, interaction, outcome,
  // reason and flag) are one row, `recorded` at the first read, whose `what` lists the
  // records read ("Type/id" separated by spaces, each once per row, at most kMaxTargetsPerRow; then
  // a next row). Everything else (writes, searches, logins, refusals before any record) stays
  // one row per record. Deterministic and idempotent: Merge(Merge(x) + y) == Merge(x + y).
  static std::vector<storage::AuditRecord> Merge(std::vector<storage::AuditRecord> records);
  static constexpr size_t kMaxTargetsPerRow = 64;
  // The records a row's `what` lists (one "Type/id", or several separated by spaces).
  static std::vector<std::string_view> Targets(std::string_view what);

 private:
  void Run();
  void Recover();
  bool AppendJournal(const std::vector<storage::AuditRecord>& records);
  Status WriteStore(std::vector<storage::AuditRecord>& records);
  storage::ResourceStore& store_;
  const AuditSinkOptions options_;
  int journal_fd_ = -1;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<storage::AuditRecord> pending_;
  bool closing_ = false;
  uint64_t flushes_requested_ = 0;
  uint64_t flushes_done_ = 0;
  std::condition_variable done_cv_;
  std::thread thread_;
};

}  // namespace hb::access
