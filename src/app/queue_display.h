// Live queue displays (the waiting-room screen of a department): whenever an Encounter
// carrying a queue ticket is committed, its queue's snapshot (numbers and states only, no
// names: reception::QueueDisplayJson) is pushed on the event hub, topic
// "queue/<facility org>:<yyyymmdd>:<department>"; a screen subscribes with
//   GET /api/queue/stream?department=KEY[&facility=ORG][&date=YYYYMMDD]
// (text/event-stream, events named `queue`). The first event is the current snapshot.
//
// Thread-safety: OnCommit runs on the store's writer thread and only queues ids; the
// snapshots are computed on the display's own thread. Subscribe may be called from any
// io thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "access/principal.h"
#include "http/event_hub.h"
#include "http/message.h"
#include "storage/resource_store.h"

namespace hb::app {

class QueueDisplay {
 public:
  QueueDisplay(storage::ResourceStore& store, http::EventHub& hub, int utc_offset_minutes);
  ~QueueDisplay();
  QueueDisplay(const QueueDisplay&) = delete;
  QueueDisplay& operator=(const QueueDisplay&) = delete;

  // For ResourceStore::AddCommitListener.
  void OnCommit(const std::vector<storage::ResourceKey>& keys);
  // The stream of one queue, for an authenticated caller.
  void Subscribe(const access::Principal& who, const http::Request& req, http::Responder respond);
  void Stop();

 private:
  void Loop();
  // Publishes the queue's snapshot; only when someone watches it, unless `force`.
  void Push(const std::string& facility, const std::string& day, const std::string& department,
            bool force = false);

  storage::ResourceStore& store_;
  http::EventHub& hub_;
  const int utc_offset_minutes_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> pending_;  // Encounter ids
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hb::app
