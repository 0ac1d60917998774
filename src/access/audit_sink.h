// AuditSink: collects audit records of reads (and refused requests) and
// appends them to the store's hash-chained trail in batches, so that auditing
// a read costs the reader a queue push, not a commit.
//
// Records are flushed every `flush_interval` or when `batch` are waiting; Close()
// (and the destructor) flush what remains. Writes record their audit in their own
// transaction instead (see rest/write_ops.h), not here.
// Thread-safety: Add() from any thread. The store must outlive the sink.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/resource_store.h"

namespace hb::access {

class AuditSink {
 public:
  explicit AuditSink(storage::ResourceStore& store,
                     std::chrono::milliseconds flush_interval = std::chrono::milliseconds(50),
                     size_t batch = 2048);
  ~AuditSink();
  void Add(storage::AuditRecord record);
  // Flushes what is queued and waits until it is committed.
  void Flush();
  void Close();

 private:
  void Run();
  storage::ResourceStore& store_;
  const std::chrono::milliseconds interval_;
  const size_t batch_;
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
