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

class ClaimSubmitOperation : public rest::Operation {
 public:
  explicit ClaimSubmitOperation(std::shared_ptr<const ClaimOperationsContext> ctx)
      : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "claim-submit"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kInstance && type == "Encounter";
  }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Encounter-claim-submit";
  }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    ClaimGrant grant;
    if (!Permit(call, respond, CheckClaimAccess(call, &grant), "Encounter")) return;
    if (!ctx_->delivery) {
      return respond(
          rest::ErrorResponse(Status(ErrorCode::kUnavailable,
                                     "no claims portal is configured (claims.national_url, "
                                     "claims.provincial_url)")));
    }
    // Builds and signs, then one short write: fine on an io thread for a single episode.
    auto results = ctx_->delivery->Queue(call.id, /*resubmit=*/true);
    if (!results.ok()) return respond(rest::ErrorResponse(results.status()));
    AuditClaim(call, "U", grant);
    RespondJson(call, respond, 200, ResultJson(*results));
  }

 private:
  std::shared_ptr<const ClaimOperationsContext> ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeClaimSubmit(
    std::shared_ptr<const ClaimOperationsContext> ctx) {
  return std::make_unique<ClaimSubmitOperation>(std::move(ctx));
}

}  // namespace hb::operations
