#include "http/router.h"

#include <gtest/gtest.h>

namespace hb::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&&, Responder respond) {
    Response r;
    r.body = name;
    respond(std::move(r));
  };
}

Response Call(const Handler& h, std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.target = request.path;
  Response out;
  int calls = 0;
  h(std::move(request), [&](Response r) {
    out = std::move(r);
    ++calls;
  });
  EXPECT_EQ(calls, 1);
  return out;
}

std::string Allow(const Response& r) {
  for (const auto& h : r.headers) {
    if (h.name == "Allow") return h.value;
  }
  return "<none>";
}

TEST(RouterTest, ExactPrefixAndLongestPrefix) {
  Router router;
  router.Add("GET", "/fhir/metadata", Named("metadata"));
  router.AddPrefix("*", "/fhir", Named("fhir"));
  router.AddPrefix("GET", "/fhir/Binary", Named("binary"));
  router.AddPrefix("GET", "/", Named("web"));
  Handler h = router.AsHandler();
  EXPECT_EQ(Call(h, "GET", "/fhir/metadata").body, "metadata");
  EXPECT_EQ(Call(h, "POST", "/fhir/metadata").body, "fhir");  // falls back to the prefix
  EXPECT_EQ(Call(h, "GET", "/fhir").body, "fhir");
  EXPECT_EQ(Call(h, "DELETE", "/fhir/Patient/1").body, "fhir");
  EXPECT_EQ(Call(h, "GET", "/fhir/Binary/7").body, "binary");
  EXPECT_EQ(Call(h, "PUT", "/fhir/Binary/7").body, "fhir");
  EXPECT_EQ(Call(h, "GET", "/fhirx").body, "web");  // prefixes match whole segments
  EXPECT_EQ(Call(h, "GET", "/index.html").body, "web");
}

TEST(RouterTest, NotFoundAndMethodNotAllowed) {
  Router router;
  router.Add("GET", "/a", Named("get-a"));
  router.Add("POST", "/a", Named("post-a"));
  router.AddPrefix("PUT", "/p", Named("put-p"));
  Handler h = router.AsHandler();

  Response missing = Call(h, "GET", "/b");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "text/plain; charset=utf-8");

  Response wrong = Call(h, "DELETE", "/a");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(Allow(wrong), "GET, HEAD, POST");

  Response wrong_prefix = Call(h, "GET", "/p/x");
  EXPECT_EQ(wrong_prefix.status, 405);
  EXPECT_EQ(Allow(wrong_prefix), "PUT");
}

TEST(RouterTest, HeadFallsBackToGet) {
  Router router;
  router.Add("GET", "/a", Named("get-a"));
  EXPECT_EQ(Call(router.AsHandler(), "HEAD", "/a").body, "get-a");
}

TEST(RouterTest, ErrorsGoThroughTheRenderer) {
  Router router;
  router.Add("GET", "/a", Named("get-a"));
  Handler h = router.AsHandler([](int status, std::string message) {
    Response r;
    r.status = status;
    r.content_type = "application/fhir+json";
    r.body = "{\"msg\":\"" + message + "\"}";
    return r;
  });
  Response missing = Call(h, "GET", "/zzz");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/fhir+json");
  EXPECT_NE(missing.body.find("/zzz"), std::string::npos);
  Response wrong = Call(h, "POST", "/a");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.content_type, "application/fhir+json");
  EXPECT_EQ(Allow(wrong), "GET, HEAD");
}

TEST(RouterTest, LaterAddsDoNotAffectMadeHandlers) {
  Router router;
  router.Add("GET", "/a", Named("a"));
  Handler h = router.AsHandler();
  router.Add("GET", "/b", Named("b"));
  EXPECT_EQ(Call(h, "GET", "/b").status, 404);
  EXPECT_EQ(Call(router.AsHandler(), "GET", "/b").body, "b");
}

}  // namespace
}  // namespace hb::http
