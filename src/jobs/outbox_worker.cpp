#include "jobs/outbox_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/clock.h"

namespace hb::jobs {

OutboxWorker::OutboxWorker(storage::ResourceStore& store, OutboxOptions options)
    : store_(store), options_(options) {}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Register(std::string topic, Sender sender) {
  senders_[std::move(topic)] = std::move(sender);
}

void OutboxWorker::Start() {
  if (!threads_.empty()) return;
  for (const auto& entry : senders_) {  // the map is not changed while threads run
    threads_.emplace_back([this, &entry] { Loop(entry.first, entry.second); });
  }
}

void OutboxWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void OutboxWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wakes_;
  }
  cv_.notify_all();
}

std::chrono::milliseconds OutboxWorker::Backoff(int attempts) const {
  auto delay = options_.backoff_base;
  for (int i = 1; i < attempts && delay < options_.backoff_max; ++i) delay *= 2;
  return std::min(delay, options_.backoff_max);
}

void OutboxWorker::Loop(const std::string& topic, const Sender& sender) {
  std::unique_lock lock(mu_);
  uint64_t seen_wake = 0;
  while (!stopping_) {
    lock.unlock();
    int attempts = 0;
    try {
      attempts = DeliverTopic(topic, sender);
    } catch (const std::exception& e) {
      spdlog::error("outbox {}: {}", topic, e.what());
    }
    lock.lock();
    if (attempts > 0 || stopping_) continue;  // more may be due at once
    cv_.wait_for(lock, options_.poll, [&] { return stopping_ || wakes_ != seen_wake; });
    seen_wake = wakes_;
  }
}

int OutboxWorker::RunOnce() {
  int attempts = 0;
  for (const auto& [topic, sender] : senders_) attempts += DeliverTopic(topic, sender);
  return attempts;
}

int OutboxWorker::DeliverTopic(const std::string& topic, const Sender& sender) {
  // The topic's pending items in queue order, due or not: the oldest one that is not due
  // yet (waiting out its backoff) stops the round, so that no later item overtakes it.
  storage::OutboxQuery q;
  q.topic = topic;
  q.state = storage::OutboxState::kPending;
  q.oldest_first = true;
  q.count = options_.batch;
  const int64_t now = NowMicros();
  auto due = store_.BeginRead()->Outbox(q);
  if (!due.ok()) {
    spdlog::error("outbox {}: {}", topic, due.status().ToString());
    return 0;
  }
  int n = 0;
  for (const storage::OutboxItem& item : *due) {
    if (item.next_at > now) break;
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    DeliveryResult r;
    try {
      r = sender(item);
    } catch (const std::exception& e) {
      r = {Delivery::kRetry, std::string("sender threw: ") + e.what()};
    }
    ++n;
    storage::OutboxUpdate u;
    u.attempts = item.attempts + 1;
    u.result = item.result;
    if (r.outcome == Delivery::kDelivered) {
      u.state = storage::OutboxState::kDelivered;
      u.result = r.detail;
      u.next_at = item.next_at;
    } else if (r.outcome == Delivery::kFailed || u.attempts >= options_.max_attempts) {
      u.state = storage::OutboxState::kFailed;
      u.last_error = r.detail;
      u.next_at = item.next_at;
    } else {
      u.state = storage::OutboxState::kPending;
      u.last_error = r.detail;
      u.next_at = NowMicros() +
                  std::chrono::duration_cast<std::chrono::microseconds>(Backoff(u.attempts)).count();
    }
    if (r.outcome != Delivery::kDelivered) {
      spdlog::warn("outbox {} #{} ({}): attempt {} {}: {}", topic, item.seq, item.key, u.attempts,
                   u.state == storage::OutboxState::kFailed ? "failed" : "will be retried",
                   r.detail);
    }
    Status st = store_.WriteSync(
        [&](storage::WriteTxn& txn) { return txn.UpdateOutbox(item.seq, u); });
    if (!st.ok()) spdlog::error("outbox {} #{}: {}", topic, item.seq, st.ToString());
    // A topic's items go in order: after a transient failure, wait for the backoff rather
    // than overtaking the failed item with later ones.
    if (u.state == storage::OutboxState::kPending) break;
  }
  return n;
}

}  // namespace hb::jobs
