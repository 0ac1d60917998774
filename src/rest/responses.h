// Rendering FHIR responses: single resources with their headers, and Bundles
// (history, searchset) that embed the stored JSON bytes without re-parsing.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"
#include "rest/request_context.h"
#include "storage/resource_store.h"

namespace hb::rest {

std::string VersionTag(int64_t version);  // W/"3"
std::string ResourceLocation(const RequestContext& ctx, const storage::ResourceVersion& v);
// JSON body with FHIR content type; pretty-printed when ctx.pretty.
http::Response JsonResponse(int status, std::string body, const RequestContext& ctx);
// A resource with ETag and Last-Modified (and Location when `location`),
// honouring Prefer: return=.
http::Response ResourceResponse(int status, const storage::ResourceVersion& v,
                                const RequestContext& ctx, bool location);
http::Response GoneResponse(const storage::ResourceVersion& v);

// base URL + path + "?k=v&..." with the values percent-encoded (links of Bundles).
std::string SelfUrl(const RequestContext& ctx, std::string_view path,
                    const std::vector<std::pair<std::string, std::string>>& params);

// Bundle.entry.response.status text for a stored version as history shows it.
std::string_view HistoryStatus(const storage::ResourceVersion& v);

}  // namespace hb::rest
