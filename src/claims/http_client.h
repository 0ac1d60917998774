// Outbound HTTP for the portal clients: url-encoded forms and multipart bodies over
// common/outbound_http.h (libcurl; a whole-request timeout, TLS verification on). One
// connection per request; the portals see a handful of requests a second at most.
//
// Contract: thread-safe. Transport failures (no route, refused, timeout, TLS) are a response
// with status 0 and `error` set, never a throw.
#pragma once

#include <string>
#include <vector>

#include "common/outbound_http.h"

namespace hb::claims {

using Fields = HttpFields;
using FilePart = MultipartPart;  // name ("files"), filename ("hoso.xml"), type, content
using HttpResponse = OutboundResponse;

// POSTs `r` (its url, headers, timeout, basic authentication; method and body are set here)
// with `form` url-encoded as its body.
HttpResponse PostForm(OutboundRequest r, const Fields& form);
// POSTs `r` as multipart/form-data: the plain `fields` first, then the `files`.
HttpResponse PostMultipart(OutboundRequest r, const Fields& fields,
                           const std::vector<FilePart>& files);

// Lower-case hex MD5 of `text` (the portals want the password as its MD5).
std::string Md5Hex(std::string_view text);

}  // namespace hb::claims
