#include "access/audit_sink.h"

#include <spdlog/spdlog.h>

#include <memory>

namespace hb::access {

AuditSink::AuditSink(storage::ResourceStore& store, std::chrono::milliseconds flush_interval,
                     size_t batch)
    : store_(store), interval_(flush_interval), batch_(batch) {
  thread_ = std::thread([this] { Run(); });
}

AuditSink::~AuditSink() { Close(); }

void AuditSink::Add(storage::AuditRecord record) {
  bool wake = false;
  bool late = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    late = closing_;
    if (!late) {
      pending_.push_back(std::move(record));
      wake = pending_.size() >= batch_;
    }
  }
  if (wake) cv_.notify_one();
  if (late) {
    // After Close (a request finishing during shutdown): write it at once rather than lose it.
    auto one = std::make_shared<std::vector<storage::AuditRecord>>(1, std::move(record));
    Status st = store_.WriteSync([one](storage::WriteTxn& txn) { return txn.AppendAudit(*one); });
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
}

void AuditSink::Run() {
  for (;;) {
    std::vector<storage::AuditRecord> batch;
    uint64_t flush_ticket = 0;
    bool stop = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, interval_, [this] {
        return closing_ || pending_.size() >= batch_ || flushes_requested_ > flushes_done_;
      });
      batch.swap(pending_);
      flush_ticket = flushes_requested_;
      stop = closing_;
    }
    if (!batch.empty()) {
      auto shared = std::make_shared<std::vector<storage::AuditRecord>>(std::move(batch));
      Status st = store_.WriteSync(
          [shared](storage::WriteTxn& txn) { return txn.AppendAudit(*shared); });
      if (!st.ok()) {
        // The trail must not silently lose records: say so loudly.
        spdlog::error("could not write {} audit records: {}", shared->size(), st.ToString());
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
