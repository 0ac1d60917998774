// GroupWriter: the write queue and writer thread that the SQL stores share, which gives
// ResourceStore::Write its contract (storage/resource_store.h): work items are queued and
// run by one thread, up to `max_group` of them in one transaction (the store's RunGroupFn:
// begin, each item undone alone when it fails (in its own savepoint; SQLite runs the first
// item of a transaction without one and undoes it with ROLLBACK), commit); after the COMMIT
// the cache entries of the keys written are invalidated, the commit listeners hear of them,
// and only then does each item's `done` run with its outcome (the commit's error when the
// commit failed).
//
// Threading: Write() and Close() are thread-safe; the RunGroupFn, the listeners and the
// `done` callbacks run on the writer thread. Add listeners before the first write.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "storage/resource_cache.h"
#include "storage/resource_store.h"

namespace hb::storage {

class GroupWriter {
 public:
  struct Item {
    ResourceStore::WorkFn work;
    ResourceStore::DoneFn done;
  };
  // (type, id) of each Put in a group, rolled back or not (invalidating is harmless).
  using WrittenKeys = std::vector<std::pair<std::string, std::string>>;
  // Runs a group in one transaction: sets results[i] to item i's outcome, appends the keys
  // written, returns the COMMIT's status (the BEGIN's error when none began).
  using RunGroupFn = std::function<Status(std::vector<Item>& group, std::vector<Status>& results,
                                          WrittenKeys& written)>;

  // Starts the writer thread. `cache` and `facts` must outlive the GroupWriter.
  GroupWriter(size_t max_group, ResourceCache& cache, FactsCache& facts, RunGroupFn run);
  ~GroupWriter() { Close(); }
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // Queues `work`; once closing, `done` gets kUnavailable at once.
  void Write(ResourceStore::WorkFn work, ResourceStore::DoneFn done);
  void AddListener(ResourceStore::CommitListener listener) {
    listeners_.push_back(std::move(listener));
  }
  // Drains the queue and stops the thread. Idempotent.
  void Close();
  // The timestamp of the next work item: now, and never less than the last one + 1 µs.
  // Writer thread only.
  int64_t NextTime();
  int64_t groups() const { return groups_.load(); }
  int64_t writes() const { return writes_.load(); }

 private:
  void Loop();
  void RunOne(std::vector<Item>& group);

  const size_t max_group_;
  ResourceCache& cache_;
  FactsCache& facts_;
  RunGroupFn run_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool closing_ = false;
  int64_t last_time_ = 0;
  WrittenKeys written_;  // writer thread only
  std::vector<ResourceStore::CommitListener> listeners_;
  std::atomic<int64_t> groups_{0};
  std::atomic<int64_t> writes_{0};
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace hb::storage
