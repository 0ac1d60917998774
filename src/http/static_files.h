// StaticFiles: a Handler serving the files under a directory (the built web front end).
//
// The request's decoded path is looked up under root_dir ("/" and directories -> index.html).
// Responses carry Content-Type by extension, a strong ETag from size and modification time,
// and "Cache-Control: no-cache" for HTML; If-None-Match with a matching tag gets 304.
// Refused with 403: any "." or ".." segment, backslashes, NUL bytes, and paths that resolve
// (through symlinks) outside root_dir. Missing files get 404; methods other than GET and HEAD
// get 405. Errors are rendered through `render` (text/plain when none).
//
// Contract: the Handler is thread-safe and answers synchronously on the calling io thread
// (files are read whole; meant for a front end's assets, not for bulk data). A root_dir that
// does not exist makes every request 404.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace hb::http {

Handler StaticFiles(std::string root_dir, ErrorRenderer render = {});

// "text/css; charset=utf-8" for "a/b.css"; "application/octet-stream" when unknown.
std::string_view ContentTypeForPath(std::string_view path);

}  // namespace hb::http
