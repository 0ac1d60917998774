// WebSite: a Handler serving a single-page web application from files held in memory (the
// build of web/ that the binary embeds, see cmake/web_app.cmake).
//
// - An exact path serves its file; "/" serves options.fallback (index.html).
// - Files under options.immutable_prefix ("/assets/": names carry a content hash) are sent
//   with "Cache-Control: public, max-age=31536000, immutable"; every other file with
//   "no-cache" (revalidated each time through its ETag).
// - A path that is not a file is a client route of the application and gets the fallback
//   page (no-cache), except under a reserved prefix (segment-aware: "/fhir" reserves "/fhir"
//   and "/fhir/x", not "/fhirx") and except a last segment with a dot (a missing asset):
//   those get 404, so an API typo never answers with HTML.
// - A file with a gzip twin is sent gzipped (Content-Encoding: gzip, Vary: Accept-Encoding)
//   to clients whose Accept-Encoding allows gzip; each representation has its own strong
//   ETag. If-None-Match with a matching tag gets 304.
// - Methods other than GET and HEAD get 405 with "Allow: GET, HEAD".
//
// Contract: the file bodies are views into storage that outlives the handler (the binary's
// read-only data); the Handler is immutable, thread-safe, and answers synchronously.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace hb::http {

struct SiteFile {
  std::string path;            // "/assets/index-3f2a1b.js", starting with '/'
  std::string_view body;       // the file's bytes
  std::string_view gzip_body;  // the same, gzip-compressed; empty when there is none
  std::string etag;            // strong entity tag with its quotes: "\"9f86d081884c7d65\""
};

struct SiteOptions {
  std::string fallback = "/index.html";
  std::string immutable_prefix = "/assets/";
  std::vector<std::string> reserved_prefixes;  // e.g. "/fhir", "/auth", "/api"
};

Handler WebSite(std::vector<SiteFile> files, SiteOptions options, ErrorRenderer render = {});

// Whether an Accept-Encoding header value allows gzip (a "gzip" or "*" coding without q=0).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace hb::http
