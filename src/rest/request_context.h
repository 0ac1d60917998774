// What a FHIR request asks for beyond its target: base URL, format, pretty
// printing and the Prefer header (https://hl7.org/fhir/R4/http.html#prefer).
//
// Contract: value type, built once per request on the io thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "http/message.h"

namespace hb::rest {

enum class PreferReturn { kRepresentation, kMinimal, kOperationOutcome };

struct RequestContext {
  std::string base_url;  // "http://127.0.0.1:8080/fhir", no trailing slash
  bool pretty = false;
  bool strict = false;  // Prefer: handling=strict
  PreferReturn prefer_return = PreferReturn::kRepresentation;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
};

// Builds the context; fails with kNotAcceptable when only XML (or another
// non-JSON format) is acceptable, per _format and Accept, unless `negotiated_later`: an
// operation ($name) may produce other media types (a claim's XML) and checks Accept itself.
Result<RequestContext> MakeContext(const http::Request& req, const std::string& configured_base,
                                   bool negotiated_later = false);
// Checks that a request body is JSON (or JSON Patch when `patch`): 415 otherwise.
Status CheckBodyType(const http::Request& req, bool patch);
// Parses an ETag/If-Match value: W/"3" or "3" -> 3.
Result<int64_t> ParseVersionTag(std::string_view tag);

}  // namespace hb::rest
