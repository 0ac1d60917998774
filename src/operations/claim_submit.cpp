// POST Encounter/{id}/$claim-submit (claim_operations.h): after a rejected or invalid claim
// was corrected at its source (a ChargeItem, a diagnosis), rebuild it and queue it again.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "operations/claim_operations.h"
#include "operations/op_support.h"
#include "rest/outcome.h"

namespace hb::operations {

namespace {

std::string ResultJson(const std::vector<claims::QueueResult>& results) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto part = [&](const char* name, const char* type, const std::string& value) {
    w.StartObject();
    w.Key("name");
    w.String(name);
    w.Key(type);
    w.String(value.c_str());
    w.EndObject();
  };
  w.StartObject();
  w.Key("resourceType");
  w.String("Parameters");
  w.Key("parameter");
  w.StartArray();
  for (const auto& r : results) {
    w.StartObject();
    w.Key("name");
    w.String("result");
    w.Key("part");
    w.StartArray();
    part("portal", "valueString", r.portal);
    part("outcome", "valueCode", r.outcome);
    part("MA_LK", "valueString", r.ma_lk);
    for (const auto& e : r.errors) part("error", "valueString", claims::FormatError(e));
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

class ClaimSubmitOperation : public EncounterClaimOperation {
 public:
  explicit ClaimSubmitOperation(std::shared_ptr<const ClaimOperationsContext> ctx)
      : EncounterClaimOperation(std::move(ctx), "claim-submit", /*allows_get=*/false) {}

 protected:
  void RunGranted(rest::OperationCall call, http::Responder respond,
                  const ClaimGrant& grant) const override {
    if (!ctx().delivery) {
      return respond(
          rest::ErrorResponse(Status(ErrorCode::kUnavailable,
                                     "no claims portal is configured (claims.national_url, "
                                     "claims.provincial_url)")));
    }
    // Builds and signs, then one short write: fine on an io thread for a single episode.
    auto results = ctx().delivery->Queue(call.id, /*resubmit=*/true);
    if (!results.ok()) return respond(rest::ErrorResponse(results.status()));
    AuditClaim(call, "U", grant);
    RespondJson(call, respond, 200, ResultJson(*results));
  }
};

}  // namespace

std::unique_ptr<rest::Operation> MakeClaimSubmit(
    std::shared_ptr<const ClaimOperationsContext> ctx) {
  return std::make_unique<ClaimSubmitOperation>(std::move(ctx));
}

}  // namespace hb::operations
