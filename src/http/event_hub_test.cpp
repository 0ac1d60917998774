#include "http/event_hub.h"

#include <gtest/gtest.h>

#include "http/server_testing.h"

namespace hb::http {
namespace {

using namespace testing;

// Reads from `client` until `needle` has arrived (or 5 s pass); returns everything read.
std::string ReadUntil(Client& client, std::string_view needle) {
  std::string got;
  client.Tcp().expires_after(5s);
  char buf[1024];
  while (got.find(needle) == std::string::npos) {
    beast::error_code ec;
    size_t n = client.stream().read_some(asio::buffer(buf), ec);
    if (ec) break;
    got.append(buf, n);
  }
  return got;
}

TEST(EventHubTest, FormatsEventsLineByLine) {
  EXPECT_EQ(EventHub::Format("queue", "{\"a\":1}"), "event: queue\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(EventHub::Format("", "one\r\ntwo"), "data: one\ndata: two\n\n");
}

TEST(EventHubTest, StreamsTheLastEventThenLiveOnesOverTheWire) {
  EventHub hub(std::chrono::milliseconds(100));
  hub.Publish("q/k01", "queue", "{\"n\":1}");
  TestServer server([&](Request&& req, Responder respond) {
    respond(hub.Subscribe(req.path == "/a" ? "q/k01" : "q/k02"));
  });
  Client client(server.port());
  client.WriteRaw("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string head = ReadUntil(client, "{\"n\":1}");
  EXPECT_NE(head.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  EXPECT_NE(head.find("retry: 2000"), std::string::npos);
  for (int i = 0; i < 50 && hub.Subscribers("q/k01") == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(hub.AnySubscribers("q/"));
  EXPECT_FALSE(hub.AnySubscribers("pay/"));
  hub.Publish("q/k02", "queue", "{\"other\":true}");  // another topic: not sent here
  hub.Publish("q/k01", "queue", "{\"n\":2}");
  std::string live = ReadUntil(client, "{\"n\":2}");
  EXPECT_NE(live.find("event: queue\ndata: {\"n\":2}"), std::string::npos);
  EXPECT_EQ(live.find("other"), std::string::npos);
  // Keep-alive comments arrive while nothing is published.
  EXPECT_NE(ReadUntil(client, ":\n\n").find(":\n\n"), std::string::npos);
}

TEST(EventHubTest, ClosedClientsAreDroppedAndStopEndsStreams) {
  auto hub = std::make_unique<EventHub>(std::chrono::milliseconds(50));
  TestServer server([&](Request&&, Responder respond) { respond(hub->Subscribe("t")); });
  {
    Client gone(server.port());
    gone.WriteRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    ReadUntil(gone, "retry");
    for (int i = 0; i < 50 && hub->Subscribers("t") == 0; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(hub->Subscribers("t"), 1u);
  }  // the client closes its socket
  for (int i = 0; i < 100 && hub->Subscribers("t") > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(hub->Subscribers("t"), 0u);
  Client staying(server.port());
  staying.WriteRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ReadUntil(staying, "retry");
  server.Stop();  // the server stops: the stream ends rather than holding it open
  EXPECT_TRUE(staying.ClosedByPeer());
}

}  // namespace
}  // namespace hb::http
