#include "app/queue_display.h"

#include <spdlog/spdlog.h>

#include <set>

#include "common/clock.h"
#include "fhir/json.h"
#include "http/query.h"
#include "reception/queue_snapshot.h"
#include "reception/queue_ticket.h"
#include "rest/outcome.h"

namespace hb::app {
namespace {
const std::string kTopicPrefix = "queue/";
}  // namespace

QueueDisplay::QueueDisplay(storage::ResourceStore& store, http::EventHub& hub,
                           int utc_offset_minutes)
    : store_(store), hub_(hub), utc_offset_minutes_(utc_offset_minutes),
      thread_([this] { Loop(); }) {}

QueueDisplay::~QueueDisplay() { Stop(); }

void QueueDisplay::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void QueueDisplay::OnCommit(const std::vector<storage::ResourceKey>& keys) {
  bool any = false;
  {
    std::lock_guard lock(mu_);
    for (const storage::ResourceKey& k : keys) {
      if (k.type != "Encounter") continue;
      pending_.push_back(k.id);
      any = true;
    }
  }
  if (any) cv_.notify_one();
}

void QueueDisplay::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    std::deque<std::string> ids;
    ids.swap(pending_);
    lock.unlock();
    // Nobody watches a queue screen: nothing to compute (a screen that connects later gets a
    // fresh snapshot in Subscribe).
    if (!hub_.AnySubscribers(kTopicPrefix)) {
      lock.lock();
      continue;
    }
    // One snapshot per queue however many of its visits changed in the batch.
    std::set<std::string> done;
    for (const std::string& id : ids) {
      auto v = store_.BeginRead()->Read("Encounter", id);
      if (!v.ok() || v->deleted) continue;
      auto doc = fhir::ParseJson(v->json);
      if (!doc.ok()) continue;
      auto ticket = reception::TicketOf(*doc);
      if (!ticket || !done.insert(ticket->key.Text()).second) continue;
      Push(ticket->key.facility_org, ticket->key.day, ticket->key.department);
    }
    lock.lock();
  }
}

void QueueDisplay::Push(const std::string& facility, const std::string& day,
                        const std::string& department, bool force) {
  reception::QueueKey key{facility, department, day};
  if (!force && hub_.Subscribers(kTopicPrefix + key.Text()) == 0) return;
  auto txn = store_.BeginRead();
  auto snapshot = reception::ComputeQueueSnapshot(*txn, key);
  if (!snapshot.ok()) {
    spdlog::warn("queue display {}: {}", key.Text(), snapshot.status().message());
    return;
  }
  hub_.Publish(kTopicPrefix + key.Text(), "queue", reception::QueueDisplayJson(*snapshot));
}

void QueueDisplay::Subscribe(const access::Principal& who, const http::Request& req,
                             http::Responder respond) {
  std::string department, facility = who.facility_org,
                          day = reception::LocalDay(NowMicros(), utc_offset_minutes_);
  for (const auto& [k, v] : http::ParseQuery(req.query)) {
    if (k == "department") department = v;
    if (k == "facility") facility = v;
    if (k == "date") day = v;
  }
  if (department.empty() || facility.empty() || day.size() != 8 ||
      day.find_first_not_of("0123456789") != std::string::npos) {
    return respond(rest::ErrorResponse(Status(
        ErrorCode::kInvalidArgument,
        "a queue stream needs department=, a facility (the caller's, or facility=Organization "
        "id) and date=YYYYMMDD (default today)")));
  }
  reception::QueueKey key{facility, department, day};
  std::string topic = kTopicPrefix + key.Text();
  // A screen that connects first sees the queue as it is now (while nobody watched, the
  // topic's last event was not kept current).
  if (hub_.Subscribers(topic) == 0) Push(facility, day, department, /*force=*/true);
  respond(hub_.Subscribe(topic));
}

}  // namespace hb::app
