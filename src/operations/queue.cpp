// GET (or POST) Encounter/$queue?department=X[&date=YYYY-MM-DD][&serviceProvider=...]: a
// department's queue for a day (today by default) as Parameters: `department`, `date`,
// `waiting`, `last-number`, then one `ticket` per visit in number order with parts
// `number`, `state` (waiting, called, done, cancelled), `priority`, `encounter`, `patient`,
// `arrived`, `called`. Tickets the caller may not read are left out.
#include "operations/department.h"
#include "operations/factories.h"
#include "reception/queue_snapshot.h"
#include "rest/read_access.h"

namespace hb::operations {

namespace {

Result<std::string> DayParam(const ParametersIn& in, const Context& ctx) {
  HB_ASSIGN_OR_RETURN(auto date, in.Text("date"));
  if (!date) {
    identity::CardDate today = Today(ctx);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", today.year, today.month, today.day);
    return std::string(buf);
  }
  const std::string& d = *date;
  bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-';
  for (size_t i = 0; ok && i < d.size(); ++i) ok = i == 4 || i == 7 || (d[i] >= '0' && d[i] <= '9');
  if (!ok) {
    return Status(ErrorCode::kInvalidArgument,
                  "parameter 'date' must be YYYY-MM-DD, got '" + d + "'");
  }
  return d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2);
}

class QueueOperation : public rest::Operation {
 public:
  explicit QueueOperation(ContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "queue"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kType && type == "Encounter";
  }
  bool AllowsGet() const override { return true; }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Encounter-queue";
  }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    Status allowed =
        call.policy->CheckInteraction(*call.principal, "Encounter", access::Op::kSearch);
    if (!Permit(call, respond, allowed, "Encounter")) return;
    auto in = ReadParameters(call);
    if (!in.ok()) return RespondError(respond, in.status());
    auto org = FacilityOrg(call, *in);
    if (!org.ok()) return RespondError(respond, org.status());
    auto day = DayParam(*in, *ctx_);
    if (!day.ok()) return RespondError(respond, day.status());
    auto txn = call.store->BeginRead();
    auto dept = ReadDepartment(*txn, *in);
    if (!dept.ok()) return RespondError(respond, dept.status());
    reception::QueueKey key{*org, dept->key, *day};
    auto snap = reception::ComputeQueueSnapshot(*txn, key);
    if (!snap.ok()) return RespondError(respond, snap.status());
    rest::ReadAccess access(*call.principal, *call.policy, call.sink, "queue");
    ParametersOut out;
    out.String("department", key.department);
    out.Date("date", reception::DayIso(key.day));
    out.Integer("waiting", snap->waiting);
    out.Integer("last-number", snap->last_number);
    for (const auto& t : snap->tickets) {
      storage::ResourceVersion v;
      v.type = "Encounter";
      v.id = t.encounter_id;
      if (!access.Check(*txn, v).ok()) continue;
      out.BeginPart("ticket");
      out.Integer("number", t.number);
      out.Code("state", reception::TicketState(t));
      out.Code("priority", t.priority.empty() ? "R" : t.priority);
      out.Reference("encounter", "Encounter/" + t.encounter_id);
      out.Reference("patient", t.patient_ref, t.patient_display);
      if (!t.arrived.empty()) out.DateTime("arrived", t.arrived);
      if (!t.called.empty()) out.DateTime("called", t.called);
      out.EndPart();
    }
    txn.reset();
    access.Commit();
    RespondJson(call, respond, 200, out.Finish());
  }

 private:
  ContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeQueue(ContextPtr ctx) {
  return std::make_unique<QueueOperation>(std::move(ctx));
}

}  // namespace hb::operations
