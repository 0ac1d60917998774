#include "rest/responses.h"

#include <cctype>

#include "common/clock.h"
#include "common/percent_encoding.h"
#include "fhir/json.h"
#include "rest/outcome.h"

namespace hb::rest {

std::string VersionTag(int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

std::string ResourceLocation(const RequestContext& ctx, const storage::ResourceVersion& v) {
  return ctx.base_url + "/" + v.type + "/" + v.id + "/_history/" + std::to_string(v.version);
}

http::Response JsonResponse(int status, std::string body, const RequestContext& ctx) {
  http::Response r;
  r.status = status;
  r.content_type = std::string(kFhirJson);
  if (ctx.pretty && !body.empty()) {
    auto doc = fhir::ParseJson(body, {.max_depth = 256});
    r.body = doc.ok() ? fhir::SerializePretty(*doc) : std::move(body);
  } else {
    r.body = std::move(body);
  }
  return r;
}

http::Response ResourceResponse(int status, const storage::ResourceVersion& v,
                                const RequestContext& ctx, bool location) {
  http::Response r;
  switch (ctx.prefer_return) {
    case PreferReturn::kRepresentation:
      r = JsonResponse(status, v.json, ctx);
      break;
    case PreferReturn::kMinimal:
      r.status = status;
      break;
    case PreferReturn::kOperationOutcome:
      r = JsonResponse(status,
                       InformationOutcomeJson(std::string(status == 201 ? "created " : "stored ") +
                                              v.type + "/" + v.id + " version " +
                                              std::to_string(v.version)),
                       ctx);
      break;
  }
  r.headers.push_back({"ETag", VersionTag(v.version)});
  r.headers.push_back({"Last-Modified", FormatHttpDate(v.last_updated)});
  if (location) r.headers.push_back({"Location", ResourceLocation(ctx, v)});
  return r;
}

http::Response GoneResponse(const storage::ResourceVersion& v) {
  http::Response r = ErrorResponse(Status(
      ErrorCode::kDeleted, v.type + "/" + v.id + " was deleted (version " +
                               std::to_string(v.version) + ", " + FormatInstant(v.last_updated) +
                               "); its history is still readable"));
  r.headers.push_back({"ETag", VersionTag(v.version)});
  r.headers.push_back({"Last-Modified", FormatHttpDate(v.last_updated)});
  return r;
}

std::string_view HistoryStatus(const storage::ResourceVersion& v) {
  if (v.deleted) return "204";
  return v.version == 1 ? "201" : "200";
}

namespace {

// A query component, keeping what is safe and readable in a self link.
std::string Encode(std::string_view s) { return PercentEncode(s, ":/,"); }

}  // namespace

std::string SelfUrl(const RequestContext& ctx, std::string_view path,
                    const std::vector<std::pair<std::string, std::string>>& params) {
  std::string url = ctx.base_url + std::string(path);
  char sep = '?';
  for (const auto& [k, v] : params) {
    url += sep;
    url += Encode(k);
    url += '=';
    url += Encode(v);
    sep = '&';
  }
  return url;
}

}  // namespace hb::rest
