// Core: the state a Server shares with its connections (io_context, acceptor, registry).
//
// Contract (internal): owned through shared_ptr by the Server and by every Connection, so the
// io_context outlives every socket, even when a Responder held by the application outlives the
// Server. Accepting, stopping and signal handling run on the `control` strand. The registry
// mutex is taken once when a connection opens and once when it closes, never per request.
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

#include "http/server.h"

namespace hb::http::internal {

namespace asio = boost::asio;
using Strand = asio::strand<asio::io_context::executor_type>;
using Socket = asio::basic_stream_socket<asio::ip::tcp, Strand>;
using Acceptor = asio::basic_socket_acceptor<asio::ip::tcp, Strand>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Strand>;
using SignalSet = asio::basic_signal_set<Strand>;

class Connection;

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

  void Accept();       // on control
  void RequestStop();  // any thread
  void Register(const std::shared_ptr<Connection>& c);
  void Unregister(Connection* c);  // from Connection::Close, on the connection's strand
  std::vector<std::shared_ptr<Connection>> Snapshot();

 private:
  void BeginStop();   // on control
  void FinishStop();  // on control

  std::mutex mu_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;  // guarded by mu_
  bool stop_begun_ = false;                                                 // guarded by mu_
};

}  // namespace hb::http::internal
