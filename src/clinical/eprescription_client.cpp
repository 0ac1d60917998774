#include "clinical/eprescription_client.h"

#include "common/outbound_http.h"

namespace hb::clinical {

SendResult SendPrescription(const EPrescriptionOptions& options, const std::string& message_json) {
  SendResult r;
  if (options.url.empty()) {
    r.detail = "clinical.eprescription_url is not set";
    return r;
  }
  OutboundRequest req;
  req.method = "POST";
  req.url = options.url + options.path;
  req.headers = {{"Content-Type", "application/json; charset=utf-8"},
                 {"Accept", "application/json"}};
  if (!options.token.empty()) req.headers.emplace_back("Authorization", "Bearer " + options.token);
  req.body = message_json;
  req.timeout = options.timeout;
  OutboundResponse answer = SendHttp(req);
  r.status = answer.status;
  r.detail = answer.status == 0 ? "no answer from " + req.url + ": " + answer.error
                                : std::move(answer.body);
  if (r.status >= 200 && r.status < 300) {
    r.outcome = SendOutcome::kDelivered;
  } else if (r.status == 400 || r.status == 401 || r.status == 403 || r.status == 404 ||
             r.status == 409 || r.status == 422) {
    r.outcome = SendOutcome::kRefused;
  }
  return r;
}

}  // namespace hb::clinical
