#include "http/router.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string_view>
#include <utility>

namespace hb::http {

namespace {

struct Table {
  std::unordered_map<std::string, std::vector<Router::Route>> exact;
  std::vector<Router::Prefix> prefixes;  // longest first
  ErrorRenderer render;
};

bool PrefixMatches(std::string_view prefix, std::string_view path) {
  if (!path.starts_with(prefix)) return false;
  if (path.size() == prefix.size() || prefix.empty() || prefix.back() == '/') return true;
  return path[prefix.size()] == '/';
}

// The route for `method`, else "*", else GET for HEAD; nullptr when none.
const Handler* Find(const std::vector<Router::Route>& routes, std::string_view method) {
  const Handler* any = nullptr;
  const Handler* get = nullptr;
  for (const auto& r : routes) {
    if (r.method == method) return &r.handler;
    if (r.method == "*" && !any) any = &r.handler;
    if (r.method == "GET" && !get) get = &r.handler;
  }
  if (any) return any;
  if (method == "HEAD") return get;
  return nullptr;
}

void CollectAllowed(const std::vector<Router::Route>& routes, std::set<std::string>& allowed) {
  for (const auto& r : routes) {
    allowed.insert(r.method);
    if (r.method == "GET") allowed.insert("HEAD");
  }
}

void Dispatch(const Table& table, Request&& request, Responder respond) {
  const std::vector<Router::Route>* matched[2] = {nullptr, nullptr};
  if (auto it = table.exact.find(request.path); it != table.exact.end()) {
    if (const Handler* h = Find(it->second, request.method)) {
      return (*h)(std::move(request), std::move(respond));
    }
    matched[0] = &it->second;
  }
  for (const auto& p : table.prefixes) {
    if (!PrefixMatches(p.prefix, request.path)) continue;
    if (const Handler* h = Find(p.routes, request.method)) {
      return (*h)(std::move(request), std::move(respond));
    }
    if (!matched[1]) matched[1] = &p.routes;
  }
  if (!matched[0] && !matched[1]) {
    return respond(RenderError(table.render, 404, "no route for " + request.path));
  }
  std::set<std::string> allowed;
  for (const auto* routes : matched) {
    if (routes) CollectAllowed(*routes, allowed);
  }
  std::string allow;
  for (const auto& m : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  Response r = RenderError(table.render, 405,
                           "method " + request.method + " not allowed on " + request.path);
  r.headers.push_back(Header{"Allow", std::move(allow)});
  respond(std::move(r));
}

}  // namespace

void Router::Add(std::string method, std::string path, Handler h) {
  exact_[std::move(path)].push_back(Route{std::move(method), std::move(h)});
}

void Router::AddPrefix(std::string method, std::string prefix, Handler h) {
  for (auto& p : prefixes_) {
    if (p.prefix == prefix) {
      p.routes.push_back(Route{std::move(method), std::move(h)});
      return;
    }
  }
  prefixes_.push_back(Prefix{std::move(prefix), {Route{std::move(method), std::move(h)}}});
}

Handler Router::AsHandler(ErrorRenderer render) const {
  auto table = std::make_shared<Table>();
  table->exact = exact_;
  table->prefixes = prefixes_;
  std::stable_sort(
      table->prefixes.begin(), table->prefixes.end(),
      [](const Prefix& a, const Prefix& b) { return a.prefix.size() > b.prefix.size(); });
  table->render = std::move(render);
  return [table = std::shared_ptr<const Table>(std::move(table))](Request&& request,
                                                                  Responder respond) {
    Dispatch(*table, std::move(request), std::move(respond));
  };
}

}  // namespace hb::http
