#include "reception/queue_snapshot.h"

#include <algorithm>

#include "fhir/search_escape.h"
#include "reception/candidate_search.h"
#include "reception/json_out.h"
#include "reception/uris.h"

namespace hb::reception {

namespace {

constexpr int kPage = 500;

Result<bool> TicketExists(storage::ReadTxn& txn, const QueueKey& key, int number) {
  HB_ASSIGN_OR_RETURN(
      auto found, SearchResources(txn, "Encounter",
                                  {{"identifier", fhir::EscapeToken(QueueNumberSystem(),
                                                                    TicketValue(key, number))}},
                                  1));
  return !found.empty();
}

}  // namespace

std::vector<const QueueTicket*> QueueSnapshot::CallOrder() const {
  std::vector<const QueueTicket*> out;
  for (const auto& t : tickets) {
    if (t.Waiting()) out.push_back(&t);
  }
  std::stable_sort(out.begin(), out.end(), [](const QueueTicket* a, const QueueTicket* b) {
    int ra = PriorityRank(a->priority), rb = PriorityRank(b->priority);
    return ra != rb ? ra < rb : a->number < b->number;
  });
  return out;
}

Result<QueueSnapshot> ComputeQueueSnapshot(storage::ReadTxn& txn, const QueueKey& key) {
  QueueSnapshot s;
  s.key = key;
  std::vector<std::pair<std::string, std::string>> params{
      {"_tag", fhir::EscapeToken(QueueTagSystem(), key.Text())}};
  for (int64_t offset = 0;; offset += kPage) {
    HB_ASSIGN_OR_RETURN(auto page, SearchResources(txn, "Encounter", params, kPage, offset));
    for (const auto& v : page) {
      auto doc = fhir::ParseJson(v.json);
      if (!doc.ok()) continue;
      auto t = TicketOf(*doc);
      if (t && t->key == key) s.tickets.push_back(std::move(*t));
    }
    if (static_cast<int>(page.size()) < kPage) break;
  }
  std::sort(s.tickets.begin(), s.tickets.end(),
            [](const QueueTicket& a, const QueueTicket& b) { return a.number < b.number; });
  for (const auto& t : s.tickets) {
    s.waiting += t.Waiting();
    s.last_number = std::max(s.last_number, t.number);
  }
  return s;
}

std::string_view TicketState(const QueueTicket& t) {
  if (t.Waiting()) return "waiting";
  if (t.status == "in-progress" || t.status == "onleave") return "called";
  if (t.status == "finished") return "done";
  return "cancelled";
}

std::string QueueDisplayJson(const QueueSnapshot& s) {
  JsonOut j;
  j.BeginObject();
  j.Put("department", s.key.department);
  j.Put("date", DayIso(s.key.day));
  j.PutInt("waiting", s.waiting);
  j.PutInt("last_number", s.last_number);
  std::vector<const QueueTicket*> called;
  for (const auto& t : s.tickets) {
    if (!t.called.empty() && TicketState(t) == "called") called.push_back(&t);
  }
  std::sort(called.begin(), called.end(),
            [](const QueueTicket* a, const QueueTicket* b) { return a->called > b->called; });
  j.Key("serving");
  j.BeginArray();
  for (const auto* t : called) j.Int(t->number);
  j.EndArray();
  j.Key("tickets");
  j.BeginArray();
  for (const auto& t : s.tickets) {
    j.BeginObject();
    j.PutInt("number", t.number);
    j.Put("status", TicketState(t));
    j.Put("priority", PriorityRank(t.priority) == 2 ? "routine" : "priority");
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.Take();
}

Result<int> QueueNumbers::Next(storage::ReadTxn& txn, const QueueKey& key) {
  int n = -1;
  {
    std::lock_guard lock(mu_);
    auto it = committed_.find(key.Text());
    if (it != committed_.end()) n = it->second;
  }
  if (n < 0) {
    HB_ASSIGN_OR_RETURN(QueueSnapshot s, ComputeQueueSnapshot(txn, key));
    n = s.last_number;
  }
  for (;;) {  // numbers taken since (earlier in this commit group, or by another process)
    HB_ASSIGN_OR_RETURN(bool taken, TicketExists(txn, key, n + 1));
    if (!taken) return n + 1;
    ++n;
  }
}

void QueueNumbers::Committed(const QueueKey& key, int number) {
  std::lock_guard lock(mu_);
  // Yesterday's queues are finished: forget them rather than grow for ever.
  if (committed_.size() > 4096) {
    std::erase_if(committed_, [&](const auto& kv) {
      return kv.first.find(":" + key.day + ":") == std::string::npos;
    });
  }
  int& mark = committed_[key.Text()];
  mark = std::max(mark, number);
}

}  // namespace hb::reception
