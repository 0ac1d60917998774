// The clinical write rules (rest/write_rules.h) and MedicationRequest/$check
// (docs/implementation/clinical.md):
//   Observation       vital signs checked for impossible values and units (422);
//   ServiceRequest    an order of an encounter is priced: a ChargeItem (billable, coded in the
//                     price list, service = the order) is written with it; an order of a lab,
//                     imaging or procedure category whose code the price list lacks is refused
//                     (422); an order revoked or entered in error makes its charge not-billable;
//   MedicationRequest a new prescription line is checked against the patient's allergies, the
//                     active ingredients and daily doses of the other active lines, and the
//                     interaction table: findings without an override reason refuse it (422,
//                     one issue per finding, details.coding = the kind of finding);
//   POST MedicationRequest/$check (resource = MedicationRequest, repeated) -> OperationOutcome
//                     with one warning per finding, 200.
#include "clinical/prescription_checks.h"
#include "clinical/vital_signs.h"
#include "fhir/vn_systems.h"
#include "operations/clinical_operations.h"
#include "claims/costing.h"
#include "claims/price_list.h"
#include "reception/json_out.h"
#include "rest/outcome.h"
#include "rest/read_access.h"
#include "rest/responses.h"
#include "rest/write_ops.h"
#include "rest/write_rules.h"

namespace hb::operations {

namespace {

// The author of a clinical record, when the client left it out: the signed-in practitioner
// (requester of orders and prescriptions, assessor of notes, recorder of diagnoses and
// allergies, performer of observations). The claims tables need them (MA_BAC_SI,
// NGUOI_THUC_HIEN).
class AuthorRule : public rest::WriteRule {
 public:
  enum class Shape { kReference, kReferences, kActors };  // Reference, [Reference], [{actor}]
  AuthorRule(std::string member, Shape shape) : member_(std::move(member)), shape_(shape) {}

  bool Amend(storage::WriteTxn&, rest::Actor& actor, rest::ResourceInput& in,
             bool create) const override {
    if (!create || !actor.principal || actor.principal->practitioner.empty()) return false;
    if (fhir::Member(*in.json, member_)) return false;
    const std::string ref = RefJson("Practitioner/" + actor.principal->practitioner);
    const std::string text = shape_ == Shape::kReference    ? ref
                             : shape_ == Shape::kReferences ? "[" + ref + "]"
                                                            : "[{\"actor\":" + ref + "}]";
    fhir::JsonDoc part;
    part.Parse(text.c_str());
    if (part.HasParseError()) return false;
    fhir::JsonValue value;
    value.CopyFrom(part, *in.alloc);
    fhir::JsonValue name(member_.c_str(), static_cast<rapidjson::SizeType>(member_.size()),
                         *in.alloc);
    in.json->AddMember(name, value, *in.alloc);
    return true;
  }

 private:
  std::string member_;
  Shape shape_;
};

class VitalSignRule : public rest::WriteRule {
 public:
  Status Check(storage::WriteTxn&, rest::Actor&, const rest::ResourceInput& in, std::string_view,
               bool) const override {
    if (!clinical::IsVitalSign(*in.json)) return Status::Ok();
    return clinical::CheckVitalSign(*in.json);
  }
};

bool HasCategory(const fhir::JsonValue& sr, std::initializer_list<std::string_view> codes) {
  const fhir::JsonValue* cats = fhir::Member(sr, "category");
  if (!cats || !cats->IsArray()) return false;
  for (const auto& c : cats->GetArray()) {
    std::string_view code = CodeOf(&c);
    for (std::string_view x : codes) {
      if (code == x) return true;
    }
  }
  return false;
}

class OrderPricingRule : public rest::WriteRule {
 public:
  explicit OrderPricingRule(ClinicalContextPtr ctx) : ctx_(std::move(ctx)) {}

  Status After(storage::WriteTxn& txn, rest::Actor& actor, const storage::ResourceVersion& v,
               bool create) const override {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc sr, fhir::ParseJson(v.json));
    const std::string sr_ref = "ServiceRequest/" + v.id;
    std::string_view status = fhir::MemberString(sr, "status");
    if (!create) {
      if (status != "revoked" && status != "entered-in-error") return Status::Ok();
      HB_ASSIGN_OR_RETURN(auto charges, Find(txn, "ChargeItem", {{"service", sr_ref}}));
      for (auto& c : charges) {
        HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(c.json));
        if (fhir::MemberString(doc, "status") != "billable") continue;
        HB_RETURN_IF_ERROR(SetMember(doc, doc, "status", "\"not-billable\""));
        HB_RETURN_IF_ERROR(UpdateResource(txn, &actor, fhir::Serialize(doc), c.id, c.version).status());
      }
      return Status::Ok();
    }
    std::string_view intent = fhir::MemberString(sr, "intent");
    std::string_view enc_ref = StrAt(sr, {"encounter", "reference"});
    if (enc_ref.empty() || (intent != "order" && intent != "original-order" &&
                            intent != "instance-order")) {
      return Status::Ok();
    }
    if (HasCategory(sr, {"3457005"})) return Status::Ok();  // a referral: nothing to bill here
    const bool billable_kind = HasCategory(sr, {"108252007", "363679005", "387713003", "71388002",
                                                "laboratory", "imaging", "procedure"});
    std::string org = actor.principal ? actor.principal->facility_org : std::string();
    HB_ASSIGN_OR_RETURN(auto enc, ReadLiveDoc(txn, "Encounter", enc_ref.substr(enc_ref.find('/') + 1)));
    std::string provider(StrAt(enc, {"serviceProvider", "reference"}));
    if (org.empty() && provider.starts_with("Organization/")) org = provider.substr(13);
    const std::string facility = FacilityCodeOf(txn, org, ctx_->options.facility_code);
    const std::string today = TodayIso(ctx_->options.utc_offset_minutes);
    const std::string day = today.substr(0, 4) + today.substr(5, 2) + today.substr(8, 2);
    std::string code;
    const claims::PriceList* prices =
        ctx_->options.catalogs ? ctx_->options.catalogs->prices : nullptr;
    if (!prices) return Status::Ok();  // no price list (claims off): billing cannot price either
    const claims::PriceItem* price = nullptr;
    const fhir::JsonValue* codings = At(sr, {"code", "coding"});
    if (codings && codings->IsArray()) {
      for (const auto& c : codings->GetArray()) {
        std::string_view k = fhir::MemberString(c, "code");
        price = prices->Find(k, facility, std::atoi(day.c_str()));
        if (price) {
          code = std::string(k);
          break;
        }
      }
    }
    if (!price) {
      if (!billable_kind) return Status::Ok();
      return Status(ErrorCode::kUnprocessable,
                    "mã dịch vụ của chỉ định không có trong bảng giá của cơ sở (" + facility +
                        "); chọn dịch vụ từ danh mục (mã MA_NOI_BO, hệ " +
                        fhir::vn::Systems().charge_code + ")",
                    "ServiceRequest.code");
    }
    std::string quantity = "1";
    if (const fhir::JsonValue* q = At(sr, {"quantityQuantity", "value"}); q && fhir::IsNumber(*q)) {
      quantity = std::string(fhir::NumberText(*q));
    }
    const std::string now = NowDateTime(ctx_->options.utc_offset_minutes);
    reception::JsonOut j;
    j.BeginObject();
    j.Put("resourceType", "ChargeItem");
    j.Put("status", "billable");
    j.PutConcept("code", fhir::vn::Systems().charge_code, code, price->name, price->name);
    j.Key("subject");
    j.Raw(fhir::Serialize(*fhir::Member(sr, "subject")));
    j.PutReference("context", enc_ref);
    std::string_view when = fhir::MemberString(sr, "authoredOn");
    j.Put("occurrenceDateTime", when.empty() ? std::string_view(now) : when);
    if (!provider.empty()) j.PutReference("performingOrganization", provider);
    j.Key("quantity");
    j.BeginObject();
    j.Key("value");
    j.Number(quantity);
    j.EndObject();
    if (const fhir::JsonValue* req = fhir::Member(sr, "requester")) {
      if (StrAt(*req, {"reference"}).starts_with("Practitioner/")) {
        j.Key("enterer");
        j.Raw(fhir::Serialize(*req));
      }
    }
    j.Put("enteredDate", now);
    j.Key("service");
    j.BeginArray();
    j.BeginObject();
    j.Put("reference", sr_ref);
    j.EndObject();
    j.EndArray();
    j.EndObject();
    return CreateResource(txn, &actor, j.Take()).status();
  }

 private:
  ClinicalContextPtr ctx_;
};

// The patient's active allergies and active prescription lines (but `skip_ids`).
struct PatientMedicationFacts {
  std::vector<clinical::AllergyFact> allergies;
  std::vector<clinical::PrescribedItem> active;
};

// `with_active`: also the active lines (only lines of catalogue drugs need them).
Result<PatientMedicationFacts> ReadPatientFacts(storage::ReadTxn& txn, const ClinicalContext& ctx,
                                                std::string_view patient_ref,
                                                const std::vector<std::string>& skip_ids,
                                                bool with_active = true,
                                                rest::ReadAccess* access = nullptr) {
  PatientMedicationFacts out;
  if (!patient_ref.starts_with("Patient/")) return out;
  auto keep = [](const storage::ResourceVersion& v) -> const storage::ResourceVersion& { return v; };
  HB_ASSIGN_OR_RETURN(auto allergies, Find(txn, "AllergyIntolerance",
                                           {{"patient", std::string(patient_ref)}}));
  if (access) access->Filter(txn, allergies, keep);
  for (const auto& a : allergies) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(a.json));
    std::string_view cs = CodeOf(fhir::Member(doc, "clinicalStatus"));
    std::string_view vs = CodeOf(fhir::Member(doc, "verificationStatus"));
    if ((!cs.empty() && cs != "active") || vs == "refuted" || vs == "entered-in-error") continue;
    out.allergies.push_back(clinical::AllergyFromResource(doc));
  }
  if (!with_active) return out;
  HB_ASSIGN_OR_RETURN(auto mrs, Find(txn, "MedicationRequest",
                                     {{"subject", std::string(patient_ref)}, {"status", "active"}}));
  if (access) access->Filter(txn, mrs, keep);
  for (const auto& m : mrs) {
    if (std::find(skip_ids.begin(), skip_ids.end(), m.id) != skip_ids.end()) continue;
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(m.json));
    out.active.push_back(
        clinical::ItemFromMedicationRequest(doc, ctx.formulary, "MedicationRequest/" + m.id));
  }
  return out;
}

class PrescriptionRule : public rest::WriteRule {
 public:
  explicit PrescriptionRule(ClinicalContextPtr ctx) : ctx_(std::move(ctx)) {}

  Status Check(storage::WriteTxn& txn, rest::Actor&, const rest::ResourceInput& in,
               std::string_view id, bool create) const override {
    std::string_view status = fhir::MemberString(*in.json, "status");
    if (!create || (status != "active" && status != "draft")) return Status::Ok();
    clinical::PrescribedItem item =
        clinical::ItemFromMedicationRequest(*in.json, ctx_->formulary, "MedicationRequest");
    // A drug outside the catalogue can only meet an allergy by name.
    HB_ASSIGN_OR_RETURN(auto facts, ReadPatientFacts(txn, *ctx_, StrAt(*in.json, {"subject", "reference"}),
                                                     {std::string(id)}, !item.drug_code.empty()));
    auto findings = clinical::CheckPrescription(ctx_->formulary, {item}, facts.active, facts.allergies);
    if (findings.empty() || !item.override_reason.empty()) return Status::Ok();
    std::vector<Issue> issues;
    for (const auto& f : findings) {
      issues.push_back({ErrorCode::kUnprocessable,
                        f.message + ". Cần ghi lý do (extension " +
                            std::string(clinical::kOverrideReasonUrl) + ") để vẫn kê đơn",
                        rest::FindingLocation(f.kind, "MedicationRequest.medicationCodeableConcept"),
                        false});
    }
    return Status::FromIssues(std::move(issues));
  }

 private:
  ClinicalContextPtr ctx_;
};

void CheckOp(const ClinicalContextPtr& ctx, rest::OperationCall call, http::Responder respond) {
  if (!PermitClinical(call, respond, "MedicationRequest", access::Op::kRead)) return;
  auto in = ClinicalParams::Read(call);
  if (!in.ok()) return RespondStatus(respond, in.status());
  auto resources = in->Resources("resource");
  if (resources.empty()) {
    return RespondStatus(respond, Status(ErrorCode::kInvalidArgument,
                                         "give the MedicationRequest(s) as parameter 'resource'",
                                         "Parameters.parameter"));
  }
  std::vector<clinical::PrescribedItem> items;
  std::vector<std::string> ids;
  std::string patient;
  for (size_t i = 0; i < resources.size(); ++i) {
    const fhir::JsonValue& r = *resources[i];
    if (fhir::MemberString(r, "resourceType") != "MedicationRequest") {
      return RespondStatus(respond, Status(ErrorCode::kInvalidArgument,
                                           "each 'resource' must be a MedicationRequest"));
    }
    std::string_view subject = StrAt(r, {"subject", "reference"});
    if (patient.empty()) patient = std::string(subject);
    if (!subject.empty() && subject != patient) {
      return RespondStatus(respond, Status(ErrorCode::kInvalidArgument,
                                           "the MedicationRequests of one prescription must have "
                                           "the same subject"));
    }
    if (std::string_view id = fhir::MemberString(r, "id"); !id.empty()) ids.emplace_back(id);
    items.push_back(clinical::ItemFromMedicationRequest(r, ctx->formulary,
                                                        "resource[" + std::to_string(i) + "]"));
  }
  auto txn = call.store->BeginRead();
  // The check reads the patient's allergies and prescriptions: the caller must be allowed to
  // read them (care relationship, consent, break-the-glass), and the reading is audited.
  rest::ReadAccess reading(*call.principal, *call.policy, call.sink, "operation");
  if (patient.starts_with("Patient/")) {
    Status may = call.policy->CheckInteraction(*call.principal, "AllergyIntolerance", access::Op::kSearch);
    if (may.ok()) {
      may = call.policy->CheckInteraction(*call.principal, "MedicationRequest", access::Op::kSearch);
    }
    if (!Permit(call, respond, may, "AllergyIntolerance")) return;
    auto pv = ReadLive(*txn, "Patient", std::string_view(patient).substr(8));
    Status seen = pv.ok() ? reading.Check(*txn, *pv) : pv.status();
    if (!seen.ok()) {
      txn.reset();
      reading.Commit();
      return RespondStatus(respond, seen);
    }
  }
  auto facts = ReadPatientFacts(*txn, *ctx, patient, ids, true, &reading);
  txn.reset();
  reading.Commit();
  if (!facts.ok()) return RespondStatus(respond, facts.status());
  auto findings = clinical::CheckPrescription(ctx->formulary, items, facts->active, facts->allergies);
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "OperationOutcome");
  j.Key("issue");
  j.BeginArray();
  for (const auto& f : findings) {
    WriteFindingIssue(j, "warning", f.kind, f.message,
                      "Parameters.parameter[" + std::to_string(f.item) + "].resource");
  }
  if (findings.empty()) {
    WriteNoFinding(j, "Không phát hiện cảnh báo (dị ứng, trùng hoạt chất, liều tối đa, tương tác)");
  }
  j.EndArray();
  j.EndObject();
  respond(rest::JsonResponse(200, j.Take(), call.ctx));
}

}  // namespace

void AddPrescribingRules(rest::FhirService& service, ClinicalContextPtr ctx) {
  using Shape = AuthorRule::Shape;
  rest::AddWriteRule("MedicationRequest", std::make_shared<AuthorRule>("requester", Shape::kReference));
  rest::AddWriteRule("ServiceRequest", std::make_shared<AuthorRule>("requester", Shape::kReference));
  rest::AddWriteRule("ClinicalImpression", std::make_shared<AuthorRule>("assessor", Shape::kReference));
  rest::AddWriteRule("Condition", std::make_shared<AuthorRule>("recorder", Shape::kReference));
  rest::AddWriteRule("AllergyIntolerance", std::make_shared<AuthorRule>("recorder", Shape::kReference));
  rest::AddWriteRule("Observation", std::make_shared<AuthorRule>("performer", Shape::kReferences));
  rest::AddWriteRule("MedicationAdministration", std::make_shared<AuthorRule>("performer", Shape::kActors));
  rest::AddWriteRule("Observation", std::make_shared<VitalSignRule>());
  rest::AddWriteRule("ServiceRequest", std::make_shared<OrderPricingRule>(ctx));
  rest::AddWriteRule("MedicationRequest", std::make_shared<PrescriptionRule>(ctx));
  service.AddOperation(MakeClinicalOperation(
      "check",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kType && t == "MedicationRequest";
      },
      false,
      [ctx](rest::OperationCall c, http::Responder r) { CheckOp(ctx, std::move(c), std::move(r)); }));
}

}  // namespace hb::operations
