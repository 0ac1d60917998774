// Server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html) fanned
// out by topic: the queue display of a department, the payment status of an invoice.
//
// Subscribe() returns a streamed Response (text/event-stream) that first sends the topic's
// last event, so a screen that (re)connects shows the current state at once; Publish() sends
// an event to every open subscriber and keeps it as the topic's last. A background thread
// sends a comment line every `keep_alive` so that proxies keep the connection and dead
// clients are found; closed streams are dropped then and on publish, and topics nobody
// has watched for kForgetAfter are forgotten.
//
// Thread-safety: all methods may be called from any thread. Destroying the hub closes the
// streams it holds.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http/message.h"

namespace hb::http {

class EventHub {
 public:
  explicit EventHub(std::chrono::milliseconds keep_alive = std::chrono::seconds(15));
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  Response Subscribe(const std::string& topic);
  // `data` may span lines (each becomes a `data:` line); `name` is the event type.
  void Publish(const std::string& topic, std::string_view name, std::string_view data);
  // Open subscribers of `topic` (closed ones are counted until the next prune).
  size_t Subscribers(const std::string& topic) const;
  // True when some topic starting with `prefix` has an open subscriber.
  bool AnySubscribers(std::string_view prefix) const;

  // The wire form of one event (exposed for tests).
  static std::string Format(std::string_view name, std::string_view data);

 private:
  struct Topic {
    std::string last;  // the formatted last event; empty when none yet
    std::chrono::steady_clock::time_point published;
    std::vector<std::shared_ptr<StreamSink>> sinks;
  };
  // A topic without subscribers is dropped when its last event is older than this.
  static constexpr std::chrono::minutes kForgetAfter{2};
  void KeepAlive();

  const std::chrono::milliseconds keep_alive_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<std::string, Topic> topics_;
  std::thread thread_;
};

}  // namespace hb::http
