// The server's limits with their answers: rate limit (429), connection limit (503), header
// deadline (408). Body (413) and header size (431) are in server_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

#include "http/internal/rate_limiter.h"
#include "http/server.h"
#include "http/server_testing.h"

namespace hb::http {
namespace {

using namespace hb::http::testing;  // NOLINT
using internal::AddressKey;
using internal::KeyOf;
using internal::RateLimiter;

AddressKey V4(const char* text) { return KeyOf(asio::ip::make_address(text)); }

TEST(HttpRateLimiterTest, BurstThenRefillAtTheRate) {
  RateLimiter limiter(2, 3);
  auto t = RateLimiter::Clock::now();
  AddressKey a = V4("10.0.0.1");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Acquire(a, t), 0) << i;
  EXPECT_EQ(limiter.Acquire(a, t), 1);  // empty: one token back in 0.5 s, rounded up
  EXPECT_EQ(limiter.Acquire(V4("10.0.0.2"), t), 0) << "another address has its own bucket";
  EXPECT_EQ(limiter.Acquire(a, t + 500ms), 0);
  EXPECT_EQ(limiter.Acquire(a, t + 500ms), 1);
  EXPECT_EQ(limiter.Acquire(a, t + 10s), 0);  // refilled, but only up to the burst
  EXPECT_EQ(limiter.Acquire(a, t + 10s), 0);
  EXPECT_EQ(limiter.Acquire(a, t + 10s), 0);
  EXPECT_EQ(limiter.Acquire(a, t + 10s), 1);
}

TEST(HttpRateLimiterTest, RetryAfterCountsWholeSecondsAtSlowRates) {
  RateLimiter limiter(0.2, 1);  // one request every 5 s
  auto t = RateLimiter::Clock::now();
  AddressKey a = V4("10.0.0.1");
  EXPECT_EQ(limiter.Acquire(a, t), 0);
  EXPECT_EQ(limiter.Acquire(a, t), 5);
  EXPECT_EQ(limiter.Acquire(a, t + 3s), 2);
}

TEST(HttpRateLimiterTest, BurstBelowOneMeansTheRate) {
  RateLimiter limiter(5, 0);
  EXPECT_EQ(limiter.burst(), 5);
}

TEST(HttpRateLimiterTest, KeysGroupIpv6By64AndMapIpv4) {
  EXPECT_EQ(KeyOf(asio::ip::make_address("2001:db8:1:2::1")),
            KeyOf(asio::ip::make_address("2001:db8:1:2:ffff::9")));
  EXPECT_FALSE(KeyOf(asio::ip::make_address("2001:db8:1:2::1")) ==
               KeyOf(asio::ip::make_address("2001:db8:1:3::1")));
  EXPECT_EQ(KeyOf(asio::ip::make_address("::ffff:192.0.2.7")), V4("192.0.2.7"));
  EXPECT_FALSE(V4("0.0.0.1") == KeyOf(asio::ip::make_address("::1")));
}

TEST(HttpRateLimiterTest, ForgetsRefilledBucketsSoMemoryStaysBounded) {
  RateLimiter limiter(100, 100);
  auto t = RateLimiter::Clock::now();
  for (uint32_t i = 0; i < 200000; ++i) {
    limiter.Acquire(KeyOf(asio::ip::address_v4(i)), t + std::chrono::milliseconds(i / 10));
  }
  // Buckets older than a second refilled completely and were dropped at the sweeps.
  EXPECT_LT(limiter.TrackedForTest(), 150000u);
  EXPECT_GT(limiter.TrackedForTest(), 0u);
}

TEST(HttpLimitsTest, TooManyRequestsFromOneAddressGet429WithRetryAfter) {
  std::atomic<int> calls{0};
  ServerOptions options;
  // One token every 4 s: a stall of the machine between the requests below (seconds, at
  // times, on a loaded 2-core CI machine) must not refill the bucket before the 429s.
  options.rate_limit_per_s = 0.25;
  options.rate_limit_burst = 3;
  options.rate_limit_loopback = true;
  TestServer server([&](Request&&, Responder respond) { ++calls, respond(Text("ok")); }, options);
  Client client(server.port());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.Send(bhttp::verb::get, "/").result_int(), 200);
  BeastResponse r = client.Send(bhttp::verb::get, "/");
  EXPECT_EQ(r.result_int(), 429);
  // 4 s less the time since the first request, rounded up: 4 unless the machine stalled.
  const int retry_after = std::stoi(std::string(r[bhttp::field::retry_after]));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 4);
  EXPECT_NE(r.body().find("too many requests"), std::string::npos) << r.body();
  EXPECT_EQ(calls.load(), 3);
  // The connection stays usable, and another connection from the same address shares the bucket.
  EXPECT_EQ(client.Send(bhttp::verb::get, "/").result_int(), 429);
  Client other(server.port());
  EXPECT_EQ(other.Send(bhttp::verb::get, "/").result_int(), 429);
  std::this_thread::sleep_for(4100ms);
  EXPECT_EQ(client.Send(bhttp::verb::get, "/").result_int(), 200);
}

TEST(HttpLimitsTest, LoopbackIsExemptByDefaultAndZeroTurnsTheLimitOff) {
  ServerOptions options;
  options.rate_limit_per_s = 1;
  options.rate_limit_burst = 1;
  TestServer exempt([](Request&&, Responder respond) { respond(Text("ok")); }, options);
  Client a(exempt.port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(a.Send(bhttp::verb::get, "/").result_int(), 200);

  options.rate_limit_per_s = 0;
  options.rate_limit_loopback = true;
  TestServer off([](Request&&, Responder respond) { respond(Text("ok")); }, options);
  Client b(off.port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(b.Send(bhttp::verb::get, "/").result_int(), 200);
}

TEST(HttpLimitsTest, ConnectionsBeyondTheLimitGet503AndAreClosed) {
  ServerOptions options;
  options.max_connections = 2;
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); }, options);
  Client first(server.port());
  Client second(server.port());
  EXPECT_EQ(first.Send(bhttp::verb::get, "/").result_int(), 200);
  EXPECT_EQ(second.Send(bhttp::verb::get, "/").result_int(), 200);
  {
    Client third(server.port());
    BeastResponse r = third.Send(bhttp::verb::get, "/");
    EXPECT_EQ(r.result_int(), 503);
    EXPECT_EQ(r[bhttp::field::retry_after], "1");
    EXPECT_EQ(r[bhttp::field::connection], "close");
    EXPECT_TRUE(third.ClosedByPeer());
  }
  EXPECT_EQ(first.Send(bhttp::verb::get, "/").result_int(), 200);  // the others go on
  first.Send(bhttp::verb::get, "/", {}, {{"Connection", "close"}});
  EXPECT_TRUE(first.ClosedByPeer());
  // A place is free again (the server unregisters the closed connection right after).
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    Client again(server.port());
    status = again.Send(bhttp::verb::get, "/").result_int();
    if (status != 200) std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(status, 200);
}

TEST(HttpLimitsTest, SlowHeaderGets408AndSilentConnectionsAreClosed) {
  ServerOptions options;
  options.header_timeout = 1s;
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); }, options);
  // Slowloris: a header byte every 200 ms is progress, but the header is never complete.
  Client slow(server.port());
  auto start = std::chrono::steady_clock::now();
  std::string header = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  slow.WriteRaw(header);
  std::atomic<bool> stop{false};
  std::thread dripper([&] {
    for (int i = 0; i < 15 && !stop; ++i) {
      std::this_thread::sleep_for(200ms);
      try {
        slow.WriteRaw("a");
      } catch (...) {
        return;
      }
    }
  });
  std::this_thread::sleep_for(1500ms);  // the 408 is waiting in the socket by now
  stop = true;
  dripper.join();
  BeastResponse r = slow.Read();
  EXPECT_EQ(r.result_int(), 408);
  EXPECT_EQ(r[bhttp::field::connection], "close");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);

  Client silent(server.port());  // connects and says nothing
  start = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(HttpLimitsTest, KeptAliveConnectionsWaitForTheIdleTimeoutNotTheHeaderTimeout) {
  ServerOptions options;
  options.header_timeout = 1s;
  options.idle_timeout = 10s;
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); }, options);
  Client client(server.port());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/").result_int(), 200);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(client.Send(bhttp::verb::get, "/").result_int(), 200);
}

}  // namespace
}  // namespace hb::http
