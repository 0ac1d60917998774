#include "http/internal/cors.h"

#include <cctype>

#include "common/ascii.h"

namespace hb::http::internal {

namespace {

constexpr std::string_view kAllowMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr std::string_view kAllowHeaders =
    "Authorization, Content-Type, If-Match, If-None-Exist, If-None-Match, If-Modified-Since, "
    "Prefer, X-CSRF-Token, X-Break-Glass-Reason";
constexpr std::string_view kExposeHeaders = "Location, Content-Location, ETag, Last-Modified";

// "https://host", "http://host:8080", "https://[::1]:443": a serialized origin (RFC 6454).
bool IsOrigin(std::string_view o) {
  size_t sep = o.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  for (char c : o.substr(0, sep)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  std::string_view authority = o.substr(sep + 3);
  if (authority.empty()) return false;
  for (char c : authority) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '/' || c == '?' || c == '#' || c == '@' || c == ',' ||
        c == '*') {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<CorsPolicy>> CorsPolicy::Make(const std::vector<std::string>& origins,
                                                     std::chrono::seconds max_age,
                                                     bool credentials) {
  std::unique_ptr<CorsPolicy> p(new CorsPolicy());
  for (const std::string& o : origins) {
    if (!IsOrigin(o)) {
      return Status(ErrorCode::kInvalidArgument,
                    "CORS origin '" + o +
                        "' is not an origin: write scheme://host[:port], without a path; "
                        "'*' and 'null' are not allowed");
    }
    p->origins_.push_back(AsciiLower(o));
  }
  p->max_age_ = std::to_string(max_age.count());
  p->credentials_ = credentials;
  return p;
}

std::string_view CorsPolicy::Match(std::string_view origin) const {
  if (origin.empty()) return {};
  for (const std::string& o : origins_) {
    if (EqualsIgnoreCase(o, origin)) return o;
  }
  return {};
}

bool CorsPolicy::IsPreflight(const Request& request) {
  return request.method == "OPTIONS" && !request.HeaderValue("Origin").empty() &&
         !request.HeaderValue("Access-Control-Request-Method").empty();
}

Response CorsPolicy::Preflight() const {
  Response r;
  r.status = 204;
  r.headers.push_back({"Access-Control-Allow-Methods", std::string(kAllowMethods)});
  r.headers.push_back({"Access-Control-Allow-Headers", std::string(kAllowHeaders)});
  r.headers.push_back({"Access-Control-Max-Age", max_age_});
  return r;
}

void CorsPolicy::AppendHeaders(std::string_view origin, std::string& head) const {
  head.append("Access-Control-Allow-Origin: ");
  head.append(origin);
  head.append("\r\nVary: Origin\r\n");
  if (credentials_) head.append("Access-Control-Allow-Credentials: true\r\n");
  head.append("Access-Control-Expose-Headers: ");
  head.append(kExposeHeaders);
  head.append("\r\n");
}

}  // namespace hb::http::internal
