#include "lis/mllp_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "lis/mllp.h"

namespace hb::lis {

namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status Unavailable(const MllpClientOptions& o, const std::string& what) {
  return Status(ErrorCode::kUnavailable,
                "MLLP " + o.host + ":" + std::to_string(o.port) + ": " + what);
}

// Waits for `events` until the deadline; false on timeout.
bool Wait(int fd, short events, Clock::time_point deadline) {
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return false;
  }
}

Result<int> Connect(const MllpClientOptions& o) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(o.port);
  if (int rc = ::getaddrinfo(o.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return Unavailable(o, std::string("cannot resolve: ") + ::gai_strerror(rc));
  }
  std::string last = "no address";
  auto deadline = Clock::now() + o.connect_timeout;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      if (Wait(fd, POLLOUT, deadline)) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        rc = err == 0 ? 0 : -1;
        errno = err;
      } else {
        errno = ETIMEDOUT;
      }
    }
    if (rc == 0) {
      ::freeaddrinfo(found);
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return fd;
    }
    last = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return Unavailable(o, "cannot connect: " + last);
}

}  // namespace

Result<std::string> MllpSend(const MllpClientOptions& o, std::string_view message) {
  HB_ASSIGN_OR_RETURN(int raw_fd, Connect(o));
  Fd fd(raw_fd);
  const std::string frame = MllpFrame(message);
  std::string_view out = frame;
  auto deadline = Clock::now() + o.reply_timeout;
  while (!out.empty()) {
    if (!Wait(fd.get(), POLLOUT, deadline)) return Unavailable(o, "sending timed out");
    ssize_t n = ::send(fd.get(), out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return Unavailable(o, std::string("sending failed: ") + std::strerror(errno));
    out.remove_prefix(static_cast<size_t>(n));
  }
  deadline = Clock::now() + o.reply_timeout;
  MllpDecoder decoder({.max_frame_bytes = o.max_reply_bytes});
  char buf[16384];
  MllpEvent event;
  while (true) {
    if (!Wait(fd.get(), POLLIN, deadline)) {
      return Unavailable(o, "no ACK within " + std::to_string(o.reply_timeout.count()) + " ms");
    }
    ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) {
      decoder.Finish();
    } else {
      decoder.Feed(std::string_view(buf, static_cast<size_t>(n)));
    }
    while (decoder.Next(&event)) {
      if (event.kind == MllpEvent::Kind::kMessage) return std::move(event.payload);
      Status st = event.ToStatus();
      return Status(st.code() == ErrorCode::kTooLarge ? ErrorCode::kMalformedHl7 : st.code(),
                    "MLLP " + o.host + ":" + std::to_string(o.port) + " answered: " + st.message());
    }
    if (n <= 0) return Unavailable(o, "the connection closed without an ACK");
  }
}

}  // namespace hb::lis
