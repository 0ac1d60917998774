// RequestParser: Beast's HTTP/1.1 request parser writing straight into an hb::http::Request.
//
// Contract (internal): one instance parses one request, then is discarded (construction is
// cheap and does not allocate). Limits come from ServerOptions; exceeding them yields
// beast::http::error::header_limit / body_limit. Not thread-safe; owned by one Connection.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <cstdint>

#include "http/message.h"

namespace hb::http::internal {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  RequestParser(size_t max_header_bytes, size_t max_body_bytes);

  Request request;               // filled as parsing proceeds
  bool expect_continue = false;  // "Expect: 100-continue" was sent
  int version = 11;              // 10 or 11

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;
  using verb = boost::beast::http::verb;
  using field = boost::beast::http::field;

  void on_request_impl(verb method, string_view method_str, string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(boost::optional<std::uint64_t> const& content_length,
                         error_code& ec) override;
  size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code& ec) override;
  void on_finish_impl(error_code&) override {}
};

}  // namespace hb::http::internal
