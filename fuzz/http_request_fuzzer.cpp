// Fuzzes the HTTP/1.1 request parser the server runs on every connection
// (http/internal/request_parser.h over Beast's basic_parser), fed the way a Connection feeds
// it: in pieces, several pipelined requests in a row, with the server's limits (small here so
// that the limits are reached). The first input byte picks the piece size.
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "http/internal/request_parser.h"
#include "http/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 64;
  const char* p = reinterpret_cast<const char*>(data + 1);
  const char* const end = reinterpret_cast<const char*>(data + size);
  std::string buffer;  // received, not yet consumed by the parser
  std::optional<hb::http::internal::RequestParser> parser;
  parser.emplace(4096, 16384);
  int requests = 0;
  for (;;) {
    while (!buffer.empty()) {
      boost::beast::error_code ec;
      size_t n = parser->put(boost::asio::buffer(buffer.data(), buffer.size()), ec);
      buffer.erase(0, n);
      if (ec == boost::beast::http::error::need_more) break;
      if (ec) return 0;  // the server answers 400/413/431 and closes
      if (parser->is_done()) {
        (void)hb::http::ParseQuery(parser->request.query);
        (void)parser->request.HeaderValue("content-type");
        if (++requests == 8) return 0;
        parser.emplace(4096, 16384);
        continue;
      }
      if (n == 0) break;
    }
    if (p == end) {
      boost::beast::error_code ec;
      parser->put_eof(ec);  // the client closed
      return 0;
    }
    size_t n = std::min<size_t>(piece, static_cast<size_t>(end - p));
    buffer.append(p, n);
    p += n;
  }
}
