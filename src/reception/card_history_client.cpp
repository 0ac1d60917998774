#include "reception/card_history_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace hb::reception {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

Status Unavailable(const std::string& why) {
  return Status(ErrorCode::kUnavailable, "card-history service: " + why);
}

// One request and its answer, asynchronously so that the stream's deadline applies (Beast
// enforces tcp_stream timeouts on asynchronous operations only). `handshake` runs after
// the connection and before the request (TLS); `done` gets the body or the failure.
template <typename Stream>
class Exchange : public std::enable_shared_from_this<Exchange<Stream>> {
 public:
  using Handshake = std::function<void(Stream&, std::function<void(beast::error_code)>)>;
  Exchange(Stream& stream, bhttp::request<bhttp::string_body> req, Handshake handshake)
      : stream_(stream), req_(std::move(req)), handshake_(std::move(handshake)) {
    parser_.body_limit(4u << 20);
  }
  void Start(const asio::ip::tcp::resolver::results_type& endpoints) {
    auto self = this->shared_from_this();
    beast::get_lowest_layer(stream_).async_connect(
        endpoints, [self](beast::error_code ec, const auto&) {
          if (ec) return self->Fail("cannot connect", ec);
          if (!self->handshake_) return self->Send();
          self->handshake_(self->stream_, [self](beast::error_code hec) {
            if (hec) return self->Fail("TLS handshake failed", hec);
            self->Send();
          });
        });
  }
  Result<std::string> result = Unavailable("no answer within the timeout");

 private:
  void Send() {
    auto self = this->shared_from_this();
    bhttp::async_write(stream_, req_, [self](beast::error_code ec, size_t) {
      if (ec) return self->Fail("sending the request failed", ec);
      bhttp::async_read(self->stream_, self->buffer_, self->parser_,
                        [self](beast::error_code rec, size_t) { self->Received(rec); });
    });
  }
  void Received(beast::error_code ec) {
    if (ec) return Fail("reading the answer failed", ec);
    auto& res = parser_.get();
    if (res.result_int() != 200) {
      result =
          Unavailable("HTTP " + std::to_string(res.result_int()) + " " + std::string(res.reason()));
      return;
    }
    result = std::move(res.body());
  }
  void Fail(const char* what, beast::error_code ec) {
    result = Unavailable(std::string(what) + ": " +
                         (ec == beast::error::timeout ? "timed out" : ec.message()));
  }

  Stream& stream_;
  bhttp::request<bhttp::string_body> req_;
  Handshake handshake_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
};

}  // namespace

bool ParseServiceUrl(std::string_view url, ServiceUrl* out) {
  if (url.starts_with("https://")) {
    out->tls = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    out->tls = false;
    url.remove_prefix(7);
  } else {
    return false;
  }
  size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  out->prefix = slash == std::string_view::npos ? "" : std::string(url.substr(slash));
  while (!out->prefix.empty() && out->prefix.back() == '/') out->prefix.pop_back();
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    out->host = std::string(authority.substr(0, colon));
    out->port = std::string(authority.substr(colon + 1));
  } else {
    out->host = std::string(authority);
    out->port = out->tls ? "443" : "80";
  }
  return !out->host.empty() && !out->port.empty();
}

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
  ServiceUrl url;
  if (!ParseServiceUrl(options_.base_url, &url)) {
    return Unavailable("the configured URL '" + options_.base_url + "' is not http(s)://host");
  }
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, url.prefix + options_.path, 11};
  req.set(bhttp::field::host, url.host);
  req.set(bhttp::field::content_type, "application/json; charset=utf-8");
  req.set(bhttp::field::accept, "application/json");
  req.set(bhttp::field::connection, "close");
  if (!options_.token.empty()) req.set(bhttp::field::authorization, "Bearer " + options_.token);
  req.body() = CardHistoryRequestJson(query);
  req.prepare_payload();
  const auto deadline = std::chrono::milliseconds(options_.timeout_ms);
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec) return Unavailable("cannot resolve " + url.host + ": " + ec.message());
  Result<std::string> body = std::string();
  if (!url.tls) {
    beast::tcp_stream stream(io);
    stream.expires_after(deadline);
    auto x = std::make_shared<Exchange<beast::tcp_stream>>(stream, std::move(req), nullptr);
    x->Start(endpoints);
    io.run();
    body = std::move(x->result);
  } else {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(asio::ssl::verify_peer);
    using TlsStream = beast::ssl_stream<beast::tcp_stream>;
    TlsStream stream(io, ctx);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
      return Unavailable("cannot set the TLS server name " + url.host);
    }
    stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
    beast::get_lowest_layer(stream).expires_after(deadline);
    auto x = std::make_shared<Exchange<TlsStream>>(
        stream, std::move(req), [](TlsStream& s, std::function<void(beast::error_code)> next) {
          s.async_handshake(asio::ssl::stream_base::client,
                            [next = std::move(next)](beast::error_code ec) { next(ec); });
        });
    x->Start(endpoints);
    io.run();
    body = std::move(x->result);
  }
  if (!body.ok()) return body.status();
  return ParseCardHistoryResponse(*body);
}

}  // namespace hb::reception
