// MllpServer over real loopback sockets: ACKs in message order (also when pipelined and when
// the handler answers out of order), oversize frames refused, idle and half-sent connections
// closed, and a stop that waits for the ACKs still owed.
#include "lis/mllp_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "lis/mllp.h"

namespace hb::lis {
namespace {

// A blocking test client.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  }
  ~Client() { ::close(fd_); }
  void Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  // Reads until `count` frames came, the peer closed, or `timeout` passed.
  std::vector<std::string> Frames(size_t count, int timeout_ms = 3000) {
    std::vector<std::string> out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (out.size() < count) {
      MllpEvent e;
      while (out.size() < count && decoder_.Next(&e)) out.push_back(e.payload);
      if (out.size() >= count || !Wait(deadline)) break;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      decoder_.Feed(std::string_view(buf, static_cast<size_t>(n)));
    }
    return out;
  }
  // True when the server closed the connection within the timeout.
  bool ClosedWithin(int timeout_ms) {
    Frames(1000, timeout_ms);
    return closed_;
  }

 private:
  bool Wait(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(left.count())) > 0;
  }
  int fd_ = -1;
  MllpDecoder decoder_;
  bool closed_ = false;
};

std::string Msg(int n) {
  return "MSH|^~\\&|A|B|C|D|20240101||ORU^R01|M" + std::to_string(n) + "|P|2.5\r";
}

// Answers "ACK:<control id>", after `delay` for odd control ids (to reorder completions).
struct Echo {
  std::chrono::milliseconds delay{0};
  std::atomic<int> received{0};  // messages handed to the handler
  std::mutex mu;
  std::vector<std::thread> late;
  ~Echo() {
    for (auto& t : late) t.join();
  }
  MllpHandler Handler() {
    return [this](std::string message, const MllpPeer&, MllpReply reply) {
      ++received;
      std::string id = message.substr(message.find("|M") + 1);
      id = id.substr(0, id.find('|'));
      bool odd = (id.back() - '0') % 2 == 1;
      if (delay.count() > 0 && odd) {
        std::lock_guard lock(mu);
        late.emplace_back([d = delay, id, reply] {
          std::this_thread::sleep_for(d);
          reply("ACK:" + id);
        });
      } else {
        reply("ACK:" + id);
      }
    };
  }
};

MllpServerOptions Options() {
  MllpServerOptions o;
  o.port = 0;
  o.threads = 2;
  return o;
}

TEST(MllpServerTest, AnswersEveryMessageInOrderEvenWhenPipelined) {
  Echo echo;
  echo.delay = std::chrono::milliseconds(30);
  MllpServer server(Options(), echo.Handler());
  ASSERT_TRUE(server.Start().ok());
  Client c(server.port());
  std::string burst;
  for (int i = 0; i < 6; ++i) burst += MllpFrame(Msg(i));
  c.Send(burst);  // six frames in one write; odd ones complete late
  auto acks = c.Frames(6);
  ASSERT_EQ(acks.size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(acks[i], "ACK:M" + std::to_string(i));
  c.Send(MllpFrame(Msg(7)).substr(0, 10));  // one byte at a time is fine too
  for (char ch : MllpFrame(Msg(7)).substr(10)) c.Send(std::string(1, ch));
  EXPECT_EQ(c.Frames(1), std::vector<std::string>{"ACK:M7"});
  server.Stop();
  EXPECT_EQ(server.Stats().messages, 7u);
  EXPECT_EQ(server.Stats().acks, 7u);
}

TEST(MllpServerTest, RefusesOversizeFramesAndKeepsGoing) {
  Echo echo;
  MllpServerOptions o = Options();
  o.max_frame_bytes = 100;
  MllpServer server(o, echo.Handler());
  ASSERT_TRUE(server.Start().ok());
  Client c(server.port());
  c.Send(MllpFrame(std::string(500, 'x')) + "garbage\r\n" + MllpFrame(Msg(2)));
  auto acks = c.Frames(2);
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_NE(acks[0].find("MSA|AR"), std::string::npos) << acks[0];
  EXPECT_NE(acks[0].find("207"), std::string::npos);
  EXPECT_NE(acks[0].find("exceeds the limit"), std::string::npos);
  EXPECT_EQ(acks[1], "ACK:M2");
  server.Stop();
  EXPECT_EQ(server.Stats().refused, 1u);
  EXPECT_EQ(server.Stats().junk, 1u);
}

TEST(MllpServerTest, HalfSentMessageIsLoggedNotAnswered) {
  Echo echo;
  MllpServer server(Options(), echo.Handler());
  ASSERT_TRUE(server.Start().ok());
  {
    Client c(server.port());
    c.Send(MllpFrame(Msg(1)) + MllpFrame(Msg(2)).substr(0, 20));
    EXPECT_EQ(c.Frames(1), std::vector<std::string>{"ACK:M1"});
  }                         // closed mid-frame
  Client d(server.port());  // the server is still fine
  d.Send(MllpFrame(Msg(3)));
  EXPECT_EQ(d.Frames(1), std::vector<std::string>{"ACK:M3"});
  server.Stop();
  EXPECT_EQ(server.Stats().truncated, 1u);
  EXPECT_EQ(server.Stats().messages, 2u);
}

TEST(MllpServerTest, IdleConnectionsAreClosed) {
  Echo echo;
  MllpServerOptions o = Options();
  o.idle_timeout = std::chrono::seconds(1);
  MllpServer server(o, echo.Handler());
  ASSERT_TRUE(server.Start().ok());
  Client c(server.port());
  c.Send(MllpFrame(Msg(1)).substr(0, 15));  // starts a frame, then goes quiet
  EXPECT_TRUE(c.ClosedWithin(4000));
  server.Stop();
  EXPECT_EQ(server.Stats().truncated, 1u);
}

TEST(MllpServerTest, StopWaitsForOwedAcks) {
  Echo echo;
  echo.delay = std::chrono::milliseconds(300);
  MllpServer server(Options(), echo.Handler());
  ASSERT_TRUE(server.Start().ok());
  Client c(server.port());
  c.Send(MllpFrame(Msg(1)));
  // until the server has read M1 (its ACK then comes 300 ms later)
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (echo.received.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(echo.received.load(), 1);
  server.Stop();  // the ACK of M1 is still being made
  EXPECT_EQ(c.Frames(1), std::vector<std::string>{"ACK:M1"});
  EXPECT_TRUE(c.ClosedWithin(1000));
}

TEST(MllpServerTest, ConnectionsBeyondTheLimitAreRefused) {
  Echo echo;
  MllpServerOptions o = Options();
  o.max_connections = 1;
  MllpServer server(o, echo.Handler());
  ASSERT_TRUE(server.Start().ok());
  Client a(server.port());
  a.Send(MllpFrame(Msg(0)));
  ASSERT_EQ(a.Frames(1).size(), 1u);
  Client b(server.port());
  EXPECT_TRUE(b.ClosedWithin(2000));
  server.Stop();
}

TEST(MllpServerTest, BusyAddressIsReported) {
  Echo echo;
  MllpServer first(Options(), echo.Handler());
  ASSERT_TRUE(first.Start().ok());
  MllpServerOptions o = Options();
  o.port = first.port();
  MllpServer second(o, echo.Handler());
  Status st = second.Start();
  EXPECT_EQ(st.code(), ErrorCode::kUnavailable);
  EXPECT_NE(st.message().find("in use"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace hb::lis
