#include "http/internal/response_head.h"

// clang-format off
#include <ostream>  // first: Beast 1.74's status.hpp uses std::ostream without including it
#include <boost/beast/http/status.hpp>
// clang-format on
#include <charconv>
#include <ctime>

namespace hb::http::internal {

namespace {

bool Clean(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

bool ContainsCloseToken(std::string_view v) {
  // "close" anywhere in a comma-separated token list, case-insensitively.
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t comma = v.find(',', pos);
    if (comma == std::string_view::npos) comma = v.size();
    std::string_view token = v.substr(pos, comma - pos);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
      token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (EqualsIgnoreCase(token, "close")) return true;
    pos = comma + 1;
  }
  return false;
}

void AppendNumber(std::string& out, size_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

}  // namespace

std::string_view HttpDate() {
  thread_local char buf[40] = {};
  thread_local std::time_t cached = 0;
  thread_local size_t len = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    len = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached = now;
  }
  return {buf, len};
}

HeadPlan BuildResponseHead(const Response& response, bool close, int version, bool head_request,
                           std::string_view extra, std::string& out) {
  int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  bool no_body_status = status < 200 || status == 204 || status == 304;

  for (const Header& h : response.headers) {
    if (EqualsIgnoreCase(h.name, "connection") && ContainsCloseToken(h.value)) close = true;
  }

  out.clear();
  out.append("HTTP/1.1 ");
  AppendNumber(out, static_cast<size_t>(status));
  out.push_back(' ');
  auto reason = boost::beast::http::obsolete_reason(boost::beast::http::int_to_status(status));
  if (reason.empty() || reason.front() == '<') {
    out.append("Unknown");
  } else {
    out.append(reason.data(), reason.size());
  }
  out.append("\r\nServer: healthbook\r\nDate: ");
  out.append(HttpDate());
  out.append("\r\n");
  if (!response.content_type.empty() && Clean(response.content_type)) {
    AppendHeader(out, "Content-Type", response.content_type);
  }
  const bool streamed = static_cast<bool>(response.on_stream) && !head_request;
  if (streamed) close = true;  // the body ends when the connection does
  const uint64_t length = response.body_source ? response.body_source->Size()
                                               : static_cast<uint64_t>(response.body.size());
  if (!no_body_status && !streamed) {
    out.append("Content-Length: ");
    AppendNumber(out, length);
    out.append("\r\n");
  }
  for (const Header& h : response.headers) {
    if (h.name.empty() || !Clean(h.name) || !Clean(h.value)) continue;
    if (EqualsIgnoreCase(h.name, "content-length") || EqualsIgnoreCase(h.name, "connection") ||
        EqualsIgnoreCase(h.name, "date") || EqualsIgnoreCase(h.name, "server") ||
        EqualsIgnoreCase(h.name, "transfer-encoding")) {
      continue;
    }
    AppendHeader(out, h.name, h.value);
  }
  if (!extra.empty()) out.append(extra.data(), extra.size());
  if (close) {
    out.append("Connection: close\r\n");
  } else if (version == 10) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n");
  return HeadPlan{close, !head_request && !no_body_status && length > 0};
}

}  // namespace hb::http::internal
