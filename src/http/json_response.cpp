#include "http/json_response.h"

namespace hb::http {

Response JsonResponse(int status, std::string body, bool no_store) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = std::move(body);
  if (no_store) r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

}  // namespace hb::http
