// CORS from configuration only: allowed origins get their headers and preflights, others none.
#include <gtest/gtest.h>

#include <atomic>

#include "http/server.h"
#include "http/server_testing.h"

namespace hb::http {
namespace {

using namespace hb::http::testing;  // NOLINT

constexpr const char* kApp = "https://app.example.vn";

std::vector<Header> Preflight(const std::string& origin) {
  return {{"Origin", origin},
          {"Access-Control-Request-Method", "PUT"},
          {"Access-Control-Request-Headers", "authorization, if-match"}};
}

TEST(HttpCorsTest, NoOriginsConfiguredMeansNoCorsHeadersAtAll) {
  std::atomic<int> options_calls{0};
  TestServer server([&](Request&& request, Responder respond) {
    if (request.method == "OPTIONS") ++options_calls;
    respond(Text("ok"));
  });
  Client client(server.port());
  BeastResponse r = client.Send(bhttp::verb::get, "/x", {}, {{"Origin", kApp}});
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r[bhttp::field::access_control_allow_origin], "");
  EXPECT_EQ(r[bhttp::field::vary], "");
  BeastResponse pre = client.Send(bhttp::verb::options, "/x", {}, Preflight(kApp));
  EXPECT_EQ(pre[bhttp::field::access_control_allow_origin], "");
  EXPECT_EQ(pre[bhttp::field::access_control_allow_methods], "");
  EXPECT_EQ(options_calls.load(), 1) << "the preflight is the application's business";
}

TEST(HttpCorsTest, AnAllowedOriginGetsItsHeadersAndItsPreflightAnswered) {
  std::atomic<int> calls{0};
  ServerOptions options;
  options.cors_origins = {kApp, "http://localhost:5173"};
  options.cors_max_age = std::chrono::seconds(1200);
  TestServer server([&](Request&&, Responder respond) { ++calls, respond(Text("ok")); }, options);
  Client client(server.port());

  BeastResponse r = client.Send(bhttp::verb::get, "/x", {}, {{"Origin", kApp}});
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r[bhttp::field::access_control_allow_origin], kApp);
  EXPECT_EQ(r[bhttp::field::vary], "Origin");
  EXPECT_EQ(r[bhttp::field::access_control_allow_credentials], "");
  EXPECT_NE(r[bhttp::field::access_control_expose_headers].find("Location"), std::string::npos);
  EXPECT_EQ(calls.load(), 1);

  BeastResponse pre = client.Send(bhttp::verb::options, "/fhir/Patient/1", {}, Preflight(kApp));
  EXPECT_EQ(pre.result_int(), 204);
  EXPECT_EQ(pre[bhttp::field::access_control_allow_origin], kApp);
  EXPECT_EQ(pre[bhttp::field::vary], "Origin");
  EXPECT_EQ(pre[bhttp::field::access_control_allow_methods],
            "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
  std::string allowed(pre[bhttp::field::access_control_allow_headers]);
  for (const char* h : {"Authorization", "Content-Type", "If-Match", "If-None-Exist", "Prefer",
                        "X-CSRF-Token", "X-Break-Glass-Reason"}) {
    EXPECT_NE(allowed.find(h), std::string::npos) << h;
  }
  EXPECT_EQ(pre[bhttp::field::access_control_max_age], "1200");
  EXPECT_EQ(calls.load(), 1) << "the server answers the preflight itself";

  // Origins compare case-insensitively; the configured spelling is echoed.
  BeastResponse upper =
      client.Send(bhttp::verb::get, "/x", {}, {{"Origin", "HTTP://LOCALHOST:5173"}});
  EXPECT_EQ(upper[bhttp::field::access_control_allow_origin], "http://localhost:5173");
}

TEST(HttpCorsTest, OtherOriginsGetNoCorsHeaders) {
  std::atomic<int> options_calls{0};
  ServerOptions options;
  options.cors_origins = {kApp};
  TestServer server(
      [&](Request&& request, Responder respond) {
        if (request.method == "OPTIONS") ++options_calls;
        respond(Text("ok"));
      },
      options);
  Client client(server.port());
  for (const char* origin : {"https://evil.example", "https://app.example.vn.evil.example",
                             "https://app.example.vn:444", "http://app.example.vn", "null"}) {
    BeastResponse r = client.Send(bhttp::verb::get, "/x", {}, {{"Origin", origin}});
    EXPECT_EQ(r[bhttp::field::access_control_allow_origin], "") << origin;
    EXPECT_EQ(r[bhttp::field::vary], "") << origin;
    BeastResponse pre = client.Send(bhttp::verb::options, "/x", {}, Preflight(origin));
    EXPECT_EQ(pre[bhttp::field::access_control_allow_origin], "") << origin;
    EXPECT_EQ(pre[bhttp::field::access_control_allow_methods], "") << origin;
  }
  EXPECT_EQ(options_calls.load(), 5);
  BeastResponse none = client.Send(bhttp::verb::get, "/x");
  EXPECT_EQ(none[bhttp::field::access_control_allow_origin], "");
}

TEST(HttpCorsTest, CredentialsOnlyWhenConfiguredAndNeverWithAStar) {
  ServerOptions options;
  options.cors_origins = {kApp};
  options.cors_credentials = true;
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); }, options);
  Client client(server.port());
  BeastResponse r = client.Send(bhttp::verb::get, "/x", {}, {{"Origin", kApp}});
  EXPECT_EQ(r[bhttp::field::access_control_allow_credentials], "true");
  EXPECT_EQ(r[bhttp::field::access_control_allow_origin], kApp);

  for (std::string bad : {"*", "null", "https://app.example.vn/", "https://a.example/path",
                          "app.example.vn", "https://"}) {
    ServerOptions o;
    o.port = 0;
    o.cors_origins = {bad};
    Server s(o, [](Request&&, Responder respond) { respond(Text("ok")); });
    Status st = s.Start();
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument) << bad;
    EXPECT_NE(st.message().find("CORS origin"), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace hb::http
