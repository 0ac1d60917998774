#include "http/event_hub.h"

#include <algorithm>

namespace hb::http {

EventHub::EventHub(std::chrono::milliseconds keep_alive)
    : keep_alive_(keep_alive), thread_([this] { KeepAlive(); }) {}

EventHub::~EventHub() {
  std::map<std::string, Topic> topics;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    topics.swap(topics_);
  }
  cv_.notify_all();
  thread_.join();
  for (auto& [name, topic] : topics) {
    for (auto& sink : topic.sinks) sink->Close();
  }
}

std::string EventHub::Format(std::string_view name, std::string_view data) {
  std::string out;
  if (!name.empty()) {
    out += "event: ";
    out += name;
    out += '\n';
  }
  size_t start = 0;
  for (;;) {
    size_t end = data.find('\n', start);
    std::string_view line = data.substr(start, end == std::string_view::npos ? end : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += "data: ";
    out += line;
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out += '\n';
  return out;
}

Response EventHub::Subscribe(const std::string& topic) {
  Response r;
  r.status = 200;
  r.content_type = "text/event-stream; charset=utf-8";
  r.headers.push_back({"Cache-Control", "no-store"});
  r.headers.push_back({"X-Accel-Buffering", "no"});  // proxies: pass events through at once
  r.body = "retry: 2000\n\n";  // reconnect after 2 s when the connection drops
  r.on_stream = [this, topic](std::shared_ptr<StreamSink> sink) {
    std::lock_guard lock(mu_);
    if (stopping_) return sink->Close();
    Topic& t = topics_[topic];
    if (!t.last.empty()) sink->Send(t.last);
    t.sinks.push_back(std::move(sink));
  };
  return r;
}

void EventHub::Publish(const std::string& topic, std::string_view name, std::string_view data) {
  std::string event = Format(name, data);
  std::lock_guard lock(mu_);
  Topic& t = topics_[topic];
  t.last = event;
  t.published = std::chrono::steady_clock::now();
  std::erase_if(t.sinks, [&](const std::shared_ptr<StreamSink>& s) { return !s->Send(event); });
}

size_t EventHub::Subscribers(const std::string& topic) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic);
  return it == topics_.end() ? 0 : it->second.sinks.size();
}

bool EventHub::AnySubscribers(std::string_view prefix) const {
  std::lock_guard lock(mu_);
  for (auto it = topics_.lower_bound(std::string(prefix));
       it != topics_.end() && it->first.starts_with(prefix); ++it) {
    if (!it->second.sinks.empty()) return true;
  }
  return false;
}

void EventHub::KeepAlive() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, keep_alive_, [this] { return stopping_; });
    if (stopping_) break;
    const auto stale = std::chrono::steady_clock::now() - kForgetAfter;
    for (auto it = topics_.begin(); it != topics_.end();) {
      std::erase_if(it->second.sinks,
                    [](const std::shared_ptr<StreamSink>& s) { return !s->Send(":\n\n"); });
      // A topic nobody watches is forgotten once its last event is old: every invoice and
      // every day's queue would otherwise stay in memory for the life of the process.
      bool forget = it->second.sinks.empty() && it->second.published < stale;
      it = forget ? topics_.erase(it) : std::next(it);
    }
  }
}

}  // namespace hb::http
