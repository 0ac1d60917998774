// The national e-prescription of an encounter (docs/implementation/clinical.md,
// "E-prescriptions"): its code (clinical/eprescription.h), the message queued for the
// national system at $close-visit (outbox topic ClinicalOptions::eprescription_topic, key =
// the code), and the printable form:
//   GET MedicationRequest/$print?group=<code or Encounter id>   -> text/html
//   GET Encounter/{id}/$prescription                            -> text/html
#include "clinical/eprescription.h"
#include "fhir/vn_systems.h"
#include "operations/clinical_operations.h"
#include "payments/qr_image.h"
#include "rest/read_access.h"
#include "rest/outcome.h"

namespace hb::operations {

namespace {

std::string Num(const fhir::JsonValue* v) {
  return v && fhir::IsNumber(*v) ? std::string(fhir::NumberText(*v)) : std::string();
}

std::string GenderVi(std::string_view g) {
  return g == "male" ? "Nam" : g == "female" ? "Nữ" : "Khác";
}

std::string NameOf(const fhir::JsonValue& r) {
  const fhir::JsonValue* names = fhir::Member(r, "name");
  if (!names || !names->IsArray() || names->Size() == 0) return {};
  const fhir::JsonValue& n = (*names)[0];
  std::string text(fhir::MemberString(n, "text"));
  if (!text.empty()) return text;
  std::string out(fhir::MemberString(n, "family"));
  if (const fhir::JsonValue* given = fhir::Member(n, "given"); given && given->IsArray()) {
    for (const auto& g : given->GetArray()) {
      if (fhir::IsString(g)) out += " " + std::string(fhir::StringView(g));
    }
  }
  return out;
}

// The prescription of an encounter; kNotFound when it has no drug.
Result<clinical::PrescriptionDoc> BuildPrescription(storage::ReadTxn& txn,
                                                    const ClinicalContext& ctx,
                                                    std::string_view encounter_id) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc enc, ReadLiveDoc(txn, "Encounter", encounter_id));
  const std::string enc_ref = "Encounter/" + std::string(encounter_id);
  HB_ASSIGN_OR_RETURN(auto mrs, Find(txn, "MedicationRequest", {{"encounter", enc_ref}}));
  clinical::PrescriptionDoc doc;
  std::string org(StrAt(enc, {"serviceProvider", "reference"}));
  if (org.starts_with("Organization/")) org = org.substr(13);
  doc.facility_code = FacilityCodeOf(txn, org, ctx.options.facility_code);
  doc.facility_name = ctx.options.facility_name;
  if (!org.empty()) {
    if (auto o = ReadLiveDoc(txn, "Organization", org); o.ok()) {
      doc.facility_name = std::string(fhir::MemberString(*o, "name"));
    }
  }
  doc.code = clinical::NationalPrescriptionCode(doc.facility_code, encounter_id);
  std::string_view patient_ref = StrAt(enc, {"subject", "reference"});
  if (patient_ref.starts_with("Patient/")) {
    doc.patient_id = std::string(patient_ref.substr(8));
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc p, ReadLiveDoc(txn, "Patient", doc.patient_id));
    doc.patient_name = NameOf(p);
    doc.patient_birth = std::string(fhir::MemberString(p, "birthDate"));
    doc.patient_gender = GenderVi(fhir::MemberString(p, "gender"));
    if (const fhir::JsonValue* ids = fhir::Member(p, "identifier"); ids && ids->IsArray()) {
      for (const auto& i : ids->GetArray()) {
        if (fhir::MemberString(i, "system") == fhir::vn::Systems().bhyt_card) {
          doc.insurance_number = std::string(fhir::MemberString(i, "value"));
        }
      }
    }
    if (const fhir::JsonValue* a = fhir::Member(p, "address"); a && a->IsArray() && a->Size() > 0) {
      doc.patient_address = std::string(fhir::MemberString((*a)[0], "text"));
    }
  }
  HB_ASSIGN_OR_RETURN(EncounterDiagnoses dx, ReadEncounterDiagnoses(txn, enc, encounter_id));
  doc.diagnoses = dx.coded;
  std::string requester;
  for (const auto& v : mrs) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc mr, fhir::ParseJson(v.json));
    std::string_view status = fhir::MemberString(mr, "status");
    if (status != "active" && status != "completed") continue;
    clinical::PrescriptionLine line;
    const fhir::JsonValue* med = fhir::Member(mr, "medicationCodeableConcept");
    line.drug_code = std::string(CodeOf(med));
    line.name = std::string(StrAt(mr, {"medicationCodeableConcept", "text"}));
    if (const clinical::Drug* d = ctx.formulary.Find(line.drug_code)) {
      if (line.name.empty()) line.name = d->name;
      for (const auto& ing : d->ingredients) {
        line.ingredient += (line.ingredient.empty() ? "" : " + ") + ing.name;
        line.strength += (line.strength.empty() ? "" : " + ") + DecimalText(ing.strength) + " " + ing.unit;
      }
      line.route = d->route;
    }
    if (line.name.empty()) line.name = line.drug_code;
    line.quantity = Num(At(mr, {"dispenseRequest", "quantity", "value"}));
    line.unit = std::string(StrAt(mr, {"dispenseRequest", "quantity", "unit"}));
    if (const fhir::JsonValue* ds = fhir::Member(mr, "dosageInstruction"); ds && ds->IsArray()) {
      for (const auto& d : ds->GetArray()) {
        std::string_view t = fhir::MemberString(d, "text");
        line.instruction += (line.instruction.empty() || t.empty() ? "" : "; ") + std::string(t);
        std::string_view route = StrAt(d, {"route", "text"});
        if (!route.empty()) line.route = std::string(route);
      }
    }
    if (requester.empty()) requester = std::string(StrAt(mr, {"requester", "reference"}));
    if (doc.issued.empty()) doc.issued = std::string(fhir::MemberString(mr, "authoredOn"));
    doc.lines.push_back(std::move(line));
  }
  if (doc.lines.empty()) {
    return Status(ErrorCode::kNotFound, "lượt khám " + enc_ref + " chưa có đơn thuốc");
  }
  if (doc.issued.empty()) doc.issued = NowDateTime(ctx.options.utc_offset_minutes);
  if (requester.starts_with("Practitioner/")) {
    if (auto pr = ReadLiveDoc(txn, "Practitioner", requester.substr(13)); pr.ok()) {
      doc.doctor_name = NameOf(*pr);
      if (const fhir::JsonValue* ids = fhir::Member(*pr, "identifier"); ids && ids->IsArray()) {
        for (const auto& i : ids->GetArray()) {
          if (fhir::MemberString(i, "system") == fhir::vn::Systems().practitioner_licence) {
            doc.doctor_licence = std::string(fhir::MemberString(i, "value"));
          }
        }
      }
    }
  }
  if (const fhir::JsonValue* exts = fhir::Member(enc, "extension"); exts && exts->IsArray()) {
    for (const auto& e : exts->GetArray()) {
      if (fhir::MemberString(e, "url") == std::string(kVnExtBase) + "loi-dan") {
        doc.advice = std::string(fhir::MemberString(e, "valueString"));
      }
    }
  }
  HB_ASSIGN_OR_RETURN(auto appts, Find(txn, "Appointment", {{"supporting-info", enc_ref}}, 5));
  for (const auto& a : appts) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc ap, fhir::ParseJson(a.json));
    doc.follow_up = std::string(fhir::MemberString(ap, "start")).substr(0, 10);
  }
  return doc;
}

// The encounter a `group` names: an Encounter id, or the national code, which the lines of
// an issued prescription carry as groupIdentifier and identifier (the one searchable).
Result<std::string> EncounterOfGroup(storage::ReadTxn& txn, const std::string& group) {
  if (auto enc = ReadLive(txn, "Encounter", group); enc.ok()) return group;
  HB_ASSIGN_OR_RETURN(auto mrs, Find(txn, "MedicationRequest",
                                     {{"identifier", std::string(kNationalPrescriptionSystem) + "|" + group}}, 1));
  if (mrs.empty()) {
    return Status(ErrorCode::kNotFound, "không tìm thấy đơn thuốc " + group +
                                            " (group: mã đơn thuốc hoặc id của Encounter)");
  }
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc mr, fhir::ParseJson(mrs[0].json));
  std::string_view ref = StrAt(mr, {"encounter", "reference"});
  if (!ref.starts_with("Encounter/")) {
    return Status(ErrorCode::kNotFound, "đơn thuốc " + group + " không gắn với lượt khám nào");
  }
  return std::string(ref.substr(10));
}

void PrintPage(const ClinicalContextPtr& ctx, rest::OperationCall call, http::Responder respond,
               bool by_group) {
  if (!PermitClinical(call, respond, "MedicationRequest", access::Op::kRead)) return;
  auto in = ClinicalParams::Read(call);
  if (!in.ok()) return RespondStatus(respond, in.status());
  std::string encounter = call.id;
  auto txn = call.store->BeginRead();
  if (by_group) {
    auto group = in->Required("group");
    if (!group.ok()) return RespondStatus(respond, group.status());
    auto e = EncounterOfGroup(*txn, *group);
    if (!e.ok()) return RespondStatus(respond, e.status());
    encounter = *e;
  }
  // The page shows the visit, the patient, the prescription lines and the diagnoses: each
  // must be readable by the caller (need-to-know, consent, break-the-glass), and is audited.
  rest::ReadAccess reading(*call.principal, *call.policy, call.sink, "operation");
  auto check_all = [&]() -> Status {
    HB_ASSIGN_OR_RETURN(auto enc, ReadLive(*txn, "Encounter", encounter));
    HB_RETURN_IF_ERROR(reading.Check(*txn, enc));
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc ed, fhir::ParseJson(enc.json));
    if (std::string_view pref = StrAt(ed, {"subject", "reference"}); pref.starts_with("Patient/")) {
      HB_ASSIGN_OR_RETURN(auto pat, ReadLive(*txn, "Patient", pref.substr(8)));
      HB_RETURN_IF_ERROR(reading.Check(*txn, pat));
    }
    for (std::string_view type : {"MedicationRequest", "Condition"}) {
      HB_RETURN_IF_ERROR(call.policy->CheckInteraction(*call.principal, type, access::Op::kRead));
      HB_ASSIGN_OR_RETURN(auto found, Find(*txn, type, {{"encounter", "Encounter/" + encounter}}));
      for (const auto& v : found) HB_RETURN_IF_ERROR(reading.Check(*txn, v));
    }
    return Status::Ok();
  };
  if (Status may = check_all(); !may.ok()) {
    txn.reset();
    reading.Commit();
    return RespondStatus(respond, may);
  }
  auto doc = BuildPrescription(*txn, *ctx, encounter);
  txn.reset();
  reading.Commit();
  if (!doc.ok()) return RespondStatus(respond, doc.status());
  std::string svg;
  if (auto qr = payments::MakeQrMatrix(doc->code); qr.ok()) svg = payments::QrSvg(*qr);
  http::Response r;
  r.status = 200;
  r.content_type = "text/html; charset=utf-8";
  r.body = clinical::PrescriptionHtml(*doc, svg);
  respond(std::move(r));
}

}  // namespace

Status EnqueuePrescription(storage::WriteTxn& txn, rest::Actor& actor, const ClinicalContext& ctx,
                           std::string_view encounter_id) {
  auto doc = BuildPrescription(txn, ctx, encounter_id);
  if (!doc.ok()) return doc.status().code() == ErrorCode::kNotFound ? Status::Ok() : doc.status();
  // Each line of the prescription carries its national code (groupIdentifier) from now on.
  HB_ASSIGN_OR_RETURN(auto mrs, Find(txn, "MedicationRequest",
                                     {{"encounter", "Encounter/" + std::string(encounter_id)}}));
  for (const auto& v : mrs) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc mr, fhir::ParseJson(v.json));
    if (fhir::Member(mr, "groupIdentifier")) continue;
    const std::string id_json = "{\"system\":" + Quote(kNationalPrescriptionSystem) +
                                ",\"value\":" + Quote(doc->code) + "}";
    HB_RETURN_IF_ERROR(SetMember(mr, mr, "groupIdentifier", id_json));
    HB_RETURN_IF_ERROR(AppendMember(mr, mr, "identifier", id_json));  // searchable (identifier)
    HB_RETURN_IF_ERROR(UpdateResource(txn, &actor, fhir::Serialize(mr), v.id, v.version).status());
  }
  if (ctx.options.eprescription_topic.empty()) return Status::Ok();
  return txn.EnqueueOutbox(ctx.options.eprescription_topic, doc->code,
                           clinical::PrescriptionMessageJson(*doc))
      .status();
}

void AddPrescriptionOperations(rest::FhirService& service, ClinicalContextPtr ctx) {
  service.AddOperation(MakeClinicalOperation(
      "print",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kType && t == "MedicationRequest";
      },
      true,
      [ctx](rest::OperationCall c, http::Responder r) {
        PrintPage(ctx, std::move(c), std::move(r), true);
      }));
  service.AddOperation(MakeClinicalOperation(
      "prescription",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kInstance && t == "Encounter";
      },
      true,
      [ctx](rest::OperationCall c, http::Responder r) {
        PrintPage(ctx, std::move(c), std::move(r), false);
      }));
}

}  // namespace hb::operations
