// POST Encounter/$call-next: Parameters `department` (and `serviceProvider` for a caller
// without a facility) -> the Encounter of the next waiting patient of that department
// today, now called: status in-progress, the waiting time in statusHistory, `called` in
// its ticket. The next is the lowest number among the highest priority (emergency and
// stat, then urgent, then routine). 404 when nobody waits.
//
// Choosing and updating run together on the store's writer, so two desks calling at once
// never call the same patient.
#include "common/clock.h"
#include "operations/department.h"
#include "operations/factories.h"
#include "reception/queue_snapshot.h"
#include "rest/outcome.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

class CallNextOperation : public rest::Operation {
 public:
  explicit CallNextOperation(ContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "call-next"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kType && type == "Encounter";
  }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Encounter-call-next";
  }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    Status allowed =
        call.policy->CheckInteraction(*call.principal, "Encounter", access::Op::kUpdate);
    if (!Permit(call, respond, allowed, "Encounter")) return;
    auto in = ParametersIn::FromBody(call.req.body);
    if (!in.ok()) return RespondError(respond, in.status());
    auto org = FacilityOrg(call, *in);
    if (!org.ok()) return RespondError(respond, org.status());
    auto txn = call.store->BeginRead();
    auto dept = ReadDepartment(*txn, *in);
    txn.reset();
    if (!dept.ok()) return RespondError(respond, dept.status());
    auto called = std::make_shared<storage::ResourceVersion>();
    const int offset = ctx_->options.utc_offset_minutes;
    WriteAsCaller(
        call,
        [called, offset, org = *org, key_dept = dept->key](storage::WriteTxn& txn,
                                                           rest::Actor& actor) -> Status {
          reception::QueueKey key{org, key_dept, reception::LocalDay(txn.Now(), offset)};
          HB_ASSIGN_OR_RETURN(auto queue, reception::ComputeQueueSnapshot(txn, key));
          auto order = queue.CallOrder();
          if (order.empty()) {
            return Status(ErrorCode::kNotFound, "nobody is waiting in department " + key_dept +
                                                    " today (" + reception::DayIso(key.day) + ")");
          }
          const reception::QueueTicket& next = *order.front();
          HB_ASSIGN_OR_RETURN(auto current, txn.Read("Encounter", next.encounter_id));
          HB_ASSIGN_OR_RETURN(std::string json,
                              reception::CalledEncounterJson(current.json, txn.Now()));
          HB_ASSIGN_OR_RETURN(
              *called, UpdateResource(txn, &actor, json, next.encounter_id, current.version));
          return Status::Ok();
        },
        [called, call_ctx = call.ctx, respond = std::move(respond)](Status st) {
          if (!st.ok()) return respond(rest::ErrorResponse(st));
          rest::RequestContext ctx = call_ctx;
          ctx.prefer_return = rest::PreferReturn::kRepresentation;
          respond(rest::ResourceResponse(200, *called, ctx, false));
        });
  }

 private:
  ContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeCallNext(ContextPtr ctx) {
  return std::make_unique<CallNextOperation>(std::move(ctx));
}

}  // namespace hb::operations
