// Router: dispatches requests to handlers by method and decoded path.
//
// Routes are exact (Add) or prefix (AddPrefix, segment-aware: "/fhir" matches "/fhir" and
// "/fhir/Patient" but not "/fhirx"; "/" matches everything; the longest prefix wins). An exact
// route beats any prefix. Method "*" matches any method; a HEAD request falls back to the GET
// route. A path that matches no route gets 404; a path that matches only routes for other
// methods gets 405 with an Allow header. Both are rendered through the ErrorRenderer given to
// AsHandler (text/plain when none).
//
// Contract: build the router on one thread, then call AsHandler, which snapshots the routes
// into an immutable table; the returned Handler is thread-safe (as thread-safe as the handlers
// it calls). Adding routes afterwards does not affect handlers already made.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "http/message.h"

namespace hb::http {

class Router {
 public:
  void Add(std::string method, std::string path, Handler h);          // exact; "*" = any method
  void AddPrefix(std::string method, std::string prefix, Handler h);  // longest prefix wins
  Handler AsHandler(ErrorRenderer render = {}) const;

  struct Route {
    std::string method;
    Handler handler;
  };
  struct Prefix {
    std::string prefix;
    std::vector<Route> routes;
  };

 private:
  std::unordered_map<std::string, std::vector<Route>> exact_;
  std::vector<Prefix> prefixes_;
};

}  // namespace hb::http
