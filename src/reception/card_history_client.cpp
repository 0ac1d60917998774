#include "reception/card_history_client.h"

#include <chrono>

#include "common/outbound_http.h"

namespace hb::reception {

namespace {

Status Unavailable(const std::string& why) {
  return Status(ErrorCode::kUnavailable, "card-history service: " + why);
}

constexpr size_t kMaxAnswer = 4u << 20;  // a card's history is a few kilobytes

}  // namespace

CardHistoryClient::CardHistoryClient(CardHistoryOptions options) : options_(std::move(options)) {
  if (enabled()) worker_ = std::thread([this] { Work(); });
}

CardHistoryClient::~CardHistoryClient() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void CardHistoryClient::LookupAsync(CardHistoryQuery query, Done done) {
  if (!enabled()) return done(Unavailable("not configured"));
  {
    std::lock_guard lock(mu_);
    queue_.emplace_back(std::move(query), std::move(done));
  }
  cv_.notify_one();
}

void CardHistoryClient::Work() {
  for (;;) {
    std::pair<CardHistoryQuery, Done> item;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    bool stopping;
    {
      std::lock_guard lock(mu_);
      stopping = stopping_;
    }
    // At shutdown the queued lookups are answered at once rather than waited for.
    item.second(stopping ? Result<CardHistoryResult>(Unavailable("the server is stopping"))
                         : Lookup(item.first));
  }
}

Result<CardHistoryResult> CardHistoryClient::Lookup(const CardHistoryQuery& query) const {
  const std::string& base = options_.base_url;
  const size_t scheme = base.starts_with("https://") ? 8 : base.starts_with("http://") ? 7 : 0;
  if (scheme == 0 || base.size() == scheme || base[scheme] == '/') {
    return Unavailable("the configured URL '" + base + "' is not http(s)://host");
  }
  std::string_view prefix = base;
  while (prefix.size() > scheme && prefix.back() == '/') prefix.remove_suffix(1);
  OutboundRequest req{.method = "POST",
                      .url = std::string(prefix) + options_.path,
                      .headers = {{"Content-Type", "application/json; charset=utf-8"},
                                  {"Accept", "application/json"}},
                      .body = CardHistoryRequestJson(query),
                      .timeout = std::chrono::milliseconds(options_.timeout_ms)};
  if (!options_.token.empty())
    req.headers.emplace_back("Authorization", "Bearer " + options_.token);
  // One request on a handle of its own: TLS checked against the system's store, the timeout
  // covering the whole exchange (connecting included).
  OutboundResponse r = SendHttp(req);
  if (r.status == 0) return Unavailable(r.error);
  if (r.status != 200) return Unavailable("HTTP " + std::to_string(r.status));
  if (r.body.size() > kMaxAnswer) return Unavailable("the answer is larger than 4 MiB");
  return ParseCardHistoryResponse(r.body);
}

}  // namespace hb::reception
