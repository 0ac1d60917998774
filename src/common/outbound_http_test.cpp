#include "common/outbound_http.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace hb {
namespace {

// A one-request HTTP server on a loopback port: keeps the request as received and answers
// `reply` (a whole HTTP response).
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(::listen(fd_, 1), 0);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotServer() {
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  void Serve() {
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    char buf[4096];
    size_t want = std::string::npos;
    while (request_.size() < want) {
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      request_.append(buf, static_cast<size_t>(n));
      size_t head = request_.find("\r\n\r\n");
      if (head != std::string::npos && want == std::string::npos) {
        size_t length = 0;
        size_t at = request_.find("Content-Length: ");
        if (at != std::string::npos && at < head) length = std::stoul(request_.substr(at + 16));
        want = head + 4 + length;
      }
    }
    ssize_t sent = ::write(c, reply_.data(), reply_.size());
    (void)sent;
    ::close(c);
  }

  std::string reply_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::string request_;
};

constexpr char kCreated[] =
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
    "Connection: close\r\n\r\n{\"ok\":true}";

TEST(OutboundHttp, PostsABodyWithHeadersAndReadsTheAnswer) {
  OneShotServer server(kCreated);
  OutboundRequest r;
  r.method = "POST";
  r.url = server.url() + "/api/v1/don-thuoc";
  r.headers = {{"Content-Type", "application/json; charset=utf-8"},
               {"Authorization", "Bearer t0k"}};
  r.body = R"({"ma":"Lò"})";
  OutboundResponse a = SendHttp(r);
  EXPECT_EQ(a.status, 201) << a.error;
  EXPECT_EQ(a.body, "{\"ok\":true}");
  const std::string& got = server.request();
  EXPECT_EQ(got.rfind("POST /api/v1/don-thuoc HTTP/1.1\r\n", 0), 0u) << got;
  EXPECT_NE(got.find("Authorization: Bearer t0k\r\n"), std::string::npos);
  EXPECT_NE(got.find("Content-Type: application/json; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(got.substr(got.size() - r.body.size()), r.body);
}

TEST(OutboundHttp, GetWithBasicAuthentication) {
  OneShotServer server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  OutboundHttp client;
  OutboundRequest r;
  r.url = server.url() + "/studies/x";
  r.username = "orthanc";
  r.password = "secret";
  OutboundResponse a = client.Send(r);
  EXPECT_EQ(a.status, 404);  // an HTTP answer, whatever its status
  const std::string& got = server.request();
  EXPECT_EQ(got.rfind("GET /studies/x HTTP/1.1\r\n", 0), 0u) << got;
  EXPECT_NE(got.find("Authorization: Basic b3J0aGFuYzpzZWNyZXQ=\r\n"), std::string::npos) << got;
}

TEST(OutboundHttp, SendsMultipartFiles) {
  OneShotServer server(kCreated);
  OutboundRequest r;
  r.method = "POST";
  r.url = server.url() + "/api/Cong130/CheckIn";
  r.multipart = {{"username", "", "", "demo"}, {"files", "hoso.xml", "application/xml", "<x/>"}};
  EXPECT_EQ(SendHttp(r).status, 201);
  const std::string& got = server.request();
  EXPECT_NE(got.find("Content-Type: multipart/form-data; boundary="), std::string::npos) << got;
  EXPECT_NE(got.find("name=\"files\"; filename=\"hoso.xml\""), std::string::npos) << got;
  EXPECT_NE(got.find("Content-Type: application/xml\r\n\r\n<x/>"), std::string::npos) << got;
  EXPECT_NE(got.find("name=\"username\"\r\n\r\ndemo"), std::string::npos) << got;
}

TEST(OutboundHttp, NoAnswerIsStatusZeroWithTheReason) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);  // a port nobody listens on
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), len), 0);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  OutboundRequest r;
  r.url = "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/";
  r.timeout = std::chrono::milliseconds(2000);
  OutboundResponse out = SendHttp(r);
  ::close(fd);
  EXPECT_EQ(out.status, 0);
  EXPECT_FALSE(out.error.empty());
  r.url = "file:///etc/passwd";  // only http and https
  out = SendHttp(r);
  EXPECT_EQ(out.status, 0);
  EXPECT_TRUE(out.body.empty());
}

TEST(OutboundHttp, FormUrlEncoding) {
  EXPECT_EQ(FormUrlEncode({{"username", "demo"}, {"fileHSBase64", "a+b/c="}, {"tên", "Lò"}}),
            "username=demo&fileHSBase64=a%2Bb%2Fc%3D&t%C3%AAn=L%C3%B2");
  EXPECT_EQ(FormUrlEncode({}), "");
}

}  // namespace
}  // namespace hb
