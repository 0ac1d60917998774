// Diagnoses and the end of an outpatient visit (docs/implementation/clinical.md):
//   POST|GET Encounter/$validate-diagnoses  (main, secondary*) -> OperationOutcome, 200:
//        error/warning issues with details.coding = the rule, or one information issue;
//   POST Encounter/{id}/$close-visit  (outcome = KET_QUA_DTRI 1-7, followUp date,
//        followUpReason, referral = Organization reference or name, referralReason, note)
//        -> the diagnoses are checked (422 on an error), the Encounter finished with its
//        diagnoses ranked, an Appointment for the follow-up, a referral ServiceRequest, the
//        e-prescription queued; answers Parameters (encounter, appointment, referral,
//        prescriptionCode, outcome).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/clock.h"
#include "clinical/eprescription.h"
#include "fhir/vn_systems.h"
#include "operations/clinical_operations.h"
#include "reception/json_out.h"
#include "rest/outcome.h"
#include "rest/responses.h"
#include "rest/write_rules.h"

namespace hb::operations {

namespace {

std::string IcdCodeOf(const fhir::JsonValue& condition) {
  const fhir::JsonValue* code = fhir::Member(condition, "code");
  std::string_view c = CodeOf(code, fhir::vn::Systems().icd10_vn);
  if (c.empty()) c = CodeOf(code, kIcd10AltSystem);
  if (c.empty()) c = CodeOf(code);
  return std::string(c);
}

std::string OutcomeJson(const std::vector<clinical::DiagnosisFinding>& findings) {
  std::vector<fhir::OutcomeIssue> issues;
  for (const auto& f : findings) {
    issues.push_back(
        rest::RuleFindingIssue(f.error ? "error" : "warning", f.rule, f.message, f.expression));
  }
  if (findings.empty()) issues.push_back(fhir::InformationIssue("Chẩn đoán hợp lệ"));
  return fhir::OperationOutcomeJson(issues);
}

void ValidateDiagnoses(const ClinicalContextPtr& ctx, rest::OperationCall call,
                       http::Responder respond) {
  auto in = ClinicalParams::Read(call);
  if (!in.ok()) return RespondStatus(respond, in.status());
  auto findings = clinical::CheckDiagnoses(ctx->icd, in->Get("main").value_or(""),
                                           in->All("secondary"));
  respond(rest::JsonResponse(200, OutcomeJson(findings), call.ctx));
}

constexpr std::string_view kKetQua[] = {"", "Khỏi", "Đỡ", "Không thay đổi", "Nặng hơn",
                                        "Tử vong", "Tiên lượng nặng xin về", "Chưa xác định"};

struct CloseResult {
  storage::ResourceVersion encounter;
  std::string appointment, referral, prescription;
  std::vector<clinical::DiagnosisFinding> findings;
};

Status CloseVisit(storage::WriteTxn& txn, rest::Actor& actor, const ClinicalContext& ctx,
                  const ClinicalParams& in, const std::string& id, CloseResult* out) {
  HB_ASSIGN_OR_RETURN(auto cur, ReadLive(txn, "Encounter", id));
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc enc, fhir::ParseJson(cur.json));
  const std::string status(fhir::MemberString(enc, "status"));
  if (status == "finished" || status == "cancelled" || status == "entered-in-error") {
    return Status(ErrorCode::kConflict, "lượt khám Encounter/" + id + " đã kết thúc (" +
                                            std::string(status) + ")");
  }
  HB_ASSIGN_OR_RETURN(EncounterDiagnoses dx, ReadEncounterDiagnoses(txn, enc, id));
  out->findings = clinical::CheckDiagnoses(ctx.icd, dx.main, dx.secondary);
  HB_RETURN_IF_ERROR(DiagnosisStatus(out->findings));
  std::string outcome = in.Get("outcome").value_or("");
  if (!outcome.empty() && (outcome.size() != 1 || outcome[0] < '1' || outcome[0] > '7')) {
    return Status(ErrorCode::kInvalidArgument,
                  "outcome phải là mã KET_QUA_DTRI 1-7 (1 khỏi, 2 đỡ, 3 không thay đổi, 4 nặng "
                  "hơn, 5 tử vong, 6 tiên lượng nặng xin về, 7 chưa xác định)",
                  "Parameters.parameter");
  }
  const std::string now = NowDateTime(ctx.options.utc_offset_minutes);
  const std::string patient_ref(StrAt(enc, {"subject", "reference"}));
  const std::string enc_ref = "Encounter/" + id;
  if (auto referral = in.Get("referral")) {
    HB_ASSIGN_OR_RETURN(out->referral,
                        CreateReferral(txn, actor, ctx, patient_ref, enc_ref, *referral,
                                       in.Get("referralReason").value_or(""), dx));
  }
  if (auto date = in.Get("followUp")) {
    HB_ASSIGN_OR_RETURN(out->appointment,
                        CreateFollowUp(txn, actor, ctx, patient_ref, enc_ref, *date,
                                       in.Get("followUpReason").value_or("Tái khám")));
  }
  // The encounter: finished, its diagnoses ranked, the outcome, the doctor who closed it.
  HB_RETURN_IF_ERROR(AddParticipant(enc, actor, "ATND", "attender"));
  HB_RETURN_IF_ERROR(SetMember(enc, enc, "status", "\"finished\""));
  fhir::JsonValue* period = fhir::Member(enc, "period");
  if (!period) {
    HB_RETURN_IF_ERROR(SetMember(enc, enc, "period", "{}"));
    period = fhir::Member(enc, "period");
  }
  if (!fhir::Member(*period, "start")) HB_RETURN_IF_ERROR(SetMember(enc, *period, "start", Quote(now)));
  HB_RETURN_IF_ERROR(SetMember(enc, *period, "end", Quote(now)));
  HB_RETURN_IF_ERROR(AppendMember(enc, enc, "statusHistory",
                                  "{\"status\":" + Quote(status) + ",\"period\":{\"end\":" +
                                      Quote(now) + "}}"));
  if (!outcome.empty()) {
    HB_RETURN_IF_ERROR(AppendMember(
        enc, enc, "extension",
        "{\"url\":\"" + std::string(kVnExtBase) + "ket-qua-dieu-tri\",\"valueCoding\":{\"system\":\"" +
            std::string(kVnExtBase) + "ket-qua-dieu-tri\",\"code\":\"" + outcome +
            "\",\"display\":" + Quote(kKetQua[outcome[0] - '0']) + "}}"));
  }
  if (auto note = in.Get("note")) {
    HB_RETURN_IF_ERROR(AppendMember(enc, enc, "extension",
                                    "{\"url\":\"" + std::string(kVnExtBase) +
                                        "loi-dan\",\"valueString\":" + Quote(*note) + "}"));
  }
  HB_ASSIGN_OR_RETURN(out->encounter,
                      UpdateResource(txn, &actor, fhir::Serialize(enc), id, cur.version));
  HB_RETURN_IF_ERROR(EnqueuePrescription(txn, actor, ctx, id));
  HB_ASSIGN_OR_RETURN(auto mrs, Find(txn, "MedicationRequest", {{"encounter", enc_ref}}, 1));
  if (!mrs.empty()) {
    std::string org(StrAt(enc, {"serviceProvider", "reference"}));
    if (org.starts_with("Organization/")) org = org.substr(13);
    out->prescription = clinical::NationalPrescriptionCode(
        FacilityCodeOf(txn, org, ctx.options.facility_code), id);
  }
  return Status::Ok();
}

void CloseVisitOp(const ClinicalContextPtr& ctx, rest::OperationCall call,
                  http::Responder respond) {
  if (!Permit(call, respond, CheckClinicalRole(call, {access::Role::kDoctor}, "closing a visit"),
              "Encounter")) {
    return;
  }
  RunClinicalWrite<CloseResult>(
      std::move(call), std::move(respond), "Encounter", access::Op::kUpdate,
      [ctx](storage::WriteTxn& txn, rest::Actor& actor, const ClinicalParams& in,
            const std::string& id, CloseResult* out) {
        return CloseVisit(txn, actor, *ctx, in, id, out);
      },
      [](const CloseResult& r) {
        ParametersOut out;
        out.Resource("encounter", r.encounter.json);
        if (!r.appointment.empty()) out.Reference("appointment", r.appointment);
        if (!r.referral.empty()) out.Reference("referral", r.referral);
        if (!r.prescription.empty()) out.String("prescriptionCode", r.prescription);
        out.Resource("outcome", OutcomeJson(r.findings));
        return out.Finish();
      });
}

}  // namespace

Result<std::string> CreateReferral(storage::WriteTxn& txn, rest::Actor& actor,
                                   const ClinicalContext& ctx, std::string_view patient_ref,
                                   std::string_view enc_ref, std::string_view referral,
                                   std::string_view reason, const EncounterDiagnoses& dx) {
  const std::string now = NowDateTime(ctx.options.utc_offset_minutes);
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "ServiceRequest");
  j.Put("status", "active");
  j.Put("intent", "order");
  j.Key("category");
  j.BeginArray();
  j.BeginObject();
  j.Key("coding");
  j.BeginArray();
  j.Coding("http://snomed.info/sct", "3457005", "Patient referral");
  j.EndArray();
  j.Put("text", "Chuyển tuyến");
  j.EndObject();
  j.EndArray();
  j.PutConcept("code", "http://snomed.info/sct", "3457005", "Patient referral", "Chuyển tuyến");
  j.PutReference("subject", patient_ref);
  j.PutReference("encounter", enc_ref);
  j.Put("authoredOn", now);
  j.Key("performer");
  j.BeginArray();
  j.BeginObject();
  j.Put(referral.starts_with("Organization/") ? "reference" : "display", referral);
  j.EndObject();
  j.EndArray();
  if (!dx.coded.empty()) {
    j.Key("reasonCode");
    j.BeginArray();
    j.BeginObject();
    j.Key("coding");
    j.BeginArray();
    j.Coding(fhir::vn::Systems().icd10_vn, dx.coded[0].first, dx.coded[0].second);
    j.EndArray();
    j.EndObject();
    j.EndArray();
  }
  if (!reason.empty()) {
    j.Key("note");
    j.BeginArray();
    j.BeginObject();
    j.Put("text", reason);
    j.EndObject();
    j.EndArray();
  }
  j.EndObject();
  HB_ASSIGN_OR_RETURN(auto sr, CreateResource(txn, &actor, j.Take()));
  return "ServiceRequest/" + sr.id;
}

Result<std::string> CreateFollowUp(storage::WriteTxn& txn, rest::Actor& actor,
                                   const ClinicalContext& ctx, std::string_view patient_ref,
                                   std::string_view enc_ref, std::string_view date,
                                   std::string_view reason) {
  const std::string now = NowDateTime(ctx.options.utc_offset_minutes);
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') {
    return Status(ErrorCode::kInvalidArgument, "followUp phải là ngày YYYY-MM-DD",
                  "Parameters.parameter");
  }
  if (date <= std::string_view(now).substr(0, 10)) {
    return Status(ErrorCode::kUnprocessable, "ngày tái khám phải sau hôm nay",
                  "Parameters.parameter");
  }
  const int off = ctx.options.utc_offset_minutes;
  const std::string zone = UtcOffsetText(off);
  const std::string day(date);
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Appointment");
  j.Put("status", "booked");
  j.PutConcept("appointmentType", "http://terminology.hl7.org/CodeSystem/v2-0276", "FOLLOWUP",
               "A follow up visit from a previous appointment", "Tái khám");
  j.Put("description", reason);
  j.Put("start", day + "T07:30:00" + zone);
  j.Put("end", day + "T11:30:00" + zone);
  j.Put("created", now);
  j.PutReferenceArray("supportingInformation", enc_ref);
  j.Key("participant");
  j.BeginArray();
  j.BeginObject();
  j.PutReference("actor", patient_ref);
  j.Put("status", "accepted");
  j.EndObject();
  j.EndArray();
  j.EndObject();
  HB_ASSIGN_OR_RETURN(auto ap, CreateResource(txn, &actor, j.Take()));
  return "Appointment/" + ap.id;
}

Result<EncounterDiagnoses> ReadEncounterDiagnoses(storage::ReadTxn& txn,
                                                  const fhir::JsonValue& encounter,
                                                  std::string_view encounter_id) {
  EncounterDiagnoses out;
  std::vector<std::pair<int, std::string>> ranked;  // (rank, condition id)
  if (const fhir::JsonValue* dx = fhir::Member(encounter, "diagnosis"); dx && dx->IsArray()) {
    for (const auto& d : dx->GetArray()) {
      std::string_view ref = StrAt(d, {"condition", "reference"});
      if (!ref.starts_with("Condition/")) continue;
      const fhir::JsonValue* rank = fhir::Member(d, "rank");
      int r = rank && fhir::IsNumber(*rank) ? std::atoi(std::string(fhir::NumberText(*rank)).c_str())
                                            : 1000;
      ranked.emplace_back(r, std::string(ref.substr(10)));
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<storage::ResourceVersion> conditions;
  for (const auto& [rank, cid] : ranked) {
    auto v = ReadLive(txn, "Condition", cid);
    if (v.ok()) conditions.push_back(std::move(*v));
  }
  if (conditions.empty()) {
    HB_ASSIGN_OR_RETURN(conditions, Find(txn, "Condition",
                                         {{"encounter", "Encounter/" + std::string(encounter_id)}}));
  }
  for (const auto& v : conditions) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc c, fhir::ParseJson(v.json));
    if (fhir::MemberString(c, "verificationStatus") == "entered-in-error" ||
        CodeOf(fhir::Member(c, "verificationStatus")) == "entered-in-error") {
      continue;
    }
    std::string code = IcdCodeOf(c);
    if (code.empty()) continue;
    std::string name(StrAt(c, {"code", "text"}));
    if (name.empty()) {
      const fhir::JsonValue* codings = At(c, {"code", "coding"});
      if (codings && codings->IsArray() && codings->Size() > 0) {
        name = std::string(fhir::MemberString((*codings)[0], "display"));
      }
    }
    if (out.main.empty()) {
      out.main = code;
    } else {
      out.secondary.push_back(code);
    }
    out.coded.emplace_back(code, name);
  }
  return out;
}

Status DiagnosisStatus(const std::vector<clinical::DiagnosisFinding>& findings) {
  std::vector<Issue> issues;
  for (const auto& f : findings) {
    if (!f.error) continue;
    issues.push_back({ErrorCode::kUnprocessable, f.message,
                      rest::FindingLocation(f.rule, f.expression), false});
  }
  if (issues.empty()) return Status::Ok();
  return Status::FromIssues(std::move(issues));
}

void AddVisitOperations(rest::FhirService& service, ClinicalContextPtr ctx) {
  service.AddOperation(MakeClinicalOperation(
      "validate-diagnoses",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kType && t == "Encounter";
      },
      true,
      [ctx](rest::OperationCall c, http::Responder r) {
        ValidateDiagnoses(ctx, std::move(c), std::move(r));
      }));
  service.AddOperation(MakeClinicalOperation(
      "close-visit",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kInstance && t == "Encounter";
      },
      false,
      [ctx](rest::OperationCall c, http::Responder r) {
        CloseVisitOp(ctx, std::move(c), std::move(r));
      }));
}

}  // namespace hb::operations
