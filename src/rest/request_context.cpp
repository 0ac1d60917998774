#include "rest/request_context.h"

#include <charconv>

#include "common/ascii.h"
#include "http/query.h"

namespace hb::rest {

namespace {

bool IsJsonMime(std::string_view mime) {
  std::string m = AsciiLower(mime.substr(0, mime.find(';')));
  while (!m.empty() && m.back() == ' ') m.pop_back();
  while (!m.empty() && m.front() == ' ') m.erase(m.begin());
  return m == "json" || m == "application/json" || m == "application/fhir+json" ||
         m == "text/json" || m == "application/json+fhir";
}

// True when the Accept header admits JSON (or anything).
bool AcceptsJson(std::string_view accept) {
  if (accept.empty()) return true;
  size_t start = 0;
  while (start <= accept.size()) {
    size_t end = accept.find(',', start);
    if (end == std::string_view::npos) end = accept.size();
    std::string_view item = accept.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    std::string type = AsciiLower(item.substr(0, item.find(';')));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    if (type == "*/*" || type == "application/*" || IsJsonMime(type)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

Result<RequestContext> MakeContext(const http::Request& req, const std::string& configured_base,
                                   bool negotiated_later) {
  RequestContext ctx;
  if (!configured_base.empty()) {
    ctx.base_url = configured_base;
  } else {
    std::string_view host = req.HeaderValue("host");
    ctx.base_url = "http://" + std::string(host.empty() ? "localhost" : host) + "/fhir";
  }
  ctx.query = http::ParseQuery(req.query);
  bool format_given = false;
  for (const auto& [k, v] : ctx.query) {
    if (k == "_format") {
      format_given = true;
      if (!IsJsonMime(v)) {
        return Status(ErrorCode::kNotAcceptable,
                      "_format=" + v + " is not offered: healthbook speaks FHIR JSON only "
                      "(use _format=json or application/fhir+json)");
      }
    } else if (k == "_pretty") {
      ctx.pretty = v == "true";
    }
  }
  if (!format_given && !negotiated_later && !AcceptsJson(req.HeaderValue("accept"))) {
    return Status(ErrorCode::kNotAcceptable,
                  "Accept: " + std::string(req.HeaderValue("accept")) +
                      " is not offered: healthbook speaks FHIR JSON only (application/fhir+json)");
  }
  std::string prefer = AsciiLower(req.HeaderValue("prefer"));
  if (prefer.find("return=minimal") != std::string::npos) {
    ctx.prefer_return = PreferReturn::kMinimal;
  } else if (prefer.find("return=operationoutcome") != std::string::npos) {
    ctx.prefer_return = PreferReturn::kOperationOutcome;
  }
  ctx.strict = prefer.find("handling=strict") != std::string::npos;
  return ctx;
}

Status CheckBodyType(const http::Request& req, bool patch) {
  std::string_view ct = req.HeaderValue("content-type");
  if (patch) {
    std::string m = AsciiLower(ct.substr(0, ct.find(';')));
    if (m == "application/json-patch+json") return Status::Ok();
    return Status(ErrorCode::kUnsupportedMediaType,
                  "PATCH needs Content-Type application/json-patch+json (JSON Patch); got '" +
                      std::string(ct) + "'");
  }
  if (ct.empty() || IsJsonMime(ct)) return Status::Ok();
  return Status(ErrorCode::kUnsupportedMediaType,
                "Content-Type '" + std::string(ct) +
                    "' is not supported: send application/fhir+json");
}

Result<int64_t> ParseVersionTag(std::string_view tag) {
  std::string_view t = tag;
  if (t.starts_with("W/")) t.remove_prefix(2);
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') t = t.substr(1, t.size() - 2);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size() || v < 1) {
    return Status(ErrorCode::kInvalidArgument,
                  "'" + std::string(tag) + "' is not a version tag such as W/\"3\"");
  }
  return v;
}

}  // namespace hb::rest
