// The web application linked into the binary at build time (cmake/web_app.cmake embeds
// web/dist, or the placeholder page when the web build was not available).
//
// Contract: the views point into the binary's read-only data and live as long as the
// process; thread-safe.
#pragma once

#include <vector>

#include "http/web_site.h"

namespace hb::app {

// Every embedded file: its URL path, bytes, gzip twin and ETag.
std::vector<http::SiteFile> EmbeddedWebFiles();

// True when the embedded files are the built web application; false for the placeholder.
bool EmbeddedWebAppBuilt();

}  // namespace hb::app
