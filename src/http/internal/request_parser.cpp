#include "http/internal/request_parser.h"

#include <string_view>

#include "http/query.h"

namespace hb::http::internal {

namespace http = boost::beast::http;

namespace {
std::string_view Std(boost::beast::string_view s) { return {s.data(), s.size()}; }
}  // namespace

RequestParser::RequestParser(size_t max_header_bytes, size_t max_body_bytes) {
  header_limit(static_cast<std::uint32_t>(max_header_bytes));
  body_limit(static_cast<std::uint64_t>(max_body_bytes));
}

void RequestParser::on_request_impl(verb, string_view method_str, string_view target_sv,
                                    int http_version, error_code& ec) {
  std::string_view target = Std(target_sv);
  request.method.assign(method_str.data(), method_str.size());
  request.target.assign(target);
  request.headers.reserve(8);
  version = http_version;

  // RFC 9112 section 3.2: origin-form, absolute-form, asterisk-form (OPTIONS only).
  std::string_view path_and_query;
  if (!target.empty() && target.front() == '/') {
    path_and_query = target;
  } else if (target == "*" && request.method == "OPTIONS") {
    request.path.push_back('*');
    return;
  } else if (target.starts_with("http://") || target.starts_with("https://")) {
    size_t authority = target.find("//") + 2;
    size_t slash = target.find_first_of("/?", authority);
    path_and_query = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    if (!path_and_query.empty() && path_and_query.front() == '?') {
      request.path.push_back('/');
      request.query.assign(path_and_query.substr(1));
      return;
    }
  } else {
    ec = http::error::bad_target;
    return;
  }
  size_t q = path_and_query.find('?');
  std::string_view path = path_and_query.substr(0, q);
  request.path = PercentDecode(path, /*plus_as_space=*/false);
  if (q != std::string_view::npos) request.query.assign(path_and_query.substr(q + 1));
}

void RequestParser::on_field_impl(field name, string_view name_string, string_view value,
                                  error_code&) {
  if (name == field::expect && EqualsIgnoreCase(Std(value), "100-continue")) {
    expect_continue = true;
  }
  request.headers.push_back(Header{std::string(name_string.data(), name_string.size()),
                                   std::string(value.data(), value.size())});
}

void RequestParser::on_body_init_impl(boost::optional<std::uint64_t> const& content_length,
                                      error_code&) {
  // The base class has already refused lengths over the body limit.
  if (content_length) request.body.reserve(static_cast<size_t>(*content_length));
}

size_t RequestParser::on_body_impl(string_view body, error_code&) {
  request.body.append(body.data(), body.size());
  return body.size();
}

size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  request.body.append(body.data(), body.size());
  return body.size();
}

}  // namespace hb::http::internal
