#include "http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/temp_dir_test_util.h"

namespace hb::http {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  }
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write(base_ / "www/index.html", "<h1>home</h1>");
    Write(base_ / "www/app.css", "body{}");
    Write(base_ / "www/sub/index.html", "<p>sub</p>");
    Write(base_ / "www/data.bin", "xyz");
    Write(base_ / "secret.txt", "secret");
    fs::create_symlink(base_ / "secret.txt", base_ / "www/link.txt");
    handler_ = StaticFiles((base_ / "www").string());
  }

  Response Get(std::string path, std::string method = "GET", std::vector<Header> headers = {}) {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.headers = std::move(headers);
    Response out;
    handler_(std::move(request), [&](Response r) { out = std::move(r); });
    return out;
  }

  hb::testing::TempDir tmp_{"hb-static"};
  fs::path base_ = tmp_.path();
  Handler handler_;
};

TEST_F(StaticFilesTest, ServesIndexAndTypes) {
  Response index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<h1>home</h1>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache");
  EXPECT_FALSE(HeaderOf(index, "ETag").empty());

  Response css = Get("/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(css.body, "body{}");
  EXPECT_EQ(Get("/data.bin").content_type, "application/octet-stream");
  EXPECT_EQ(Get("/sub/").body, "<p>sub</p>");
  EXPECT_EQ(Get("/sub").body, "<p>sub</p>");
  EXPECT_EQ(Get("//app.css").body, "body{}");
  EXPECT_EQ(Get("/app.css", "HEAD").status, 200);
}

TEST_F(StaticFilesTest, NotModifiedOnMatchingEtag) {
  std::string etag = HeaderOf(Get("/app.css"), "ETag");
  Response same = Get("/app.css", "GET", {{"If-None-Match", etag}});
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  EXPECT_EQ(HeaderOf(same, "ETag"), etag);
  EXPECT_EQ(Get("/app.css", "GET", {{"if-none-match", "\"x\", W/" + etag}}).status, 304);
  EXPECT_EQ(Get("/app.css", "GET", {{"If-None-Match", "\"other\""}}).status, 200);
}

TEST_F(StaticFilesTest, RefusesTraversal) {
  EXPECT_EQ(Get("/../secret.txt").status, 403);
  EXPECT_EQ(Get("/sub/../../secret.txt").status, 403);
  EXPECT_EQ(Get("/./app.css").status, 403);
  EXPECT_EQ(Get("/..\\secret.txt").status, 403);
  EXPECT_EQ(Get(std::string("/app.css\0x", 10)).status, 403);
  Response link = Get("/link.txt");  // a symlink out of the root
  EXPECT_EQ(link.status, 403);
  EXPECT_EQ(link.body.find("secret\n"), std::string::npos);
}

TEST_F(StaticFilesTest, MissingAndWrongMethod) {
  EXPECT_EQ(Get("/missing.js").status, 404);
  Response post = Get("/app.css", "POST");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(HeaderOf(post, "Allow"), "GET, HEAD");
}

TEST_F(StaticFilesTest, MissingRootAndCustomRenderer) {
  Handler h = StaticFiles((base_ / "nope").string(), [](int status, std::string message) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = "{}";
    return r;
  });
  Request request;
  request.method = "GET";
  request.path = "/";
  Response out;
  h(std::move(request), [&](Response r) { out = std::move(r); });
  EXPECT_EQ(out.status, 404);
  EXPECT_EQ(out.content_type, "application/json");
}

TEST(ContentTypeTest, ByExtension) {
  EXPECT_EQ(ContentTypeForPath("a/b.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("x.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeForPath("x.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeForPath("dir.d/file"), "application/octet-stream");
}

}  // namespace
}  // namespace hb::http
