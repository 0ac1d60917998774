// POST Encounter/$start-visit: Parameters `patient` (valueReference), `department` (a code,
// or a Location/Organization reference), optional `coverage` (valueReference to a stored
// Coverage, or `resource`: the unstored check $identify returned), optional `priority`
// (valueCode of v3-ActPriority, or valueBoolean true = UR) -> 201, Parameters with the new
// `encounter` (status arrived, class AMB, the queue ticket), `number`, `coverage`.
//
// The number is allocated on the store's writer inside the write that stores the
// Encounter (reception/queue_snapshot.h), so concurrent visits never share one. Without a
// `coverage`, a patient whose record holds an insurance card gets the card checked for the
// visit (validity and benefit; the network needs the card's MA_DKBD, which only a scan of
// the card or the card-history service gives).
#include "common/clock.h"
#include "common/ids.h"
#include "operations/coverage_record.h"
#include "operations/department.h"
#include "operations/factories.h"
#include "reception/queue_ticket.h"
#include "rest/outcome.h"
#include "rest/read_access.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

constexpr std::string_view kPriorities[] = {"A",   "CR", "CS", "CSP", "CSR", "EL", "EM", "P",
                                            "PRN", "R",  "RR", "S",   "T",   "UD", "UR"};

Result<std::string> ReadPriority(const ParametersIn& in) {
  if (!in.Has("priority")) return std::string();
  if (auto b = in.Bool("priority"); b.ok()) return **b ? std::string("UR") : std::string();
  HB_ASSIGN_OR_RETURN(auto text, in.Text("priority"));
  const std::string code = text.value_or("");
  for (std::string_view p : kPriorities) {
    if (code == p) return code == "R" ? std::string() : code;
  }
  return Status(ErrorCode::kInvalidArgument,
                "parameter 'priority' must be a v3-ActPriority code (EM, UR, S, A, R, ...) or "
                "true; got '" +
                    code + "'",
                "Parameters.parameter");
}

struct Plan {
  reception::VisitRequest visit;
  std::string coverage_json;  // a Coverage to store after the Encounter (with its new id)
  std::optional<reception::InsuranceCard> card;  // or: a check to record
  std::optional<reception::InsuranceCheck> check;
  std::vector<std::string> warnings;
  // Results
  reception::QueueKey key;
  int number = 0;
  storage::ResourceVersion encounter;
  std::string coverage_out;
};

// The Coverage the visit uses, decided before writing: a stored one, one to store, or a
// check of the patient's card.
Status PlanCoverage(storage::ReadTxn& txn, ParametersIn& in, const Context& ctx,
                    const access::Principal& p, const std::string& patient_json, Plan* plan) {
  const std::string& pid = plan->visit.patient_id;
  if (fhir::JsonValue* r = in.Resource("coverage")) {
    if (fhir::MemberString(*r, "resourceType") != "Coverage") {
      return Status(ErrorCode::kInvalidArgument, "parameter 'coverage' must hold a Coverage");
    }
    const fhir::JsonValue* b = fhir::Member(*r, "beneficiary");
    if (!b || !b->IsObject() || fhir::MemberString(*b, "reference") != "Patient/" + pid) {
      return Status(ErrorCode::kInvalidArgument,
                    "the Coverage's beneficiary must be Patient/" + pid);
    }
    plan->coverage_json = fhir::Serialize(*r);
    return Status::Ok();
  }
  HB_ASSIGN_OR_RETURN(auto ref, in.Reference("coverage"));
  if (ref) {
    HB_ASSIGN_OR_RETURN(std::string id, IdFromReference(*ref, "Coverage", "coverage"));
    auto v = txn.Read("Coverage", id);
    if (!v.ok() || v->deleted) {
      return Status(ErrorCode::kInvalidArgument, "Coverage/" + id + " does not exist");
    }
    plan->visit.coverage_id = id;
    plan->coverage_out = v->json;
    return Status::Ok();
  }
  auto doc = fhir::ParseJson(patient_json);
  if (!doc.ok()) return Status::Ok();
  plan->card = reception::CardOfPatient(*doc);
  if (plan->card) plan->check = reception::CheckInsurance(*plan->card, Today(ctx), p.facility);
  return Status::Ok();
}

class StartVisitOperation : public rest::Operation {
 public:
  explicit StartVisitOperation(ContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "start-visit"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kType && type == "Encounter";
  }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Encounter-start-visit";
  }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    if (!Permit(call, respond, CheckReception(call, "Encounter", access::Op::kCreate),
                "Encounter")) {
      return;
    }
    auto plan = std::make_shared<Plan>();
    Status st = Prepare(call, plan.get());
    if (!st.ok()) return RespondError(respond, st);
    auto ctx = ctx_;
    WriteAsCaller(
        call,
        [plan, ctx](storage::WriteTxn& txn, rest::Actor& actor) -> Status {
          const int offset = ctx->options.utc_offset_minutes;
          plan->key = {plan->visit.facility_org, plan->visit.department,
                       reception::LocalDay(txn.Now(), offset)};
          HB_ASSIGN_OR_RETURN(plan->number, ctx->queue_numbers->Next(txn, plan->key));
          std::string new_coverage;
          if (!plan->coverage_json.empty() || plan->check) {
            RecordedCoverage existing;
            if (plan->check) {
              HB_ASSIGN_OR_RETURN(
                  existing, FindCoverage(txn, *plan->card, *plan->check, plan->visit.patient_id));
            }
            if (existing.stored) {
              plan->visit.coverage_id = existing.id;
              plan->coverage_out = existing.json;
            } else {
              new_coverage = NewResourceId();
              plan->visit.coverage_id = new_coverage;
            }
          }
          std::string json =
              reception::EncounterJson(plan->visit, plan->key, plan->number, txn.Now());
          HB_ASSIGN_OR_RETURN(plan->encounter, CreateResource(txn, &actor, json));
          if (new_coverage.empty()) return Status::Ok();
          // After the Encounter: the visit is the care relationship that lets the desk
          // record the patient's insurance.
          if (!plan->coverage_json.empty()) {
            HB_ASSIGN_OR_RETURN(auto v,
                                CreateResource(txn, &actor, plan->coverage_json, new_coverage));
            plan->coverage_out = std::move(v.json);
            return Status::Ok();
          }
          HB_ASSIGN_OR_RETURN(auto rec, RecordCoverage(txn, &actor, *plan->card, *plan->check,
                                                       plan->visit.patient_id,
                                                       plan->visit.patient_display, new_coverage));
          plan->coverage_out = std::move(rec.json);
          return Status::Ok();
        },
        [plan, ctx, call_ctx = call.ctx, respond = std::move(respond)](Status st) {
          if (!st.ok()) return respond(rest::ErrorResponse(st));
          ctx->queue_numbers->Committed(plan->key, plan->number);
          ParametersOut out;
          out.Resource("encounter", plan->encounter.json);
          out.Integer("number", plan->number);
          out.String("department", plan->key.department);
          out.Date("date", reception::DayIso(plan->key.day));
          if (!plan->coverage_out.empty()) out.Resource("coverage", plan->coverage_out);
          std::vector<std::string> warnings = plan->warnings;
          if (plan->check) {
            out.Bool("insurance-valid", plan->check->valid);
            warnings.insert(warnings.end(), plan->check->warnings.begin(),
                            plan->check->warnings.end());
            for (const auto& p : plan->check->problems) warnings.push_back(p);
          }
          for (const auto& w : warnings) out.String("warnings", w);
          http::Response r = rest::JsonResponse(201, out.Finish(), call_ctx);
          r.headers.push_back({"Location", rest::ResourceLocation(call_ctx, plan->encounter)});
          respond(std::move(r));
        });
  }

 private:
  // Reads and checks everything the write needs, on a read transaction.
  Status Prepare(const rest::OperationCall& call, Plan* plan) const {
    HB_ASSIGN_OR_RETURN(ParametersIn in, ParametersIn::FromBody(call.req.body));
    HB_ASSIGN_OR_RETURN(auto pref, in.Reference("patient"));
    if (!pref) {
      return Status(ErrorCode::kInvalidArgument, "parameter 'patient' is required",
                    "Parameters.parameter");
    }
    HB_ASSIGN_OR_RETURN(plan->visit.patient_id, IdFromReference(*pref, "Patient", "patient"));
    HB_ASSIGN_OR_RETURN(plan->visit.priority, ReadPriority(in));
    HB_ASSIGN_OR_RETURN(plan->visit.facility_org, FacilityOrg(call, in));
    auto txn = call.store->BeginRead();
    auto patient = txn->Read("Patient", plan->visit.patient_id);
    if (!patient.ok() || patient->deleted) {
      return Status(ErrorCode::kNotFound, "Patient/" + plan->visit.patient_id + " does not exist");
    }
    rest::ReadAccess access(*call.principal, *call.policy, call.sink, "start-visit");
    Status allowed = access.Check(*txn, *patient);
    access.Commit();
    HB_RETURN_IF_ERROR(allowed);
    auto facility = txn->Read("Organization", plan->visit.facility_org);
    if (!facility.ok() || facility->deleted) {
      return Status(ErrorCode::kInvalidArgument,
                    "the facility Organization/" + plan->visit.facility_org + " does not exist");
    }
    HB_ASSIGN_OR_RETURN(Department d, ReadDepartment(*txn, in));
    plan->visit.department = d.key;
    plan->visit.department_display = d.display;
    plan->visit.location_id = d.location_id;
    plan->visit.patient_display = PatientDisplay(patient->json);
    return PlanCoverage(*txn, in, *ctx_, *call.principal, patient->json, plan);
  }

  ContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeStartVisit(ContextPtr ctx) {
  return std::make_unique<StartVisitOperation>(std::move(ctx));
}

}  // namespace hb::operations
