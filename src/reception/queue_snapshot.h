// A department's queue for one day, read from the store, and the allocation of the next
// ticket number.
//
// ComputeQueueSnapshot reads the queue's Encounters through the search index (_tag = the
// queue's tag, queue_ticket.h) and keeps those whose ticket is of that queue. It is what
// Encounter/$queue returns and what a live queue display pushes (QueueDisplayJson: numbers and
// states only, no names, for a screen in the waiting room).
//
// QueueNumbers allocates on the store's writer thread, so two visits never get one
// number: the next number is one more than the highest ticket of the queue, found by
// probing the identifier index upwards from the last number known to be committed (the
// first use of a queue after a start, reads the queue once instead). Committed() moves
// that mark after a commit; a rolled-back allocation therefore leaves no gap, and a
// restart loses nothing because the numbers are read back from the stored Encounters.
//
// Thread-safety: ComputeQueueSnapshot is thread-compatible (one ReadTxn); QueueNumbers
// is thread-safe, but Next must run on the writer (inside the write that stores it).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "reception/queue_ticket.h"
#include "storage/resource_store.h"

namespace hb::reception {

struct QueueSnapshot {
  QueueKey key;
  std::vector<QueueTicket> tickets;  // by number
  int waiting = 0;
  int last_number = 0;                                // the highest ticket issued
  std::vector<const QueueTicket*> CallOrder() const;  // waiting tickets, next first
};

Result<QueueSnapshot> ComputeQueueSnapshot(storage::ReadTxn& txn, const QueueKey& key);
// {"department", "date", "waiting", "last_number", "serving": [numbers called, latest
// first], "tickets": [{"number", "status": waiting|called|done|cancelled, "priority"}]}.
std::string QueueDisplayJson(const QueueSnapshot& snapshot);
// "waiting", "called", "done" or "cancelled" for an Encounter status.
std::string_view TicketState(const QueueTicket& ticket);

class QueueNumbers {
 public:
  Result<int> Next(storage::ReadTxn& txn, const QueueKey& key);
  void Committed(const QueueKey& key, int number);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, int> committed_;  // QueueKey::Text() -> highest number
};

}  // namespace hb::reception
