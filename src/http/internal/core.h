// Core: the state a Server shares with its connections (io_context, acceptor, registry).
//
// Contract (internal): owned through shared_ptr by the Server and by every Connection, so the
// io_context outlives every socket, even when a Responder held by the application outlives the
// Server. Accepting, stopping and signal handling run on the `control` strand. The registry
// mutex is taken once when a connection opens and once when it closes, never per request.
// tls and cors are set by Server::Start() before the first accept and read-only afterwards.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "http/internal/cors.h"
#include "http/internal/rate_limiter.h"
#include "http/server.h"

namespace boost::asio::ssl {
class context;
}

namespace hb::http::internal {

namespace asio = boost::asio;
using Strand = asio::strand<asio::io_context::executor_type>;
using Socket = asio::basic_stream_socket<asio::ip::tcp, Strand>;
using Acceptor = asio::basic_socket_acceptor<asio::ip::tcp, Strand>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Strand>;
using SignalSet = asio::basic_signal_set<Strand>;

class ConnectionBase;

struct Core : std::enable_shared_from_this<Core> {
  Core(ServerOptions opts, Handler h);

  const ServerOptions options;
  const Handler handler;
  const unsigned threads;
  asio::io_context ioc;
  Strand control;  // acceptor, timers below, signals, stop sequence
  Acceptor acceptor;
  Timer accept_retry;
  Timer grace;
  std::optional<SignalSet> signals;
  asio::executor_work_guard<asio::io_context::executor_type> work;  // Run() blocks until Stop
  std::atomic<bool> stopping{false};                                // Stop() was called
  std::atomic<bool> dead{false};  // the Server is gone: late responses are dropped
  uint16_t port = 0;
  std::shared_ptr<asio::ssl::context> tls;  // null: plain HTTP
  std::unique_ptr<CorsPolicy> cors;         // null: no CORS headers
  std::unique_ptr<RateLimiter> limiter;     // null: no rate limit

  void Accept();       // on control
  void RequestStop();  // any thread
  void Register(const std::shared_ptr<ConnectionBase>& c);
  void Unregister(ConnectionBase* c);  // from Connection::Close, on the connection's strand
  size_t OpenCount();                  // connections registered now
  std::vector<std::shared_ptr<ConnectionBase>> Snapshot();

 private:
  void BeginStop();   // on control
  void FinishStop();  // on control

  std::mutex mu_;
  std::unordered_map<ConnectionBase*, std::weak_ptr<ConnectionBase>> connections_;  // mu_
  bool stop_begun_ = false;                                                         // mu_
};

}  // namespace hb::http::internal
