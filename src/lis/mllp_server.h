// MllpServer: an HL7 v2 MLLP listener on Boost.Asio (healthbook serve --mllp HOST:PORT).
//
// Design: one io_context run by `threads` threads of its own; each connection lives on its
// own strand, feeds what it reads to an MllpDecoder (mllp.h) and hands every complete frame
// to the handler. The handler answers through MllpReply, exactly once, from any thread (the
// store's writer calls it when the message's transaction has committed); the connection
// writes the ACKs back framed and in the order the messages came, so a sender that pipelines
// gets its ACKs in order. At most max_in_flight messages per connection wait for their ACK;
// past that the connection stops reading (back-pressure instead of unbounded memory).
//
// Nothing is dropped silently:
//  - a frame over max_frame_bytes is answered AR (ERR 207, "exceeds the limit") at once;
//  - bytes outside frames, a frame that never ended (the peer closed, went quiet past the
//    idle timeout, or restarted with a new start byte) are logged as warnings with the peer
//    and the stream offset: there is no one left to answer, but the operator can see it.
// Idle connections (no byte for idle_timeout and no ACK owed) are closed. TCP_NODELAY is set
// on every connection (an ACK is one small write; Nagle would hold it back).
//
// Contract:
//  - Start() binds, listens and starts the threads; kUnavailable when the address cannot be
//    bound ("cannot listen on 127.0.0.1:2575: address already in use"), kInvalidArgument for
//    a host that does not resolve.
//  - Stop() (any thread, idempotent) stops accepting, stops reading, waits up to
//    shutdown_grace for the ACKs still owed, then closes everything and joins the threads.
//    Replies that come later are dropped (the connection is gone).
//  - The handler runs on a connection's strand: it may work (parse, map) but must not block
//    on I/O; it must not throw.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"

namespace hb::lis {

namespace internal {
struct MllpCore;
}

struct MllpPeer {
  std::string address;      // "10.0.3.7:51234"
  uint64_t connection = 0;  // a number for the logs
};

// The ACK for one message: HL7 text in the character set it must travel in (unframed).
using MllpReply = std::function<void(std::string ack)>;
using MllpHandler = std::function<void(std::string message, const MllpPeer& peer, MllpReply reply)>;

struct MllpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 2575;  // 0: pick a free port (tests)
  unsigned threads = 1;
  size_t max_frame_bytes = 16 * 1024 * 1024;
  std::chrono::seconds idle_timeout{600};  // LIS links stay open; a dead one is let go
  size_t max_connections = 256;            // beyond: closed at once, with a warning
  size_t max_in_flight = 64;               // messages per connection waiting for their ACK
  std::chrono::seconds shutdown_grace{10};
};

struct MllpStats {
  uint64_t connections = 0;  // accepted so far
  uint64_t messages = 0;     // frames handed to the handler
  uint64_t acks = 0;         // ACKs written
  uint64_t refused = 0;      // oversize frames answered AR, connections over the limit
  uint64_t junk = 0;         // pieces of bytes outside any frame
  uint64_t truncated = 0;    // frames that never ended
};

class MllpServer {
 public:
  MllpServer(MllpServerOptions options, MllpHandler handler);
  ~MllpServer();  // Stop()
  MllpServer(const MllpServer&) = delete;
  MllpServer& operator=(const MllpServer&) = delete;

  Status Start();
  uint16_t port() const;
  void Stop();
  MllpStats Stats() const;

 private:
  std::shared_ptr<internal::MllpCore> core_;
};

}  // namespace hb::lis
