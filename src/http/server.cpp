#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <csignal>
#include <exception>
#include <thread>
#include <utility>

#include "http/internal/connection.h"
#include "http/internal/core.h"
#include "http/internal/tls_context.h"

namespace hb::http {

namespace internal {

using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {
unsigned ThreadCount(unsigned requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}
// Connections past max_connections are answered 503 up to this many more; beyond, closed at once.
size_t RefusalSlack(size_t max_connections) { return std::max<size_t>(64, max_connections / 8); }
}  // namespace

Core::Core(ServerOptions opts, Handler h)
    : options(std::move(opts)),
      handler(std::move(h)),
      threads(ThreadCount(options.threads)),
      ioc(static_cast<int>(threads)),
      control(asio::make_strand(ioc)),
      acceptor(control),
      accept_retry(control),
      grace(control),
      work(ioc.get_executor()) {
  if (options.rate_limit_per_s > 0) {
    limiter = std::make_unique<RateLimiter>(options.rate_limit_per_s, options.rate_limit_burst);
  }
}

void Core::Accept() {
  acceptor.async_accept(
      asio::make_strand(ioc), [self = shared_from_this()](const error_code& ec, Socket socket) {
        if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
        if (ec) {  // e.g. out of file descriptors: back off instead of spinning
          spdlog::warn("http: accept failed: {}", ec.message());
          self->accept_retry.expires_after(std::chrono::milliseconds(50));
          self->accept_retry.async_wait([self](const error_code& e) {
            if (!e && self->acceptor.is_open()) self->Accept();
          });
          return;
        }
        error_code ignored;
        size_t max = self->options.max_connections;
        size_t open = max > 0 ? self->OpenCount() : 0;
        if (max > 0 && open >= max + RefusalSlack(max)) {
          socket.close(ignored);  // far over the limit: not even a 503
          return self->Accept();
        }
        socket.set_option(tcp::no_delay(true), ignored);
        auto connection = MakeConnection(self, std::move(socket), max > 0 && open >= max);
        self->Register(connection);
        connection->Start();
        self->Accept();
      });
}

void Core::RequestStop() {
  if (stopping.exchange(true)) return;
  asio::post(control, [self = shared_from_this()] { self->BeginStop(); });
}

void Core::BeginStop() {
  error_code ignored;
  acceptor.close(ignored);
  accept_retry.cancel();
  if (signals) signals->cancel(ignored);
  std::vector<std::shared_ptr<ConnectionBase>> open;
  {
    std::lock_guard lock(mu_);
    stop_begun_ = true;
  }
  open = Snapshot();
  if (open.empty()) return FinishStop();
  spdlog::info("http: stopping; waiting for {} open connection(s)", open.size());
  for (const auto& c : open) {
    asio::post(c->strand(), [c] { c->Shutdown(); });
  }
  grace.expires_after(options.shutdown_grace);
  grace.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec) return;
    spdlog::warn("http: {} connection(s) still busy after {}s; stopping anyway",
                 self->Snapshot().size(), self->options.shutdown_grace.count());
    self->ioc.stop();
  });
}

void Core::FinishStop() {
  grace.cancel();
  work.reset();  // Run() returns once the remaining handlers have run
}

void Core::Register(const std::shared_ptr<ConnectionBase>& c) {
  std::lock_guard lock(mu_);
  connections_.emplace(c.get(), c);
}

void Core::Unregister(ConnectionBase* c) {
  bool finish = false;
  {
    std::lock_guard lock(mu_);
    connections_.erase(c);
    finish = stop_begun_ && connections_.empty();
  }
  if (finish) asio::post(control, [self = shared_from_this()] { self->FinishStop(); });
}

size_t Core::OpenCount() {
  std::lock_guard lock(mu_);
  return connections_.size();
}

std::vector<std::shared_ptr<ConnectionBase>> Core::Snapshot() {
  std::vector<std::shared_ptr<ConnectionBase>> out;
  std::lock_guard lock(mu_);
  out.reserve(connections_.size());
  for (auto& [ptr, weak] : connections_) {
    if (auto c = weak.lock()) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace internal

Server::Server(ServerOptions options, Handler handler)
    : core_(std::make_shared<internal::Core>(std::move(options), std::move(handler))) {}

Server::~Server() {
  // Contract: Run() has returned (or never ran), so no io thread touches the core now.
  internal::Core& core = *core_;
  core.dead.store(true, std::memory_order_release);
  core.ioc.stop();
  internal::error_code ignored;
  core.acceptor.close(ignored);
  core.accept_retry.cancel();
  core.grace.cancel();
  if (core.signals) core.signals->cancel(ignored);
  core.work.reset();
  for (const auto& c : core.Snapshot()) c->Close();
  // Run what is still queued (cancelled operations, posted responses) so that the handlers
  // holding connections are released and the core can be freed.
  core.ioc.restart();
  core.ioc.poll();
}

Status Server::Start() {
  internal::Core& core = *core_;
  const ServerOptions& o = core.options;
  std::string where = o.host + ":" + std::to_string(o.port);
  if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
    auto tls = internal::MakeServerTlsContext(o.tls_cert_file, o.tls_key_file);
    if (!tls.ok()) return tls.status();
    core.tls = std::move(tls).value();
  }
  if (!o.cors_origins.empty()) {
    auto cors = internal::CorsPolicy::Make(o.cors_origins, o.cors_max_age, o.cors_credentials);
    if (!cors.ok()) return cors.status();
    core.cors = std::move(cors).value();
  }
  internal::error_code ec;
  boost::asio::ip::tcp::endpoint endpoint;
  auto address = boost::asio::ip::make_address(o.host, ec);
  if (!ec) {
    endpoint = {address, o.port};
  } else {
    boost::asio::ip::tcp::resolver resolver(core.ioc);
    auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
    if (ec || results.empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    "cannot listen on " + where + ": cannot resolve host '" + o.host + "'");
    }
    endpoint = results.begin()->endpoint();
  }
  auto fail = [&](const internal::error_code& e) {
    std::string reason = e.message();
    if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
    internal::error_code ignored;
    core.acceptor.close(ignored);
    return Status(ErrorCode::kUnavailable, "cannot listen on " + where + ": " + reason);
  };
  core.acceptor.open(endpoint.protocol(), ec);
  if (!ec) core.acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) core.acceptor.bind(endpoint, ec);
  if (!ec) core.acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec);
  core.port = core.acceptor.local_endpoint(ec).port();
  spdlog::info("http: listening on {}:{} ({}) with {} io thread(s)", o.host, core.port,
               core.tls ? "HTTPS only" : "plain HTTP", core.threads);
  boost::asio::post(core.control, [c = core_] { c->Accept(); });
  return Status::Ok();
}

uint16_t Server::port() const { return core_->port; }

void Server::Run() {
  auto loop = [core = core_] {
    for (;;) {
      try {
        core->ioc.run();
        return;
      } catch (const std::exception& e) {  // a bug in a handler; keep serving
        spdlog::error("http: io thread caught: {}", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < core_->threads; ++i) threads.emplace_back(loop);
  loop();
  for (auto& t : threads) t.join();
}

void Server::Stop() { core_->RequestStop(); }

void Server::StopOnSignals() {
  // Called before Run(), while no io thread runs: the handlers are installed right away.
  internal::Core& core = *core_;
  if (core.signals) return;
  core.signals.emplace(core.control, SIGINT, SIGTERM);
  core.signals->async_wait([c = core_](const internal::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("shutting down (signal {})", signal);
    c->RequestStop();
  });
}

}  // namespace hb::http
