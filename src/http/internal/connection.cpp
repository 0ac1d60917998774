#include "http/internal/connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <deque>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_cat.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <exception>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "http/internal/request_parser.h"
#include "http/internal/response_head.h"
#include "http/internal/tls_context.h"

namespace hb::http::internal {

namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

using PlainStream = Socket;
using TlsStream = boost::beast::ssl_stream<Socket>;

Socket& Tcp(PlainStream& s) { return s; }
Socket& Tcp(TlsStream& s) { return s.next_layer(); }

constexpr size_t kHeaderReadChunk = 8 << 10;
constexpr size_t kBodyReadChunk = 64 << 10;
constexpr std::chrono::seconds kMaxDrain{3};  // lingering close after an error response

std::string FormatEndpoint(const asio::ip::tcp::endpoint& ep) {
  auto address = ep.address();
  std::string port = std::to_string(ep.port());
  if (address.is_v6()) return "[" + address.to_string() + "]:" + port;
  return address.to_string() + ":" + port;
}

bool IsLoopback(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).is_loopback();
  return a.is_loopback();
}

template <class Stream>
class Connection;

// One per request: makes sure the request is answered exactly once. Dropping every copy of
// the Responder without calling it answers 500; a second call is ignored.
template <class Stream>
struct ResponseSlot {
  ResponseSlot(std::shared_ptr<Connection<Stream>> c, uint64_t s) : conn(std::move(c)), seq(s) {}
  ~ResponseSlot() {
    if (done.load(std::memory_order_acquire)) return;
    try {
      spdlog::error("http: a handler threw or dropped its responder without answering");
      conn->Deliver(seq, RenderError(render, 500, "the request handler did not respond"));
    } catch (...) {
    }
  }
  std::shared_ptr<Connection<Stream>> conn;
  uint64_t seq;
  ErrorRenderer render;
  std::atomic<bool> done{false};
};

template <class Stream>
class Connection final : public ConnectionBase,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  Connection(std::shared_ptr<Core> core, Socket socket, bool over_limit);

  void Start() override;
  void Shutdown() override;
  void Close() override;
  void Deliver(uint64_t seq, Response response);  // any thread

 private:
  using Clock = std::chrono::steady_clock;
  enum class State { kReading, kHandling, kWriting, kDraining, kStreaming };

  std::shared_ptr<Connection> Self() { return this->shared_from_this(); }
  void ArmTimer(Clock::time_point at);
  void OnTimer(const error_code& ec);
  void ReadRequest();
  void OnRead(const error_code& ec, size_t n);
  void WriteContinue();
  void OnParseError(const error_code& ec);
  void FailRequest(int status, std::string message);
  Response ErrorResponse(int status, std::string message);
  void HandleRequest();
  bool RefuseOrAnswerEarly(const Request& request, uint64_t seq);
  Responder MakeResponder(uint64_t seq);
  void OnResponse(uint64_t seq, Response response);
  void OnWritten(const error_code& ec);
  void WriteSourcePiece();  // the next piece of response_.body_source
  void BeginDrain();
  void Drain();
  void LogAccess() const;
  // Streamed responses (Response::on_stream).
  class Sink;
  void StartStream();
  void WatchStreamPeer();
  void EnqueueStream(std::string bytes, bool last);
  void WriteStream();

  const std::shared_ptr<Core> core_;
  Stream stream_;
  Timer timer_;
  std::string remote_;
  AddressKey rate_key_;
  bool rate_limited_ = false;  // this client's requests take tokens from the limiter
  const bool over_limit_;
  bool early_checks_ = false;  // over_limit_, rate_limited_ or CORS: RefuseOrAnswerEarly
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::string head_;
  std::string extra_head_;        // HSTS and CORS lines of the current response
  std::string_view cors_origin_;  // the current request's allowed Origin, or empty
  Response response_;
  State state_ = State::kReading;
  uint64_t seq_ = 0;
  Clock::time_point deadline_;
  Clock::time_point started_;
  int version_ = 11;
  bool keep_alive_ = true;
  bool head_only_ = false;
  bool continue_sent_ = false;
  bool close_after_write_ = false;
  bool linger_ = false;           // drain input before closing (after an error response)
  bool request_started_ = false;  // the header deadline runs (bytes of a request came)
  bool read_pending_ = false;
  bool shutting_down_ = false;
  bool closed_ = false;
  size_t bytes_sent_ = 0;
  uint64_t source_left_ = 0;  // bytes of response_.body_source not yet written
  std::string piece_;         // the piece of it being written
  std::string log_method_, log_target_;
  std::shared_ptr<Sink> sink_;             // the open stream's sink
  std::deque<std::string> stream_queue_;  // bytes waiting to be written
  bool stream_writing_ = false;
  bool stream_ending_ = false;  // Close() was called: close once the queue is written
};

template <class Stream>
class Connection<Stream>::Sink final : public StreamSink {
 public:
  explicit Sink(std::weak_ptr<Connection> conn) : conn_(std::move(conn)) {}
  bool Send(std::string bytes) override { return Push(std::move(bytes), false); }
  void Close() override { Push({}, true); }
  bool IsClosed() const override { return closed_.load(std::memory_order_acquire); }
  void MarkClosed() { closed_.store(true, std::memory_order_release); }

 private:
  bool Push(std::string bytes, bool last) {
    if (IsClosed()) return false;
    auto conn = conn_.lock();
    if (!conn || conn->core_->dead.load(std::memory_order_acquire)) return false;
    if (last) MarkClosed();
    asio::post(conn->strand_, [conn, bytes = std::move(bytes), last]() mutable {
      conn->EnqueueStream(std::move(bytes), last);
    });
    return true;
  }
  std::weak_ptr<Connection> conn_;
  std::atomic<bool> closed_{false};
};

template <class Stream>
Stream MakeStream(Socket socket, Core& core) {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    return Stream(std::move(socket), *core.tls);
  } else {
    return socket;
  }
}

template <class Stream>
Connection<Stream>::Connection(std::shared_ptr<Core> core, Socket socket, bool over_limit)
    : ConnectionBase(socket.get_executor()),
      core_(std::move(core)),
      stream_(MakeStream<Stream>(std::move(socket), *core_)),
      timer_(strand_),
      over_limit_(over_limit) {
  early_checks_ = over_limit_;
  error_code ec;
  auto ep = Tcp(stream_).remote_endpoint(ec);
  if (ec) return;
  remote_ = FormatEndpoint(ep);
  if (core_->limiter && (core_->options.rate_limit_loopback || !IsLoopback(ep.address()))) {
    rate_limited_ = true;
    rate_key_ = KeyOf(ep.address());
  }
  early_checks_ = over_limit_ || rate_limited_ || core_->cors;
}

template <class Stream>
void Connection<Stream>::Start() {
  asio::post(strand_, [self = Self()] {
    if (self->closed_) return;
    // A new connection gets header_timeout for its TLS handshake and its first request header.
    const ServerOptions& o = self->core_->options;
    self->deadline_ = Clock::now() + std::min(o.idle_timeout, o.header_timeout);
    self->request_started_ = true;
    self->ArmTimer(self->deadline_);
    if constexpr (kTls) {
      self->stream_.async_handshake(
          boost::asio::ssl::stream_base::server, [self](const error_code& ec) {
            if (self->closed_) return;
            if (ec) {
              spdlog::debug("http: TLS handshake with {} failed: {}", self->remote_, ec.message());
              return self->Close();
            }
            self->ReadRequest();
          });
    } else {
      self->ReadRequest();
    }
  });
}

template <class Stream>
void Connection<Stream>::ArmTimer(Clock::time_point at) {
  timer_.expires_at(at);  // cancels a pending wait, whose handler then returns
  timer_.async_wait([self = Self()](const error_code& ec) { self->OnTimer(ec); });
}

template <class Stream>
void Connection<Stream>::OnTimer(const error_code& ec) {
  if (ec || closed_) return;
  Clock::time_point now = Clock::now();
  if (state_ == State::kHandling || state_ == State::kStreaming) {
    // The application's time is not ours to limit, nor is an open stream's idle time.
    ArmTimer(now + core_->options.idle_timeout);
  } else if (now < deadline_) {
    ArmTimer(deadline_);
  } else if (state_ == State::kReading && (!parser_ || !parser_->is_header_done()) &&
             (buffer_.size() > 0 || (parser_ && parser_->got_some()))) {
    // Part of a header came, not all of it in time: a slow client.
    FailRequest(408, "request header not complete within " +
                         std::to_string(core_->options.header_timeout.count()) + " s");
  } else {
    Close();
  }
}

template <class Stream>
void Connection<Stream>::ReadRequest() {
  const ServerOptions& o = core_->options;
  if (!parser_) parser_.emplace(o.max_header_bytes, o.max_body_bytes);
  while (buffer_.size() > 0) {
    error_code ec;
    size_t n = parser_->put(buffer_.data(), ec);
    buffer_.consume(n);
    if (ec == http::error::need_more) break;
    if (ec) return OnParseError(ec);
    if (parser_->is_done()) return HandleRequest();
    if (n == 0) break;
  }
  if (parser_->is_header_done() && parser_->expect_continue && !continue_sent_) {
    return WriteContinue();
  }
  size_t chunk = parser_->is_header_done() ? kBodyReadChunk : kHeaderReadChunk;
  read_pending_ = true;
  stream_.async_read_some(buffer_.prepare(chunk),
                          [self = Self()](const error_code& ec, size_t n) { self->OnRead(ec, n); });
}

template <class Stream>
void Connection<Stream>::OnRead(const error_code& ec, size_t n) {
  read_pending_ = false;
  if (closed_) return;
  if (ec) return Close();  // EOF between requests is the normal end; mid-request, the peer left
  buffer_.commit(n);
  if (state_ == State::kDraining) {
    buffer_.consume(buffer_.size());
    return Drain();
  }
  if (state_ == State::kStreaming) {  // nothing is expected from the client; keep watching
    buffer_.consume(buffer_.size());
    return WatchStreamPeer();
  }
  if (state_ != State::kReading) {  // a 408 is on its way; the connection closes after it
    buffer_.consume(buffer_.size());
    return;
  }
  if (parser_ && parser_->is_header_done()) {  // body progress extends the deadline
    deadline_ = Clock::now() + core_->options.idle_timeout;
  } else if (!request_started_) {  // the first bytes of a request: its header deadline starts
    request_started_ = true;
    deadline_ = Clock::now() + core_->options.header_timeout;
  }
  ReadRequest();
}

template <class Stream>
void Connection<Stream>::WriteContinue() {
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  continue_sent_ = true;
  asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                    [self = Self()](const error_code& ec, size_t) {
                      if (self->closed_) return;
                      if (ec) return self->Close();
                      self->ReadRequest();
                    });
}

template <class Stream>
void Connection<Stream>::OnParseError(const error_code& ec) {
  const ServerOptions& o = core_->options;
  if (ec == http::error::header_limit) {
    return FailRequest(431, "request header fields too large (limit " +
                                std::to_string(o.max_header_bytes) + " bytes)");
  }
  if (ec == http::error::body_limit) {
    return FailRequest(
        413, "request body too large (limit " + std::to_string(o.max_body_bytes) + " bytes)");
  }
  FailRequest(400, "bad request: " + ec.message());
}

template <class Stream>
Response Connection<Stream>::ErrorResponse(int status, std::string message) {
  try {
    return RenderError(core_->options.render_error, status, std::move(message));
  } catch (const std::exception& e) {
    spdlog::error("http: error renderer threw: {}", e.what());
    return PlainTextError(status, "error");
  }
}

// Answers a request that could not be read whole (bad syntax, limits, too slow), then closes.
template <class Stream>
void Connection<Stream>::FailRequest(int status, std::string message) {
  if (core_->options.access_log) {
    log_method_ = parser_ && !parser_->request.method.empty() ? parser_->request.method : "-";
    log_target_ = parser_ && !parser_->request.target.empty() ? parser_->request.target : "-";
  }
  parser_.reset();
  buffer_.consume(buffer_.size());
  linger_ = true;  // the client may still be sending what we refused to read
  keep_alive_ = false;
  version_ = 11;
  head_only_ = false;
  cors_origin_ = {};
  state_ = State::kHandling;
  started_ = Clock::now();
  uint64_t seq = ++seq_;
  OnResponse(seq, ErrorResponse(status, std::move(message)));
}

template <class Stream>
Responder Connection<Stream>::MakeResponder(uint64_t seq) {
  auto slot = std::make_shared<ResponseSlot<Stream>>(Self(), seq);
  slot->render = core_->options.render_error;
  return [slot = std::move(slot)](Response response) {
    if (slot->done.exchange(true, std::memory_order_acq_rel)) {
      spdlog::error("http: a responder was called more than once; ignored");
      return;
    }
    slot->conn->Deliver(slot->seq, std::move(response));
  };
}

template <class Stream>
void Connection<Stream>::HandleRequest() {
  Request request = std::move(parser_->request);
  keep_alive_ = parser_->keep_alive();
  version_ = parser_->version;
  parser_.reset();
  continue_sent_ = false;
  request_started_ = false;
  head_only_ = request.method == "HEAD";
  request.remote = remote_;
  state_ = State::kHandling;
  started_ = Clock::now();
  uint64_t seq = ++seq_;
  if (core_->options.access_log) {
    log_method_ = request.method;
    log_target_ = request.target;
  }
  if (early_checks_ && RefuseOrAnswerEarly(request, seq)) return;
  try {
    core_->handler(std::move(request), MakeResponder(seq));
  } catch (const std::exception& e) {
    spdlog::error("http: handler threw: {}", e.what());
    if (state_ == State::kHandling && seq == seq_) {
      OnResponse(seq, ErrorResponse(500, "internal server error"));
    }
  } catch (...) {
    spdlog::error("http: handler threw a non-exception");
    if (state_ == State::kHandling && seq == seq_) {
      OnResponse(seq, ErrorResponse(500, "internal server error"));
    }
  }
}

// The server's own answers before the handler: CORS origin, connection limit (503), rate limit
// (429), CORS preflight (204). True when the request has been answered.
template <class Stream>
bool Connection<Stream>::RefuseOrAnswerEarly(const Request& request, uint64_t seq) {
  const Core& core = *core_;
  cors_origin_ = core.cors ? core.cors->Match(request.HeaderValue("Origin")) : std::string_view();
  if (over_limit_) [[unlikely]] {
    keep_alive_ = false;
    Response r =
        ErrorResponse(503, "too many open connections (limit " +
                               std::to_string(core.options.max_connections) + "); try again later");
    r.headers.push_back({"Retry-After", "1"});
    OnResponse(seq, std::move(r));
    return true;
  }
  if (rate_limited_) {
    if (int wait = core.limiter->Acquire(rate_key_, started_); wait > 0) {
      Response r = ErrorResponse(
          429, fmt::format("too many requests from this address (limit {:g} per second, burst "
                           "{:g}); retry after {} s",
                           core.limiter->per_second(), core.limiter->burst(), wait));
      r.headers.push_back({"Retry-After", std::to_string(wait)});
      OnResponse(seq, std::move(r));
      return true;
    }
  }
  if (!cors_origin_.empty() && CorsPolicy::IsPreflight(request)) {
    OnResponse(seq, core.cors->Preflight());
    return true;
  }
  return false;
}

template <class Stream>
void Connection<Stream>::Deliver(uint64_t seq, Response response) {
  if (strand_.running_in_this_thread()) return OnResponse(seq, std::move(response));
  if (core_->dead.load(std::memory_order_acquire)) return;
  asio::post(strand_, [self = Self(), seq, response = std::move(response)]() mutable {
    self->OnResponse(seq, std::move(response));
  });
}

template <class Stream>
void Connection<Stream>::OnResponse(uint64_t seq, Response response) {
  if (closed_ || state_ != State::kHandling || seq != seq_) return;
  response_ = std::move(response);
  bool close = !keep_alive_ || shutting_down_ || core_->stopping.load(std::memory_order_relaxed);
  std::string_view extra;
  if constexpr (kTls) extra = kHstsHeader;
  if (!cors_origin_.empty()) {
    extra_head_.assign(extra);
    core_->cors->AppendHeaders(cors_origin_, extra_head_);
    extra = extra_head_;
  }
  HeadPlan plan = BuildResponseHead(response_, close, version_, head_only_, extra, head_);
  close_after_write_ = plan.close;
  bytes_sent_ = plan.send_body ? response_.body.size() : 0;
  state_ = State::kWriting;
  deadline_ = Clock::now() + core_->options.idle_timeout;
  if (response_.on_stream && !head_only_) {
    stream_queue_.push_back(std::move(head_));
    if (!response_.body.empty()) stream_queue_.push_back(std::move(response_.body));
    head_.clear();
    return StartStream();
  }
  if (plan.send_body && response_.body_source) {
    // Piece by piece after the head (BodySource): one piece in memory at a time.
    bytes_sent_ = 0;
    source_left_ = response_.body_source->Size();
    asio::async_write(stream_, asio::buffer(head_),
                      [self = Self()](const error_code& ec, size_t) {
                        if (ec) return self->OnWritten(ec);
                        self->WriteSourcePiece();
                      });
    return;
  }
  auto done = [self = Self()](const error_code& ec, size_t) { self->OnWritten(ec); };
  if (!plan.send_body) {
    asio::async_write(stream_, asio::buffer(head_), std::move(done));
  } else if constexpr (kTls) {
    // Not std::array here: with Beast 1.74's ssl_stream, asio::async_write of a two-element
    // std::array stops after the head when head + body exceed 16 KiB (flat_stream's limit).
    asio::async_write(stream_,
                      boost::beast::buffers_cat(asio::buffer(head_), asio::buffer(response_.body)),
                      std::move(done));
  } else {
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(response_.body)};
    asio::async_write(stream_, buffers, std::move(done));
  }
}

template <class Stream>
void Connection<Stream>::WriteSourcePiece() {
  if (closed_) {  // timed out, or the server stopped, mid-body: still its one log line
    if (core_->options.access_log) LogAccess();
    return;
  }
  if (source_left_ == 0) return OnWritten(error_code());
  if (!response_.body_source->Next(piece_) || piece_.empty()) {
    spdlog::warn("http: {} \"{} {}\": the body could not be read after {} of {} bytes; closing",
                 remote_, log_method_, log_target_, bytes_sent_,
                 bytes_sent_ + source_left_);
    if (core_->options.access_log) LogAccess();
    return Close();  // the client sees fewer bytes than Content-Length announced
  }
  if (piece_.size() > source_left_) piece_.resize(static_cast<size_t>(source_left_));
  deadline_ = Clock::now() + core_->options.idle_timeout;  // per piece: a slow reader is fine
  asio::async_write(stream_, asio::buffer(piece_),
                    [self = Self()](const error_code& ec, size_t n) {
                      self->bytes_sent_ += n;
                      self->source_left_ -= n;
                      if (ec && !self->closed_) return self->OnWritten(ec);
                      self->WriteSourcePiece();  // closed meanwhile: logs and stops
                    });
}

template <class Stream>
void Connection<Stream>::OnWritten(const error_code& ec) {
  if (core_->options.access_log) LogAccess();
  response_ = Response();  // releases the body now rather than at the next response
  if (piece_.capacity() > 0) std::string().swap(piece_);
  if (closed_) return;
  if (ec) return Close();
  if (close_after_write_) {
    if (linger_ || buffer_.size() > 0) return BeginDrain();
    error_code ignored;
    Tcp(stream_).shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    return Close();
  }
  state_ = State::kReading;
  if (buffer_.size() > 0) {  // a pipelined request is already here: its header deadline runs
    request_started_ = true;
    deadline_ = Clock::now() + core_->options.header_timeout;
  } else {
    deadline_ = Clock::now() + core_->options.idle_timeout;
  }
  if (shutting_down_ && buffer_.size() == 0) return Close();
  ReadRequest();
}

// Lingering close: send FIN, then discard what the client still sends (the body of a refused
// upload, pipelined requests) until it closes, so that our response is not lost to a TCP reset.
template <class Stream>
void Connection<Stream>::BeginDrain() {
  state_ = State::kDraining;
  parser_.reset();
  buffer_.consume(buffer_.size());
  error_code ignored;
  Tcp(stream_).shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  deadline_ = Clock::now() + std::min<Clock::duration>(kMaxDrain, core_->options.idle_timeout);
  ArmTimer(deadline_);
  Drain();
}

template <class Stream>
void Connection<Stream>::Drain() {
  if (read_pending_) return;  // its completion comes back here
  read_pending_ = true;
  stream_.async_read_some(buffer_.prepare(kBodyReadChunk),
                          [self = Self()](const error_code& ec, size_t n) { self->OnRead(ec, n); });
}

template <class Stream>
void Connection<Stream>::Shutdown() {
  shutting_down_ = true;
  if (closed_) return;
  bool idle =
      state_ == State::kReading && buffer_.size() == 0 && (!parser_ || !parser_->got_some());
  if (idle || state_ == State::kDraining || state_ == State::kStreaming) Close();
}

template <class Stream>
void Connection<Stream>::Close() {
  if (closed_) return;
  closed_ = true;
  if (sink_) sink_->MarkClosed();
  error_code ignored;
  Tcp(stream_).close(ignored);
  timer_.cancel();
  core_->Unregister(this);
}

// The head (and any body) are queued; the stream stays open until the application closes it,
// the client goes away, a write fails or the server stops.
template <class Stream>
void Connection<Stream>::StartStream() {
  state_ = State::kStreaming;
  if (core_->options.access_log) LogAccess();  // logged when it opens: streams are long
  sink_ = std::make_shared<Sink>(this->weak_from_this());
  auto on_stream = std::move(response_.on_stream);
  response_ = Response();
  WriteStream();
  WatchStreamPeer();
  try {
    on_stream(sink_);
  } catch (const std::exception& e) {
    spdlog::error("http: stream handler threw: {}", e.what());
    Close();
  }
}

// A read that completes only when the client closes (or sends something, which is dropped).
template <class Stream>
void Connection<Stream>::WatchStreamPeer() {
  if (read_pending_ || closed_) return;
  read_pending_ = true;
  stream_.async_read_some(buffer_.prepare(kHeaderReadChunk),
                          [self = Self()](const error_code& ec, size_t n) { self->OnRead(ec, n); });
}

template <class Stream>
void Connection<Stream>::EnqueueStream(std::string bytes, bool last) {
  if (closed_ || state_ != State::kStreaming) return;
  if (!bytes.empty()) stream_queue_.push_back(std::move(bytes));
  if (last) stream_ending_ = true;
  WriteStream();
}

template <class Stream>
void Connection<Stream>::WriteStream() {
  if (stream_writing_ || closed_) return;
  if (stream_queue_.empty()) {
    if (stream_ending_) {
      error_code ignored;
      Tcp(stream_).shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
      Close();
    }
    return;
  }
  stream_writing_ = true;
  asio::async_write(stream_, asio::buffer(stream_queue_.front()),
                    [self = Self()](const error_code& ec, size_t n) {
                      self->stream_writing_ = false;
                      if (self->closed_) return;
                      if (ec) return self->Close();
                      self->bytes_sent_ += n;
                      self->stream_queue_.pop_front();
                      self->WriteStream();
                    });
}

template <class Stream>
void Connection<Stream>::LogAccess() const {
  spdlog::logger* logger = spdlog::default_logger_raw();
  if (!logger->should_log(spdlog::level::info)) return;
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
  logger->info("http {} \"{} {}\" {} {}B {:.2f}ms", remote_, log_method_, log_target_,
               response_.status, bytes_sent_, ms);
}

}  // namespace

std::shared_ptr<ConnectionBase> MakeConnection(std::shared_ptr<Core> core, Socket socket,
                                               bool over_limit) {
  if (core->tls) {
    return std::make_shared<Connection<TlsStream>>(std::move(core), std::move(socket), over_limit);
  }
  return std::make_shared<Connection<PlainStream>>(std::move(core), std::move(socket), over_limit);
}

}  // namespace hb::http::internal
