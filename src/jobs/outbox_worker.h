// Delivers the outbox (storage/resource_store.h, OutboxItem): one sender per topic, items
// of a topic in queue order, retries with exponential backoff, and a work list of what
// failed for good. A message queued with its cause (same transaction) is never lost: an
// item stays pending until its sender says it was delivered or cannot ever be.
//
// Each topic has its own thread, so a receiver that is slow or times out never delays
// another's messages. The sender runs on its topic's thread, one item at a time; it must be
// idempotent on the item's key (a crash between delivery and the state update resends),
// which is why every receiver contract here carries the key (MA_LK, MSH-10, order number).
//
// Thread-safety: Register before Start; Wake and Stop from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/resource_store.h"

namespace hb::jobs {

enum class Delivery {
  kDelivered,  // done; `detail` is the receiver's answer (kept as the item's result)
  kRetry,      // a transient failure (down, timeout, 5xx): try again later
  kFailed,     // the receiver refused it for good (a rejected record): to the work list
};

struct DeliveryResult {
  Delivery outcome = Delivery::kRetry;
  std::string detail;  // the answer, or what went wrong
};

using Sender = std::function<DeliveryResult(const storage::OutboxItem&)>;

struct OutboxOptions {
  std::chrono::milliseconds poll = std::chrono::milliseconds(500);
  std::chrono::milliseconds backoff_base = std::chrono::seconds(2);  // 2, 4, 8, ... s
  std::chrono::milliseconds backoff_max = std::chrono::minutes(10);
  int max_attempts = 50;  // then failed (about 8 hours at the default backoff)
  int batch = 50;         // items read per topic per round
};

class OutboxWorker {
 public:
  OutboxWorker(storage::ResourceStore& store, OutboxOptions options = {});
  ~OutboxWorker();
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  void Register(std::string topic, Sender sender);
  void Start();
  void Stop();  // finishes the item in hand; idempotent
  void Wake();  // new items were queued: look now rather than at the next poll

  // Delivers what is due now, once, on the calling thread; returns the attempts made.
  // For tests and for `healthbook ... --once` style tools (not while Start()ed).
  int RunOnce();

  // The delay before attempt `attempts + 1` after `attempts` failures.
  std::chrono::milliseconds Backoff(int attempts) const;

 private:
  int DeliverTopic(const std::string& topic, const Sender& sender);
  void Loop(const std::string& topic, const Sender& sender);

  storage::ResourceStore& store_;
  const OutboxOptions options_;
  std::map<std::string, Sender> senders_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  uint64_t wakes_ = 0;  // Wake() calls: every topic's thread looks once per call
  std::vector<std::thread> threads_;
};

}  // namespace hb::jobs
