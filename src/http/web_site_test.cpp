#include "http/web_site.h"

#include <gtest/gtest.h>

namespace hb::http {
namespace {

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  }
  return "";
}

class WebSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SiteOptions options;
    options.reserved_prefixes = {"/fhir", "/auth", "/api", "/.well-known", "/health"};
    handler_ = WebSite({{"/index.html", "<div id=root></div>", "", "\"i1\""},
                        {"/assets/index-abc123.js", "console.log(1)", "GZ-BYTES", "\"j1\""},
                        {"/favicon.svg", "<svg/>", "", "\"f1\""}},
                       options);
  }

  Response Get(std::string path, std::vector<Header> headers = {}, std::string method = "GET") {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.headers = std::move(headers);
    Response out;
    handler_(std::move(request), [&](Response r) { out = std::move(r); });
    return out;
  }

  Handler handler_;
};

TEST_F(WebSiteTest, IndexIsRevalidatedEveryTime) {
  Response r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<div id=root></div>");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(r, "ETag"), "\"i1\"");
  EXPECT_EQ(Get("/index.html").body, r.body);
  EXPECT_EQ(Get("/favicon.svg").content_type, "image/svg+xml");
  EXPECT_EQ(HeaderOf(Get("/favicon.svg"), "Cache-Control"), "no-cache");
}

TEST_F(WebSiteTest, HashedAssetsAreCachedForAYear) {
  Response r = Get("/assets/index-abc123.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(r, "Vary"), "Accept-Encoding");
  EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "");
}

TEST_F(WebSiteTest, GzipWhenAcceptedWithItsOwnTag) {
  Response r = Get("/assets/index-abc123.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(r.body, "GZ-BYTES");
  EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(r, "ETag"), "\"j1-gz\"");
  EXPECT_EQ(Get("/assets/index-abc123.js", {{"Accept-Encoding", "gzip;q=0, br"}}).body,
            "console.log(1)");
  EXPECT_EQ(Get("/index.html", {{"Accept-Encoding", "gzip"}}).body, "<div id=root></div>");
}

TEST_F(WebSiteTest, ConditionalRequestsGet304) {
  Response r = Get("/assets/index-abc123.js", {{"If-None-Match", "\"zz\", W/\"j1\""}});
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(
      Get("/assets/index-abc123.js", {{"If-None-Match", "\"j1\""}, {"Accept-Encoding", "gzip"}})
          .status,
      200);  // the gzip representation has another tag
  EXPECT_EQ(Get("/", {{"If-None-Match", "\"i1\""}}).status, 304);
}

TEST_F(WebSiteTest, ClientRoutesGetTheApplication) {
  for (const char* route : {"/reception", "/patients/pat-000001", "/display/kham-noi", "/queue"}) {
    Response r = Get(route);
    EXPECT_EQ(r.status, 200) << route;
    EXPECT_EQ(r.body, "<div id=root></div>") << route;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << route;
  }
  EXPECT_EQ(Get("/fhirx").status, 200);  // prefixes are segment-aware
}

TEST_F(WebSiteTest, ApiPathsAndMissingAssetsAre404) {
  for (const char* path :
       {"/fhir", "/fhir/Nope", "/auth/whoami", "/api/queue/stream", "/.well-known/x",
        "/health/deep", "/assets/gone-123.js", "/robots.txt"}) {
    EXPECT_EQ(Get(path).status, 404) << path;
  }
}

TEST_F(WebSiteTest, OnlyGetAndHead) {
  EXPECT_EQ(Get("/", {}, "HEAD").status, 200);
  Response r = Get("/", {}, "POST");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(HeaderOf(r, "Allow"), "GET, HEAD");
}

TEST(AcceptsGzipTest, ReadsTheHeader) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
}

}  // namespace
}  // namespace hb::http
