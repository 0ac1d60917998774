#include "http/server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "common/temp_dir_test_util.h"
#include "http/router.h"
#include "http/server_testing.h"
#include "http/static_files.h"

namespace hb::http {
namespace {

using namespace hb::http::testing;  // NOLINT

TEST(ServerTest, GetExposesTheRequestAndSetsStandardHeaders) {
  std::mutex mu;
  Request seen;
  TestServer server([&](Request&& request, Responder respond) {
    {
      std::lock_guard lock(mu);
      seen = request;
    }
    Response r = Text("hello");
    r.headers.push_back({"ETag", "W/\"1\""});
    r.headers.push_back({"X-Bad", "a\r\nInjected: yes"});
    respond(std::move(r));
  });
  Client client(server.port());
  BeastResponse r =
      client.Send(bhttp::verb::get, "/fhir/Pa%20t?identifier=a%7Cb&x=1", {}, {{"X-Custom", "v"}});
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "hello");
  EXPECT_EQ(r[bhttp::field::server], "healthbook");
  EXPECT_FALSE(r[bhttp::field::date].empty());
  EXPECT_EQ(r[bhttp::field::content_length], "5");
  EXPECT_EQ(r[bhttp::field::content_type], "text/plain");
  EXPECT_EQ(r[bhttp::field::etag], "W/\"1\"");
  EXPECT_EQ(r["Injected"], "");
  EXPECT_EQ(r["X-Bad"], "");
  std::lock_guard lock(mu);
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.target, "/fhir/Pa%20t?identifier=a%7Cb&x=1");
  EXPECT_EQ(seen.path, "/fhir/Pa t");
  EXPECT_EQ(seen.query, "identifier=a%7Cb&x=1");
  EXPECT_EQ(seen.HeaderValue("x-custom"), "v");
  EXPECT_EQ(seen.HeaderValue("HOST"), "localhost");
  EXPECT_EQ(seen.HeaderValue("absent"), "");
  EXPECT_EQ(seen.remote.rfind("127.0.0.1:", 0), 0u) << seen.remote;
}

TEST(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  std::atomic<int> count{0};
  std::mutex mu;
  std::set<std::string> remotes;
  TestServer server([&](Request&& request, Responder respond) {
    {
      std::lock_guard lock(mu);
      remotes.insert(request.remote);
    }
    respond(Text(request.body.empty() ? std::to_string(++count) : request.body));
  });
  Client client(server.port());
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(client.Send(bhttp::verb::get, "/n").body(), std::to_string(i));
  }
  EXPECT_EQ(client.Send(bhttp::verb::post, "/echo", "payload").body(), "payload");
  // Pipelined: two requests in one write, answered in order.
  client.WriteRaw("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.Read().body(), "6");
  EXPECT_EQ(client.Read().body(), "7");
  std::lock_guard lock(mu);
  EXPECT_EQ(remotes.size(), 1u);
}

TEST(ServerTest, HeadGetsHeadersWithoutBody) {
  TestServer server([](Request&&, Responder respond) { respond(Text("hello")); });
  Client client(server.port());
  BeastResponse head = client.Send(bhttp::verb::head, "/x");
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[bhttp::field::content_length], "5");
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/x").body(), "hello");  // no stray bytes
}

TEST(ServerTest, BodySourceServesAFileInPiecesWithItsLength) {
  const hb::testing::TempDir tmp("hb-body-source");
  const auto path = tmp / "Observation.ndjson";
  std::string content;
  for (int i = 0; content.size() < 3 * 1024 * 1024 + 17; ++i) content += std::to_string(i) + ",";
  {
    std::ofstream out(path, std::ios::binary);
    out << content;
  }
  TestServer server([&](Request&& request, Responder respond) {
    Response r;
    r.content_type = "application/fhir+ndjson";
    r.body_source = OpenFileBody(path.string(), 64 * 1024);
    if (request.path == "/gone") std::filesystem::remove(path);  // open already: still served
    if (!r.body_source) return respond(Text("missing", 404));
    respond(std::move(r));
  });
  Client client(server.port());
  BeastResponse head = client.Send(bhttp::verb::head, "/f");
  EXPECT_EQ(head[bhttp::field::content_length], std::to_string(content.size()));
  EXPECT_TRUE(head.body().empty());
  BeastResponse r = client.Send(bhttp::verb::get, "/f");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r[bhttp::field::content_length], std::to_string(content.size()));
  EXPECT_TRUE(r.body() == content) << r.body().size() << " bytes of " << content.size();
  // The connection goes on after the last piece, and a file removed while open is whole.
  EXPECT_TRUE(client.Send(bhttp::verb::get, "/gone").body() == content);
  EXPECT_EQ(client.Send(bhttp::verb::get, "/f").result_int(), 404);
  EXPECT_EQ(OpenFileBody(path.string()), nullptr);
}

// Fails after two pieces of the megabyte it announced.
class FailingSource : public BodySource {
 public:
  uint64_t Size() const override { return 1 << 20; }
  bool Next(std::string& out) override {
    if (++calls_ > 2) return false;
    out.assign(64 * 1024, 'x');
    return true;
  }

 private:
  int calls_ = 0;
};

TEST(ServerTest, ABodySourceThatFailsEndsTheConnectionShort) {
  TestServer server([](Request&&, Responder respond) {
    Response r;
    r.body_source = std::make_shared<FailingSource>();
    respond(std::move(r));
  });
  Client client(server.port());
  client.WriteRaw("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
  // The head said 1 MiB; 128 KiB came, then the connection closed: a partial message.
  EXPECT_ANY_THROW(client.Read());
}

// 64 MiB of a body that is read piece by piece, as a file download is.
class LargeSource : public BodySource {
 public:
  uint64_t Size() const override { return 64ull << 20; }
  bool Next(std::string& out) override {
    out.assign(256 * 1024, 'x');
    return true;
  }
};

TEST(ServerTest, ADownloadCutByTheIdleTimeoutStillHasItsAccessLogLine) {
  auto lines = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  auto logger = std::make_shared<spdlog::logger>("capture", lines);
  logger->set_level(spdlog::level::info);
  struct RestoreLogger {
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
    ~RestoreLogger() { spdlog::set_default_logger(previous); }
  } restore;
  spdlog::set_default_logger(logger);
  {
    ServerOptions options;
    options.idle_timeout = 1s;
    TestServer server(
        [](Request&&, Responder respond) {
          Response r;
          r.body_source = std::make_shared<LargeSource>();
          respond(std::move(r));
        },
        options);
    Client client(server.port());
    // The client asks and never reads: the server's writes stall, and the idle timeout
    // closes the connection in the middle of the body.
    client.WriteRaw("GET /export/big.ndjson HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string logged;
    for (int i = 0; i < 200 && logged.empty(); ++i) {
      std::this_thread::sleep_for(50ms);
      for (const std::string& line : lines->last_formatted()) {
        if (line.find("\"GET /export/big.ndjson\" 200") != std::string::npos) logged = line;
      }
    }
    ASSERT_FALSE(logged.empty()) << "no access log line for the cut download";
    // It says how much went out: some of the body, not all of it.
    size_t at = logged.find("\" 200 ") + 6;
    uint64_t sent = std::stoull(logged.substr(at));
    EXPECT_LT(sent, 64ull << 20) << logged;
  }
}

TEST(ServerTest, ResponderCompletedLaterFromAnotherThread) {
  std::mutex mu;
  std::vector<std::thread> workers;
  TestServer server([&](Request&& request, Responder respond) {
    std::lock_guard lock(mu);
    workers.emplace_back([respond = std::move(respond), path = request.path] {
      std::this_thread::sleep_for(50ms);
      respond(Text("later " + path));
    });
  });
  Client client(server.port());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/one").body(), "later /one");
  EXPECT_EQ(client.Send(bhttp::verb::get, "/two").body(), "later /two");
  std::lock_guard lock(mu);
  for (auto& t : workers) t.join();
}

TEST(ServerTest, HandlerFailuresGive500) {
  TestServer server([](Request&& request, Responder respond) {
    if (request.path == "/throw") throw std::runtime_error("boom");
    if (request.path == "/drop") return;  // never responds
    respond(Text("ok"));
    respond(Text("twice"));  // ignored
  });
  Client client(server.port());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/throw").result_int(), 500);
  EXPECT_EQ(client.Send(bhttp::verb::get, "/drop").result_int(), 500);
  EXPECT_EQ(client.Send(bhttp::verb::get, "/ok").body(), "ok");
  EXPECT_EQ(client.Send(bhttp::verb::get, "/ok").body(), "ok");
}

TEST(ServerTest, OversizedBodyGets413WithoutReadingIt) {
  std::atomic<int> calls{0};
  ServerOptions options;
  options.max_body_bytes = 1024;
  TestServer server([&](Request&&, Responder respond) { ++calls, respond(Text("ok")); }, options);
  Client client(server.port());
  client.WriteRaw("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
  BeastResponse r = client.Read();
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(r[bhttp::field::connection], "close");
  EXPECT_TRUE(client.ClosedByPeer());

  Client chunked(server.port());
  chunked.WriteRaw("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
                   std::string(2048, 'a') + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.Read().result_int(), 413);
  EXPECT_EQ(calls.load(), 0);
}

TEST(ServerTest, TransportErrorsUseTheRenderer) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  options.render_error = [](int status, std::string message) {
    Response r = Text("{\"status\":" + std::to_string(status) + "}");
    r.status = status;
    r.content_type = "application/fhir+json";
    return r;
  };
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); }, options);
  Client bad(server.port());
  bad.WriteRaw("GARBAGE\r\n\r\n");
  BeastResponse r = bad.Read();
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_EQ(r[bhttp::field::content_type], "application/fhir+json");
  EXPECT_TRUE(bad.ClosedByPeer());

  Client big(server.port());
  big.WriteRaw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'b') + "\r\n\r\n");
  EXPECT_EQ(big.Read().result_int(), 431);
}

TEST(ServerTest, ConnectionCloseAndExpectContinue) {
  TestServer server([](Request&& request, Responder respond) { respond(Text(request.body)); });
  Client client(server.port());
  BeastResponse r = client.Send(bhttp::verb::post, "/x", "abc", {{"Connection", "close"}});
  EXPECT_EQ(r.body(), "abc");
  EXPECT_EQ(r[bhttp::field::connection], "close");
  EXPECT_TRUE(client.ClosedByPeer());

  Client expect(server.port());
  expect.WriteRaw(
      "POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(expect.ReadLine(), "HTTP/1.1 100 Continue\r\n\r\n");
  expect.WriteRaw("hello");
  EXPECT_EQ(expect.Read().body(), "hello");
}

TEST(ServerTest, RouterErrorsOverTheWire) {
  Router router;
  router.Add("GET", "/a", [](Request&&, Responder respond) { respond(Text("a")); });
  TestServer server(router.AsHandler());
  Client client(server.port());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/a").body(), "a");
  EXPECT_EQ(client.Send(bhttp::verb::get, "/b").result_int(), 404);
  BeastResponse wrong = client.Send(bhttp::verb::delete_, "/a");
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(wrong[bhttp::field::allow], "GET, HEAD");
}

TEST(ServerTest, StartReportsAddressInUse) {
  TestServer first([](Request&&, Responder respond) { respond(Text("1")); });
  ServerOptions options;
  options.port = first.port();
  Server second(options, [](Request&&, Responder respond) { respond(Text("2")); });
  Status status = second.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kUnavailable);
  EXPECT_EQ(status.message(), "cannot listen on 127.0.0.1:" + std::to_string(first.port()) +
                                  ": address already in use");
  ServerOptions bad;
  bad.host = "no such host.invalid";
  Server bad_host(bad, {});
  EXPECT_FALSE(bad_host.Start().ok());
}

TEST(ServerTest, StopLetsInFlightRequestsFinishAndClosesIdleOnes) {
  std::promise<Responder> held;
  TestServer server([&](Request&&, Responder respond) { held.set_value(std::move(respond)); });
  Client idle(server.port());
  Client busy(server.port());
  busy.WriteRaw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  Responder respond = held.get_future().get();
  std::thread stopper([&] { server.Stop(); });  // blocks until the drain is done
  EXPECT_TRUE(idle.ClosedByPeer());
  std::this_thread::sleep_for(50ms);
  respond(Text("finished"));
  BeastResponse r = busy.Read();
  EXPECT_EQ(r.body(), "finished");
  EXPECT_EQ(r[bhttp::field::connection], "close");
  EXPECT_TRUE(busy.ClosedByPeer());
  stopper.join();
}

TEST(ServerTest, StopGivesUpAfterGraceAndLateRespondersAreSafe) {
  std::promise<Responder> held;
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.shutdown_grace = 1s;
  auto server = std::make_unique<Server>(
      options, [&](Request&&, Responder respond) { held.set_value(std::move(respond)); });
  ASSERT_TRUE(server->Start().ok());
  std::thread runner([&] { server->Run(); });
  Client client(server->port());
  client.WriteRaw("GET /never HTTP/1.1\r\nHost: x\r\n\r\n");
  Responder respond = held.get_future().get();
  auto start = std::chrono::steady_clock::now();
  server->Stop();
  runner.join();  // returns after the grace period although the request is unanswered
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
  server.reset();
  respond(Text("too late"));  // dropped, no crash
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST(ServerTest, Http10ClosesUnlessKeepAlive) {
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); });
  Client keep(server.port());
  keep.WriteRaw("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  BeastResponse r = keep.Read();
  EXPECT_EQ(r[bhttp::field::connection], "keep-alive");
  keep.WriteRaw("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(keep.Read().body(), "ok");
  EXPECT_TRUE(keep.ClosedByPeer());
}

TEST(ServerTest, IdleConnectionsTimeOut) {
  ServerOptions options;
  options.idle_timeout = 1s;
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); }, options);
  Client client(server.port());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/").body(), "ok");
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(ServerTest, StaticFilesRefuseTraversalOverTheWire) {
  namespace fs = std::filesystem;
  const hb::testing::TempDir tmp("hb-srv-static");
  const fs::path& base = tmp.path();
  fs::create_directories(base / "www");
  std::ofstream(base / "www/index.html") << "home";
  std::ofstream(base / "secret.txt") << "secret";
  TestServer server(StaticFiles((base / "www").string()));
  Client client(server.port());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/").body(), "home");
  EXPECT_EQ(client.Send(bhttp::verb::get, "/../secret.txt").result_int(), 403);
  EXPECT_EQ(client.Send(bhttp::verb::get, "/%2e%2e/secret.txt").result_int(), 403);
  EXPECT_EQ(client.Send(bhttp::verb::get, "/%2e%2e%2fsecret.txt").result_int(), 403);
}

}  // namespace
}  // namespace hb::http
