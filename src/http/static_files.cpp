#include "http/static_files.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>
#include <utility>

namespace hb::http {

namespace fs = std::filesystem;

namespace {

struct Type {
  std::string_view extension;
  std::string_view content_type;
};

constexpr Type kTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
    {".xml", "application/xml"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".otf", "font/otf"},
    {".wasm", "application/wasm"},
    {".pdf", "application/pdf"},
};

// Splits "/a/b/c" into segments and refuses traversal attempts.
bool SafeRelativePath(std::string_view path, std::string& out) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return false;
  }
  out.clear();
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(pos, slash - pos);
    if (segment == "." || segment == "..") return false;
    if (!segment.empty()) {
      if (!out.empty()) out.push_back('/');
      out.append(segment);
    }
    pos = slash + 1;
  }
  return true;
}

bool Within(const fs::path& root, const fs::path& p) {
  auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r == root.end();
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  size_t pos = 0;
  while (pos < if_none_match.size()) {
    size_t comma = if_none_match.find(',', pos);
    if (comma == std::string_view::npos) comma = if_none_match.size();
    std::string_view tag = if_none_match.substr(pos, comma - pos);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);  // weak comparison (RFC 9110 13.1.2)
    if (tag == "*" || tag == etag) return true;
    pos = comma + 1;
  }
  return false;
}

Response Serve(const fs::path& root, const ErrorRenderer& render, const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = RenderError(render, 405, "method " + request.method + " not allowed");
    r.headers.push_back(Header{"Allow", "GET, HEAD"});
    return r;
  }
  std::string relative;
  if (!SafeRelativePath(request.path, relative)) {
    return RenderError(render, 403, "path refused: " + request.path);
  }
  std::error_code ec;
  fs::path file = root / relative;
  if (fs::is_directory(file, ec)) file /= "index.html";
  fs::path real = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(real, ec)) {
    return RenderError(render, 404, "not found: " + request.path);
  }
  if (!Within(root, real)) return RenderError(render, 403, "path refused: " + request.path);

  auto size = fs::file_size(real, ec);
  auto mtime = fs::last_write_time(real, ec);
  if (ec) return RenderError(render, 404, "not found: " + request.path);
  char etag[64];
  int n = std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(size),
                        static_cast<unsigned long long>(mtime.time_since_epoch().count()));
  std::string tag(etag, static_cast<size_t>(n));

  Response r;
  std::string_view type = ContentTypeForPath(real.native());
  r.headers.push_back(Header{"ETag", tag});
  if (type.starts_with("text/html")) r.headers.push_back(Header{"Cache-Control", "no-cache"});
  if (EtagMatches(request.HeaderValue("If-None-Match"), tag)) {
    r.status = 304;
    return r;
  }
  std::ifstream in(real, std::ios::binary);
  r.body.resize(size);
  if (!in.read(r.body.data(), static_cast<std::streamsize>(size))) {
    spdlog::warn("http: cannot read {}", real.native());
    return RenderError(render, 404, "not found: " + request.path);
  }
  r.content_type = std::string(type);
  return r;
}

}  // namespace

std::string_view ContentTypeForPath(std::string_view path) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  std::string_view ext = path.substr(dot);
  for (const Type& t : kTypes) {
    if (EqualsIgnoreCase(t.extension, ext)) return t.content_type;
  }
  return "application/octet-stream";
}

Handler StaticFiles(std::string root_dir, ErrorRenderer render) {
  std::error_code ec;
  fs::path root = fs::canonical(root_dir, ec);
  if (ec) spdlog::warn("http: static root {} is not usable: {}", root_dir, ec.message());
  auto state = std::make_shared<const std::pair<fs::path, ErrorRenderer>>(ec ? fs::path() : root,
                                                                          std::move(render));
  return [state](Request&& request, Responder respond) {
    if (state->first.empty()) {
      return respond(RenderError(state->second, 404, "not found: " + request.path));
    }
    respond(Serve(state->first, state->second, request));
  };
}

}  // namespace hb::http
