#include "http/internal/connection.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <exception>
#include <string_view>
#include <utility>

#include "http/internal/response_head.h"

namespace hb::http::internal {

namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr size_t kHeaderReadChunk = 8 << 10;
constexpr size_t kBodyReadChunk = 64 << 10;
constexpr std::chrono::seconds kMaxDrain{3};  // lingering close after an error response

std::string FormatEndpoint(const asio::ip::tcp::endpoint& ep) {
  auto address = ep.address();
  std::string port = std::to_string(ep.port());
  if (address.is_v6()) return "[" + address.to_string() + "]:" + port;
  return address.to_string() + ":" + port;
}

// One per request: makes sure the request is answered exactly once. Dropping every copy of
// the Responder without calling it answers 500; a second call is ignored.
struct ResponseSlot {
  ResponseSlot(std::shared_ptr<Connection> c, uint64_t s) : conn(std::move(c)), seq(s) {}
  ~ResponseSlot() {
    if (done.load(std::memory_order_acquire)) return;
    try {
      spdlog::error("http: a handler threw or dropped its responder without answering");
      conn->Deliver(seq, RenderError(render, 500, "the request handler did not respond"));
    } catch (...) {
    }
  }
  std::shared_ptr<Connection> conn;
  uint64_t seq;
  ErrorRenderer render;
  std::atomic<bool> done{false};
};

}  // namespace

Connection::Connection(std::shared_ptr<Core> core, Socket socket)
    : core_(std::move(core)),
      strand_(socket.get_executor()),
      socket_(std::move(socket)),
      timer_(strand_) {
  error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  if (!ec) remote_ = FormatEndpoint(ep);
}

void Connection::Start() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->closed_) return;
    self->deadline_ = Clock::now() + self->core_->options.idle_timeout;
    self->ArmTimer(self->deadline_);
    self->ReadRequest();
  });
}

void Connection::ArmTimer(Clock::time_point at) {
  timer_.expires_at(at);  // cancels a pending wait, whose handler then returns
  timer_.async_wait([self = shared_from_this()](const error_code& ec) { self->OnTimer(ec); });
}

void Connection::OnTimer(const error_code& ec) {
  if (ec || closed_) return;
  Clock::time_point now = Clock::now();
  if (state_ == State::kHandling) {  // the application's time is not ours to limit
    ArmTimer(now + core_->options.idle_timeout);
  } else if (now >= deadline_) {
    Close();
  } else {
    ArmTimer(deadline_);
  }
}

void Connection::ReadRequest() {
  if (!parser_) parser_.emplace(core_->options.max_header_bytes, core_->options.max_body_bytes);
  while (buffer_.size() > 0) {
    error_code ec;
    size_t n = parser_->put(buffer_.data(), ec);
    buffer_.consume(n);
    if (ec == http::error::need_more) break;
    if (ec) return FailRequest(ec);
    if (parser_->is_done()) return HandleRequest();
    if (n == 0) break;
  }
  if (parser_->is_header_done() && parser_->expect_continue && !continue_sent_) {
    return WriteContinue();
  }
  size_t chunk = parser_->is_header_done() ? kBodyReadChunk : kHeaderReadChunk;
  socket_.async_read_some(
      buffer_.prepare(chunk),
      [self = shared_from_this()](const error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void Connection::OnRead(const error_code& ec, size_t n) {
  if (closed_) return;
  if (ec) return Close();  // EOF between requests is the normal end; mid-request, the peer left
  buffer_.commit(n);
  if (state_ == State::kDraining) {
    buffer_.consume(buffer_.size());
    return Drain();
  }
  if (parser_ && parser_->is_header_done()) {  // body progress extends the deadline
    deadline_ = Clock::now() + core_->options.idle_timeout;
  }
  ReadRequest();
}

void Connection::WriteContinue() {
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  continue_sent_ = true;
  asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      if (self->closed_) return;
                      if (ec) return self->Close();
                      self->ReadRequest();
                    });
}

void Connection::FailRequest(const error_code& ec) {
  const ServerOptions& o = core_->options;
  int status = 400;
  std::string message;
  if (ec == http::error::header_limit) {
    status = 431;
    message =
        "request header fields too large (limit " + std::to_string(o.max_header_bytes) + " bytes)";
  } else if (ec == http::error::body_limit) {
    status = 413;
    message = "request body too large (limit " + std::to_string(o.max_body_bytes) + " bytes)";
  } else {
    message = "bad request: " + ec.message();
  }
  if (o.access_log) {
    log_method_ = parser_->request.method.empty() ? "-" : parser_->request.method;
    log_target_ = parser_->request.target.empty() ? "-" : parser_->request.target;
  }
  parser_.reset();
  buffer_.consume(buffer_.size());
  linger_ = true;  // the client may still be sending what we refused to read
  keep_alive_ = false;
  version_ = 11;
  head_only_ = false;
  state_ = State::kHandling;
  started_ = Clock::now();
  uint64_t seq = ++seq_;
  Response response;
  try {
    response = RenderError(o.render_error, status, std::move(message));
  } catch (const std::exception& e) {
    spdlog::error("http: error renderer threw: {}", e.what());
    response = PlainTextError(status, "error");
  }
  OnResponse(seq, std::move(response));
}

Responder Connection::MakeResponder(uint64_t seq) {
  auto slot = std::make_shared<ResponseSlot>(shared_from_this(), seq);
  slot->render = core_->options.render_error;
  return [slot = std::move(slot)](Response response) {
    if (slot->done.exchange(true, std::memory_order_acq_rel)) {
      spdlog::error("http: a responder was called more than once; ignored");
      return;
    }
    slot->conn->Deliver(slot->seq, std::move(response));
  };
}

void Connection::HandleRequest() {
  Request request = std::move(parser_->request);
  keep_alive_ = parser_->keep_alive();
  version_ = parser_->version;
  parser_.reset();
  continue_sent_ = false;
  head_only_ = request.method == "HEAD";
  request.remote = remote_;
  state_ = State::kHandling;
  started_ = Clock::now();
  uint64_t seq = ++seq_;
  if (core_->options.access_log) {
    log_method_ = request.method;
    log_target_ = request.target;
  }
  try {
    core_->handler(std::move(request), MakeResponder(seq));
  } catch (const std::exception& e) {
    spdlog::error("http: handler threw: {}", e.what());
    if (state_ == State::kHandling && seq == seq_) {
      OnResponse(seq, RenderError(core_->options.render_error, 500, "internal server error"));
    }
  } catch (...) {
    spdlog::error("http: handler threw a non-exception");
    if (state_ == State::kHandling && seq == seq_) {
      OnResponse(seq, RenderError(core_->options.render_error, 500, "internal server error"));
    }
  }
}

void Connection::Deliver(uint64_t seq, Response response) {
  if (strand_.running_in_this_thread()) return OnResponse(seq, std::move(response));
  if (core_->dead.load(std::memory_order_acquire)) return;
  asio::post(strand_, [self = shared_from_this(), seq, response = std::move(response)]() mutable {
    self->OnResponse(seq, std::move(response));
  });
}

void Connection::OnResponse(uint64_t seq, Response response) {
  if (closed_ || state_ != State::kHandling || seq != seq_) return;
  response_ = std::move(response);
  bool close = !keep_alive_ || shutting_down_ || core_->stopping.load(std::memory_order_relaxed);
  HeadPlan plan = BuildResponseHead(response_, close, version_, head_only_, head_);
  close_after_write_ = plan.close;
  bytes_sent_ = plan.send_body ? response_.body.size() : 0;
  state_ = State::kWriting;
  deadline_ = Clock::now() + core_->options.idle_timeout;
  auto done = [self = shared_from_this()](const error_code& ec, size_t) { self->OnWritten(ec); };
  if (plan.send_body) {
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(response_.body)};
    asio::async_write(socket_, buffers, std::move(done));
  } else {
    asio::async_write(socket_, asio::buffer(head_), std::move(done));
  }
}

void Connection::OnWritten(const error_code& ec) {
  if (core_->options.access_log) LogAccess();
  response_ = Response();  // releases the body now rather than at the next response
  if (closed_) return;
  if (ec) return Close();
  if (close_after_write_) {
    if (linger_ || buffer_.size() > 0) return BeginDrain();
    error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    return Close();
  }
  state_ = State::kReading;
  deadline_ = Clock::now() + core_->options.idle_timeout;
  if (shutting_down_ && buffer_.size() == 0) return Close();
  ReadRequest();
}

// Lingering close: send FIN, then discard what the client still sends (the body of a refused
// upload, pipelined requests) until it closes, so that our response is not lost to a TCP reset.
void Connection::BeginDrain() {
  state_ = State::kDraining;
  parser_.reset();
  buffer_.consume(buffer_.size());
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  deadline_ = Clock::now() + std::min<Clock::duration>(kMaxDrain, core_->options.idle_timeout);
  ArmTimer(deadline_);
  Drain();
}

void Connection::Drain() {
  socket_.async_read_some(
      buffer_.prepare(kBodyReadChunk),
      [self = shared_from_this()](const error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void Connection::Shutdown() {
  shutting_down_ = true;
  if (closed_) return;
  bool idle =
      state_ == State::kReading && buffer_.size() == 0 && (!parser_ || !parser_->got_some());
  if (idle || state_ == State::kDraining) Close();
}

void Connection::Close() {
  if (closed_) return;
  closed_ = true;
  error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  core_->Unregister(this);
}

void Connection::LogAccess() const {
  spdlog::logger* logger = spdlog::default_logger_raw();
  if (!logger->should_log(spdlog::level::info)) return;
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
  logger->info("http {} \"{} {}\" {} {}B {:.2f}ms", remote_, log_method_, log_target_,
               response_.status, bytes_sent_, ms);
}

}  // namespace hb::http::internal
