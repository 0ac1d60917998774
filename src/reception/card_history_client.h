// The client of the national card-history service (card_history.h has the contract): one
// JSON POST per lookup over HTTP or HTTPS (common/outbound_http.h: libcurl, certificates
// checked against the system's store), with a deadline for the whole exchange.
//
// Off unless a base URL is configured (reception.card_history_url). Lookups block for up to
// the timeout, so the server runs them on the client's own worker thread (LookupAsync),
// never on an io thread.
//
// Thread-safety: Lookup and LookupAsync may be called from any thread. The destructor
// answers the queued lookups with kUnavailable (the one under way finishes, bounded by the
// timeout) and joins the worker.
// Failures: kUnavailable naming the service and the cause (refused, timed out, HTTP
// status, unreadable answer).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"
#include "reception/card_history.h"

namespace hb::reception {

struct CardHistoryOptions {
  std::string base_url;  // "http://127.0.0.1:9000" or "https://host"; empty: off
  std::string path = "/api/egw/KQNhanLichSuKCB";  // [unconfirmed]
  std::string token;                              // sent as "Authorization: Bearer" when set
  int timeout_ms = 3000;
};

class CardHistoryClient {
 public:
  using Done = std::function<void(Result<CardHistoryResult>)>;

  explicit CardHistoryClient(CardHistoryOptions options);
  ~CardHistoryClient();
  CardHistoryClient(const CardHistoryClient&) = delete;
  CardHistoryClient& operator=(const CardHistoryClient&) = delete;

  bool enabled() const { return !options_.base_url.empty(); }
  Result<CardHistoryResult> Lookup(const CardHistoryQuery& query) const;
  // Runs Lookup on the worker thread and calls `done` there.
  void LookupAsync(CardHistoryQuery query, Done done);

 private:
  void Work();

  CardHistoryOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<CardHistoryQuery, Done>> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace hb::reception
