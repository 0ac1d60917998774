#include "http/web_site.h"

#include <memory>
#include <unordered_map>
#include <utility>

#include "http/static_files.h"

namespace hb::http {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool TagListMatches(std::string_view if_none_match, std::string_view etag) {
  size_t pos = 0;
  while (pos <= if_none_match.size()) {
    size_t comma = if_none_match.find(',', pos);
    if (comma == std::string_view::npos) comma = if_none_match.size();
    std::string_view tag = Trim(if_none_match.substr(pos, comma - pos));
    if (tag.starts_with("W/")) tag.remove_prefix(2);  // weak comparison (RFC 9110 13.1.2)
    if (tag == "*" || tag == etag) return true;
    pos = comma + 1;
  }
  return false;
}

bool UnderPrefix(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/' || prefix.ends_with('/');
}

struct Site {
  std::unordered_map<std::string, SiteFile> files;
  SiteOptions options;
  ErrorRenderer render;
};

Response Serve(const Site& site, const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = RenderError(site.render, 405, "method " + request.method + " not allowed");
    r.headers.push_back(Header{"Allow", "GET, HEAD"});
    return r;
  }
  const std::string& path = request.path == "/" ? site.options.fallback : request.path;
  auto it = site.files.find(path);
  if (it == site.files.end()) {
    for (const std::string& prefix : site.options.reserved_prefixes) {
      if (UnderPrefix(request.path, prefix))
        return RenderError(site.render, 404, "not found: " + request.path);
    }
    std::string_view last = std::string_view(request.path).substr(request.path.rfind('/') + 1);
    if (last.find('.') != std::string_view::npos) {
      return RenderError(site.render, 404, "not found: " + request.path);
    }
    it = site.files.find(site.options.fallback);  // a client route of the application
    if (it == site.files.end()) return RenderError(site.render, 404, "not found: " + request.path);
  }
  const SiteFile& file = it->second;
  const bool immutable = !site.options.immutable_prefix.empty() &&
                         file.path.starts_with(site.options.immutable_prefix);
  const bool gzip = !file.gzip_body.empty() && AcceptsGzip(request.HeaderValue("accept-encoding"));
  std::string etag = file.etag;
  if (gzip && etag.size() >= 2) etag.insert(etag.size() - 1, "-gz");

  Response r;
  r.headers.push_back(Header{"ETag", etag});
  r.headers.push_back(
      Header{"Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache"});
  if (!file.gzip_body.empty()) r.headers.push_back(Header{"Vary", "Accept-Encoding"});
  if (TagListMatches(request.HeaderValue("if-none-match"), etag)) {
    r.status = 304;
    return r;
  }
  r.content_type = std::string(ContentTypeForPath(file.path));
  if (gzip) {
    r.headers.push_back(Header{"Content-Encoding", "gzip"});
    r.body.assign(file.gzip_body);
  } else {
    r.body.assign(file.body);
  }
  return r;
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  size_t pos = 0;
  while (pos < accept_encoding.size()) {
    size_t comma = accept_encoding.find(',', pos);
    if (comma == std::string_view::npos) comma = accept_encoding.size();
    std::string_view item = Trim(accept_encoding.substr(pos, comma - pos));
    pos = comma + 1;
    size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    if (!EqualsIgnoreCase(coding, "gzip") && !EqualsIgnoreCase(coding, "x-gzip") && coding != "*") {
      continue;
    }
    if (semi != std::string_view::npos) {
      std::string_view param = Trim(item.substr(semi + 1));
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        std::string_view q = Trim(param.substr(2));
        bool zero = !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
        if (zero) continue;
      }
    }
    return true;
  }
  return false;
}

Handler WebSite(std::vector<SiteFile> files, SiteOptions options, ErrorRenderer render) {
  auto site = std::make_shared<Site>();
  for (SiteFile& f : files) {
    std::string key = f.path;
    site->files.emplace(std::move(key), std::move(f));
  }
  site->options = std::move(options);
  site->render = std::move(render);
  std::shared_ptr<const Site> frozen = std::move(site);
  return [frozen](Request&& request, Responder respond) { respond(Serve(*frozen, request)); };
}

}  // namespace hb::http
