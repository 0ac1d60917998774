// Connection: one accepted socket serving HTTP/1.1 requests in sequence (keep-alive,
// pipelining) until the peer closes, an error, the idle timeout, or server shutdown.
//
// Contract (internal): every member function except Deliver runs on the connection's strand.
// Deliver may be called from any thread (it is how Responders complete a request). The read
// buffer, the response head buffer and the Response slot are reused from request to request.
// Lifetime: shared_ptr, kept alive by pending operations and by outstanding Responders.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "http/internal/core.h"
#include "http/internal/request_parser.h"
#include "http/message.h"

namespace hb::http::internal {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<Core> core, Socket socket);

  void Start();     // any thread: begins serving on the strand
  void Shutdown();  // strand: close if idle, else close after the current response
  void Close();     // strand (or no io thread running): idempotent
  void Deliver(uint64_t seq, Response response);  // any thread
  const Strand& strand() const { return strand_; }

 private:
  using Clock = std::chrono::steady_clock;
  enum class State { kReading, kHandling, kWriting, kDraining };

  void ArmTimer(Clock::time_point at);
  void OnTimer(const boost::system::error_code& ec);
  void ReadRequest();
  void OnRead(const boost::system::error_code& ec, size_t n);
  void WriteContinue();
  void FailRequest(const boost::system::error_code& ec);
  void HandleRequest();
  Responder MakeResponder(uint64_t seq);
  void OnResponse(uint64_t seq, Response response);
  void OnWritten(const boost::system::error_code& ec);
  void BeginDrain();
  void Drain();
  void LogAccess() const;

  const std::shared_ptr<Core> core_;
  Strand strand_;
  Socket socket_;
  Timer timer_;
  std::string remote_;
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::string head_;
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
  bool linger_ = false;  // drain input before closing (after an error response)
  bool shutting_down_ = false;
  bool closed_ = false;
  size_t bytes_sent_ = 0;
  std::string log_method_, log_target_;
};

}  // namespace hb::http::internal
