#include "lis/mllp_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "lis/ack.h"
#include "lis/encoder.h"
#include "lis/mllp.h"

namespace hb::lis {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace internal {

class MllpConnection;

struct MllpCore : std::enable_shared_from_this<MllpCore> {
  MllpCore(MllpServerOptions o, MllpHandler h)
      : options(std::move(o)),
        handler(std::move(h)),
        acceptor(asio::make_strand(ioc)),
        work(ioc.get_executor()) {}

  const MllpServerOptions options;
  const MllpHandler handler;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> connections{0}, messages{0}, acks{0}, refused{0}, junk{0}, truncated{0};

  std::mutex mu;
  std::condition_variable all_closed;
  std::unordered_map<uint64_t, std::weak_ptr<MllpConnection>> open;  // mu

  void Accept();
  void Unregister(uint64_t id) {
    std::lock_guard lock(mu);
    open.erase(id);
    if (open.empty()) all_closed.notify_all();
  }
};

// Printable start of some bytes, for a log line about input nobody will see otherwise.
std::string Preview(std::string_view bytes) {
  std::string out;
  for (char c : bytes.substr(0, 60)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '.' : c);
  }
  return out;
}

class MllpConnection : public std::enable_shared_from_this<MllpConnection> {
 public:
  MllpConnection(std::shared_ptr<MllpCore> core, tcp::socket socket, uint64_t id)
      : core_(std::move(core)),
        socket_(std::move(socket)),
        idle_(socket_.get_executor()),
        decoder_({.max_frame_bytes = core_->options.max_frame_bytes}) {
    peer_.connection = id;
    error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    peer_.address = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  asio::any_io_executor executor() { return socket_.get_executor(); }

  void Start() {
    last_activity_ = std::chrono::steady_clock::now();
    ArmIdle(core_->options.idle_timeout);
    Read();
  }

  // Server stop: read no more, answer what is owed, then close.
  void Shutdown() {
    stopping_ = true;
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_receive, ignored);
    if (pending_.empty() && !writing_) Close();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    idle_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    core_->Unregister(peer_.connection);
  }

 private:
  void Read() {
    if (reading_ || eof_ || stopping_ || closed_) return;
    if (pending_.size() >= core_->options.max_in_flight) return;  // resumed by Flush
    reading_ = true;
    socket_.async_read_some(asio::buffer(buf_),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->reading_ = false;
                              self->last_activity_ = std::chrono::steady_clock::now();
                              if (ec) {
                                self->eof_ = true;
                                self->decoder_.Finish();
                                self->Drain();
                                if (self->pending_.empty() && !self->writing_) self->Close();
                                return;
                              }
                              self->decoder_.Feed(std::string_view(self->buf_.data(), n));
                              self->Drain();
                              self->Read();
                            });
  }

  void Drain() {
    MllpEvent ev;
    while (decoder_.Next(&ev)) {
      switch (ev.kind) {
        case MllpEvent::Kind::kMessage: {
          uint64_t seq = next_seq_++;
          pending_.push_back({seq, false, {}});
          core_->messages.fetch_add(1, std::memory_order_relaxed);
          auto self = shared_from_this();
          core_->handler(std::move(ev.payload), peer_, [self, seq](std::string ack) {
            asio::post(self->executor(),
                       [self, seq, ack = std::move(ack)]() mutable { self->Deliver(seq, ack); });
          });
          break;
        }
        case MllpEvent::Kind::kOversize: {
          core_->refused.fetch_add(1, std::memory_order_relaxed);
          spdlog::warn("mllp: #{} {}: {}; answered AR", peer_.connection, peer_.address,
                       ev.ToStatus().message());
          uint64_t seq = next_seq_++;
          pending_.push_back({seq, false, {}});
          Deliver(seq, OversizeAck(ev));
          break;
        }
        case MllpEvent::Kind::kJunk:
          core_->junk.fetch_add(1, std::memory_order_relaxed);
          spdlog::warn("mllp: #{} {}: {} (starting '{}'); not HL7 over MLLP?", peer_.connection,
                       peer_.address, ev.ToStatus().message(), Preview(ev.payload));
          break;
        case MllpEvent::Kind::kTruncated:
          core_->truncated.fetch_add(1, std::memory_order_relaxed);
          spdlog::warn("mllp: #{} {}: {} (starting '{}'); the sender gave it up, not stored",
                       peer_.connection, peer_.address, ev.ToStatus().message(),
                       Preview(ev.payload));
          break;
      }
    }
  }

  std::string OversizeAck(const MllpEvent& ev) {
    ParseError error;
    error.reason = ev.ToStatus().message();
    Message ack = BuildRejectAck({}, error);
    (void)ack.Set("ERR-3.1", "207");
    (void)ack.Set("ERR-3.2", Hl7ErrorText(Hl7Error::kInternal));
    return Encode(ack);
  }

  void Deliver(uint64_t seq, const std::string& ack) {
    if (closed_ || pending_.empty() || seq < pending_.front().seq) return;
    Slot& slot = pending_[seq - pending_.front().seq];
    slot.ready = true;
    slot.frame = MllpFrame(ack);
    Flush();
  }

  // Writes the ACKs that are ready, in message order, in one write.
  void Flush() {
    if (writing_ || closed_) return;
    out_.clear();
    size_t count = 0;
    while (!pending_.empty() && pending_.front().ready) {
      out_ += pending_.front().frame;
      pending_.pop_front();
      ++count;
    }
    if (count == 0) {
      if ((eof_ || stopping_) && pending_.empty()) Close();
      return;
    }
    writing_ = true;
    last_activity_ = std::chrono::steady_clock::now();  // the wait for the peer starts now
    asio::async_write(
        socket_, asio::buffer(out_), [self = shared_from_this(), count](error_code ec, size_t) {
          self->writing_ = false;
          self->last_activity_ = std::chrono::steady_clock::now();
          if (ec) {
            spdlog::warn("mllp: #{} {}: writing {} ACK(s) failed: {}", self->peer_.connection,
                         self->peer_.address, count, ec.message());
            return self->Close();
          }
          self->core_->acks.fetch_add(count, std::memory_order_relaxed);
          self->Flush();
          self->Read();
        });
  }

  // Checks for idleness every so often rather than re-arming a timer per read.
  void ArmIdle(std::chrono::steady_clock::duration after) {
    idle_.expires_after(after);
    idle_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->closed_) return;
      auto timeout = self->core_->options.idle_timeout;
      auto quiet = std::chrono::steady_clock::now() - self->last_activity_;
      if (quiet >= timeout && self->writing_) {
        // An ACK has been waiting to go out for the whole timeout: the peer reads nothing.
        spdlog::warn("mllp: #{} {}: the peer has not read its ACKs for {}s, closing",
                     self->peer_.connection, self->peer_.address, timeout.count());
        return self->Close();
      }
      if (quiet < timeout || !self->pending_.empty()) {  // reading, or the store still works
        return self->ArmIdle(quiet < timeout ? timeout - quiet : timeout);
      }
      spdlog::info("mllp: #{} {}: idle for {}s, closing", self->peer_.connection,
                   self->peer_.address, timeout.count());
      self->decoder_.Finish();
      self->Drain();
      self->Close();
    });
  }

  struct Slot {
    uint64_t seq = 0;
    bool ready = false;
    std::string frame;
  };

  std::shared_ptr<MllpCore> core_;
  tcp::socket socket_;
  asio::steady_timer idle_;
  MllpDecoder decoder_;
  MllpPeer peer_;
  std::array<char, 64 * 1024> buf_;
  std::deque<Slot> pending_;
  uint64_t next_seq_ = 0;
  std::string out_;
  std::chrono::steady_clock::time_point last_activity_;
  bool reading_ = false, writing_ = false, eof_ = false, stopping_ = false, closed_ = false;
};

void MllpCore::Accept() {
  acceptor.async_accept(
      asio::make_strand(ioc), [self = shared_from_this()](error_code ec, tcp::socket socket) {
        if (!self->acceptor.is_open() || self->stopping) return;
        if (ec) {
          spdlog::warn("mllp: accept failed: {}", ec.message());
          return self->Accept();
        }
        uint64_t id = self->connections.fetch_add(1) + 1;
        error_code ignored;
        size_t open_now;
        {
          std::lock_guard lock(self->mu);
          open_now = self->open.size();
        }
        if (open_now >= self->options.max_connections) {
          self->refused.fetch_add(1, std::memory_order_relaxed);
          spdlog::warn("mllp: #{} refused: {} connections are open (the limit)", id, open_now);
          socket.close(ignored);
          return self->Accept();
        }
        socket.set_option(tcp::no_delay(true), ignored);
        auto c = std::make_shared<MllpConnection>(self, std::move(socket), id);
        {
          std::lock_guard lock(self->mu);
          self->open.emplace(id, c);
        }
        asio::post(c->executor(), [c] { c->Start(); });
        self->Accept();
      });
}

}  // namespace internal

MllpServer::MllpServer(MllpServerOptions options, MllpHandler handler)
    : core_(std::make_shared<internal::MllpCore>(std::move(options), std::move(handler))) {}

MllpServer::~MllpServer() { Stop(); }

Status MllpServer::Start() {
  internal::MllpCore& c = *core_;
  const std::string where = c.options.host + ":" + std::to_string(c.options.port);
  error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(c.options.host, ec);
  if (!ec) {
    endpoint = {address, c.options.port};
  } else {
    tcp::resolver resolver(c.ioc);
    auto results = resolver.resolve(c.options.host, std::to_string(c.options.port), ec);
    if (ec || results.empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    "cannot listen on " + where + ": cannot resolve host '" + c.options.host + "'");
    }
    endpoint = results.begin()->endpoint();
  }
  c.acceptor.open(endpoint.protocol(), ec);
  if (!ec) c.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) c.acceptor.bind(endpoint, ec);
  if (!ec) c.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::string reason = ec.message();
    if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
    error_code ignored;
    c.acceptor.close(ignored);
    return Status(ErrorCode::kUnavailable, "cannot listen on " + where + ": " + reason);
  }
  asio::post(c.acceptor.get_executor(), [core = core_] { core->Accept(); });
  for (unsigned i = 0; i < std::max(1u, c.options.threads); ++i) {
    c.threads.emplace_back([core = core_] { core->ioc.run(); });
  }
  return Status::Ok();
}

uint16_t MllpServer::port() const {
  error_code ec;
  auto ep = core_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void MllpServer::Stop() {
  internal::MllpCore& c = *core_;
  if (c.stopping.exchange(true) || c.threads.empty()) return;
  asio::post(c.acceptor.get_executor(), [core = core_] {
    error_code ignored;
    core->acceptor.close(ignored);
  });
  std::vector<std::shared_ptr<internal::MllpConnection>> open;
  {
    std::lock_guard lock(c.mu);
    for (auto& [id, weak] : c.open) {
      if (auto conn = weak.lock()) open.push_back(std::move(conn));
    }
  }
  for (auto& conn : open) asio::post(conn->executor(), [conn] { conn->Shutdown(); });
  open.clear();
  {
    std::unique_lock lock(c.mu);
    if (!c.all_closed.wait_for(lock, c.options.shutdown_grace, [&] { return c.open.empty(); })) {
      spdlog::warn("mllp: {} connection(s) still owed ACKs after {}s; closing them", c.open.size(),
                   c.options.shutdown_grace.count());
    }
  }
  c.work.reset();
  c.ioc.stop();
  for (std::thread& t : c.threads) t.join();
  c.threads.clear();
  // No thread runs now: close what is left and let the cancelled handlers run, so that they
  // release the connections they hold.
  {
    std::lock_guard lock(c.mu);
    for (auto& [id, weak] : c.open) {
      if (auto conn = weak.lock()) open.push_back(std::move(conn));
    }
  }
  for (auto& conn : open) conn->Close();
  open.clear();
  c.ioc.restart();
  c.ioc.poll();
}

MllpStats MllpServer::Stats() const {
  const internal::MllpCore& c = *core_;
  return {c.connections.load(), c.messages.load(), c.acks.load(),
          c.refused.load(),     c.junk.load(),     c.truncated.load()};
}

}  // namespace hb::lis
