// Test helpers for the http module's tests (not linked into the server): a Server run by a
// background thread on a free loopback port, and a blocking HTTP/1.1 client over plain TCP or
// TLS. Every client operation times out after 5 s. Not thread-safe; one test thread each.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/server.h"

namespace hb::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using BeastResponse = bhttp::response<bhttp::string_body>;

inline Response Text(std::string body, int status = 200) {
  Response r;
  r.status = status;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

// A Server on a free loopback port, run by a background thread.
class TestServer {
 public:
  explicit TestServer(Handler handler, ServerOptions options = {}) {
    options.port = 0;
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<Server>(std::move(options), std::move(handler));
    Status status = server_->Start();
    EXPECT_TRUE(status.ok()) << status.ToString();
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~TestServer() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }
  uint16_t port() const { return server_->port(); }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

// A blocking client over one connection. Stream: beast::tcp_stream, or
// beast::ssl_stream<beast::tcp_stream> (construct with the client's ssl::context, then
// Handshake()).
template <class Stream>
class BasicClient {
 public:
  template <class... Args>
  explicit BasicClient(uint16_t port, Args&... args) : stream_(ioc_, args...) {
    Tcp().expires_after(5s);
    Tcp().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }
  Stream& stream() { return stream_; }

  beast::error_code Handshake(const std::string& server_name) {  // TLS only
    SSL_set_tlsext_host_name(stream_.native_handle(), server_name.c_str());
    beast::error_code ec;
    Tcp().expires_after(5s);
    stream_.handshake(asio::ssl::stream_base::client, ec);
    return ec;
  }
  BeastResponse Send(bhttp::verb verb, std::string target, std::string body = {},
                     std::vector<Header> headers = {}) {
    bhttp::request<bhttp::string_body> request(verb, target, 11);
    request.set(bhttp::field::host, "localhost");
    for (const auto& h : headers) request.set(h.name, h.value);
    if (!body.empty() || verb == bhttp::verb::post) request.body() = std::move(body);
    request.prepare_payload();
    Tcp().expires_after(5s);
    bhttp::write(stream_, request);
    return Read(verb == bhttp::verb::head);
  }
  void WriteRaw(std::string_view bytes) {
    Tcp().expires_after(5s);
    asio::write(stream_, asio::buffer(bytes.data(), bytes.size()));
  }
  BeastResponse Read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    Tcp().expires_after(5s);
    bhttp::read(stream_, buffer_, parser);
    return parser.release();
  }
  std::string ReadLine() {  // up to the first blank line, for "100 Continue"
    Tcp().expires_after(5s);
    for (;;) {
      std::string data = beast::buffers_to_string(buffer_.data());
      if (size_t end = data.find("\r\n\r\n"); end != std::string::npos) {
        buffer_.consume(end + 4);
        return data.substr(0, end + 4);
      }
      buffer_.commit(stream_.read_some(buffer_.prepare(1024)));
    }
  }
  bool ClosedByPeer() {  // true when the server closes the connection
    beast::error_code ec;
    char c;
    Tcp().expires_after(5s);
    stream_.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::ssl::error::stream_truncated;
  }

 private:
  asio::io_context ioc_;
  Stream stream_;
  beast::flat_buffer buffer_;
};

using Client = BasicClient<beast::tcp_stream>;
using TlsClient = BasicClient<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace hb::http::testing
