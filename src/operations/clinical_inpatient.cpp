// Inpatient care (docs/implementation/clinical.md, "Inpatient"):
//   POST Encounter/{id}/$admit     bed (Location), department?, reason?, diagnosis? -> an
//        inpatient Encounter (class IMP, partOf the visit), the bed occupied, the visit finished;
//   POST Encounter/{id}/$transfer  bed, department? -> the old bed freed and its Encounter.location
//        entries completed, the new one occupied;
//   GET  Location/$occupancy?ward=Location/x -> every bed of the ward with its status and patient;
//   POST Encounter/{id}/$discharge KET_QUA_DTRI, MA_LOAI_RV, diagnosis?, secondary*, treatment?,
//        notes?, sickLeaveDays?, referral?, followUp? -> the stay finished, the bed freed, the
//        discharge paper, the record summary (and sick-leave / referral papers) as Compositions;
//        the finished Encounter is what the claims module queues (claims/claim_delivery.h).
// Beds are Locations (physicalType bd) partOf a room (ro) partOf a ward (wa), their state in
// operationalStatus (v2-0116: O occupied, U unoccupied, C closed, H housekeeping, K contaminated).
#include "clinical/eprescription.h"
#include "fhir/vn_systems.h"
#include "operations/clinical_operations.h"
#include "reception/json_out.h"
#include "rest/outcome.h"
#include "rest/read_access.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

constexpr std::string_view kPhysicalType =
    "http://terminology.hl7.org/CodeSystem/location-physical-type";
constexpr std::string_view kBedStatus = "http://terminology.hl7.org/CodeSystem/v2-0116";
constexpr std::string_view kActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
constexpr std::string_view kLoinc = "http://loinc.org";
constexpr std::string_view kDocType = "http://healthbook.vn/fhir/CodeSystem/document-type";

std::string Ext(std::string_view name) { return std::string(kVnExtBase) + std::string(name); }

struct Place {
  storage::ResourceVersion version;
  fhir::JsonDoc doc;
  std::string id, name;
};

Result<Place> ReadPlace(storage::ReadTxn& txn, std::string_view id) {
  Place p;
  HB_ASSIGN_OR_RETURN(p.version, ReadLive(txn, "Location", id));
  HB_ASSIGN_OR_RETURN(p.doc, fhir::ParseJson(p.version.json));
  p.id = std::string(id);
  p.name = std::string(fhir::MemberString(p.doc, "name"));
  return p;
}

std::string_view PhysicalType(const fhir::JsonValue& loc) {
  return CodeOf(fhir::Member(loc, "physicalType"));
}

std::string_view BedStatus(const fhir::JsonValue& loc) {
  return StrAt(loc, {"operationalStatus", "code"});
}

std::string ParentId(const fhir::JsonValue& loc) {
  std::string_view r = StrAt(loc, {"partOf", "reference"});
  return r.starts_with("Location/") ? std::string(r.substr(9)) : std::string();
}

Status SetBedStatus(storage::WriteTxn& txn, rest::Actor& actor, Place& bed, std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> kDisplay[] = {
      {"O", "Occupied"}, {"U", "Unoccupied"}};
  std::string display;
  for (const auto& [c, d] : kDisplay) {
    if (c == code) display = std::string(d);
  }
  HB_RETURN_IF_ERROR(SetMember(bed.doc, bed.doc, "operationalStatus",
                               "{\"system\":\"" + std::string(kBedStatus) + "\",\"code\":\"" +
                                   std::string(code) + "\",\"display\":\"" + display + "\"}"));
  return UpdateResource(txn, &actor, fhir::Serialize(bed.doc), bed.id, bed.version.version).status();
}

// The bed, its room and ward; the bed must be free.
struct BedPlace {
  Place bed;
  std::string room_id, room_name, ward_id, ward_name, department;
};

Result<BedPlace> FreeBed(storage::ReadTxn& txn, const access::Principal& who, const ClinicalParams& in) {
  HB_ASSIGN_OR_RETURN(std::string ref, in.Required("bed"));
  HB_ASSIGN_OR_RETURN(std::string id, IdFromReference(ref.find('/') == std::string::npos ? "Location/" + ref : ref,
                                                      "Location", "bed"));
  HB_RETURN_IF_ERROR(CheckPlaceOfFacility(txn, who, id));
  BedPlace b;
  HB_ASSIGN_OR_RETURN(b.bed, ReadPlace(txn, id));
  if (PhysicalType(b.bed.doc) != "bd") {
    return Status(ErrorCode::kUnprocessable, "Location/" + id + " (" + b.bed.name + ") không phải là giường (physicalType bd)");
  }
  std::string_view st = BedStatus(b.bed.doc);
  if (st == "O") {
    return Status(ErrorCode::kConflict, "giường " + b.bed.name + " đang có người bệnh");
  }
  if (!st.empty() && st != "U") {
    return Status(ErrorCode::kConflict, "giường " + b.bed.name + " không sẵn sàng (trạng thái " + std::string(st) + ")");
  }
  for (std::string parent = ParentId(b.bed.doc); !parent.empty();) {
    HB_ASSIGN_OR_RETURN(Place p, ReadPlace(txn, parent));
    std::string_view type = PhysicalType(p.doc);
    if (type == "ro") b.room_id = p.id, b.room_name = p.name;
    if (type == "wa") {
      b.ward_id = p.id;
      b.ward_name = p.name;
      if (const fhir::JsonValue* exts = fhir::Member(p.doc, "extension"); exts && exts->IsArray()) {
        for (const auto& e : exts->GetArray()) {
          if (fhir::MemberString(e, "url") == Ext("department")) {
            b.department = std::string(StrAt(e, {"valueCoding", "code"}));
          }
        }
      }
      break;
    }
    parent = ParentId(p.doc);
  }
  if (auto dept = in.Get("department")) b.department = *dept;
  return b;
}

std::string LocationEntry(std::string_view id, std::string_view name, std::string_view type,
                          std::string_view start) {
  reception::JsonOut j;
  j.BeginObject();
  j.PutReference("location", "Location/" + std::string(id), name);
  j.Put("status", "active");
  j.PutConcept("physicalType", kPhysicalType, type);
  j.Key("period");
  j.BeginObject();
  j.Put("start", start);
  j.EndObject();
  j.EndObject();
  return j.Take();
}

std::string DepartmentJson(std::string_view code) {
  return "[{\"coding\":[{\"system\":\"" + Ext("department") + "\",\"code\":" + Quote(code) + "}]}]";
}

// Closes the encounter's active location entries; returns the bed ids they held.
Result<std::vector<std::string>> CloseLocations(fhir::JsonDoc& enc, std::string_view now) {
  std::vector<std::string> beds;
  fhir::JsonValue* locs = fhir::Member(enc, "location");
  if (!locs || !locs->IsArray()) return beds;
  for (auto& l : locs->GetArray()) {
    if (fhir::MemberString(l, "status") != "active") continue;
    HB_RETURN_IF_ERROR(SetMember(enc, l, "status", "\"completed\""));
    fhir::JsonValue* period = fhir::Member(l, "period");
    if (!period) {
      HB_RETURN_IF_ERROR(SetMember(enc, l, "period", "{}"));
      period = fhir::Member(l, "period");
    }
    HB_RETURN_IF_ERROR(SetMember(enc, *period, "end", Quote(now)));
    if (CodeOf(fhir::Member(l, "physicalType")) == "bd") {
      std::string_view r = StrAt(l, {"location", "reference"});
      if (r.starts_with("Location/")) beds.emplace_back(r.substr(9));
    }
  }
  return beds;
}

Status FreeBeds(storage::WriteTxn& txn, rest::Actor& actor, const std::vector<std::string>& beds) {
  for (const auto& id : beds) {
    HB_ASSIGN_OR_RETURN(Place bed, ReadPlace(txn, id));
    if (BedStatus(bed.doc) == "O") HB_RETURN_IF_ERROR(SetBedStatus(txn, actor, bed, "U"));
  }
  return Status::Ok();
}

Result<std::string> CreateCondition(storage::WriteTxn& txn, rest::Actor& actor,
                                    const ClinicalContext& ctx, std::string_view code,
                                    std::string_view patient_ref, std::string_view enc_ref,
                                    std::string_view clinical_status) {
  const clinical::IcdTerm* t = ctx.icd.Find(code);
  if (!t) {
    return Status(ErrorCode::kUnprocessable, "mã " + std::string(code) + " không có trong ICD-10 (QĐ 4469)");
  }
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Condition");
  j.PutConcept("clinicalStatus", "http://terminology.hl7.org/CodeSystem/condition-clinical",
               clinical_status);
  j.PutConcept("verificationStatus", "http://terminology.hl7.org/CodeSystem/condition-ver-status",
               "confirmed");
  j.Key("category");
  j.BeginArray();
  j.BeginObject();
  j.Key("coding");
  j.BeginArray();
  j.Coding("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis",
           "Encounter Diagnosis");
  j.EndArray();
  j.EndObject();
  j.EndArray();
  j.PutConcept("code", fhir::vn::Systems().icd10_vn, t->code, t->vi, t->vi);
  j.PutReference("subject", patient_ref);
  j.PutReference("encounter", enc_ref);
  j.Put("recordedDate", NowDateTime(ctx.options.utc_offset_minutes));
  j.EndObject();
  HB_ASSIGN_OR_RETURN(auto v, CreateResource(txn, &actor, j.Take()));
  return v.id;
}

struct AdmitOut {
  storage::ResourceVersion encounter;
};

Status Admit(storage::WriteTxn& txn, rest::Actor& actor, const ClinicalContext& ctx,
             const ClinicalParams& in, const std::string& visit_id, AdmitOut* out) {
  HB_ASSIGN_OR_RETURN(auto vcur, ReadLive(txn, "Encounter", visit_id));
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc visit, fhir::ParseJson(vcur.json));
  const std::string vstatus(fhir::MemberString(visit, "status"));
  if (vstatus == "cancelled" || vstatus == "entered-in-error") {
    return Status(ErrorCode::kConflict, "lượt khám Encounter/" + visit_id + " đã hủy");
  }
  std::string_view vclass = StrAt(visit, {"class", "code"});
  if (vclass == "IMP") {
    return Status(ErrorCode::kConflict, "Encounter/" + visit_id + " đã là đợt điều trị nội trú");
  }
  const std::string patient_ref(StrAt(visit, {"subject", "reference"}));
  HB_ASSIGN_OR_RETURN(auto open, Find(txn, "Encounter", {{"subject", patient_ref}, {"status", "in-progress"}, {"class", std::string(kActCode) + "|IMP"}}, 1));
  if (!open.empty()) {
    return Status(ErrorCode::kConflict, "người bệnh đang điều trị nội trú (Encounter/" + open[0].id + ")");
  }
  HB_ASSIGN_OR_RETURN(BedPlace b, FreeBed(txn, *actor.principal, in));
  const std::string now = NowDateTime(ctx.options.utc_offset_minutes);
  HB_RETURN_IF_ERROR(AddParticipant(visit, actor, "ADM", "admitter"));  // copied to the stay
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Encounter");
  j.Put("status", "in-progress");
  j.Key("class");
  j.BeginObject();
  j.Put("system", kActCode);
  j.Put("code", "IMP");
  j.Put("display", "inpatient encounter");
  j.EndObject();
  if (!b.department.empty()) {
    j.Key("serviceType");
    j.Raw(DepartmentJson(b.department).substr(1, DepartmentJson(b.department).size() - 2));
  }
  j.Key("subject");
  j.Raw(fhir::Serialize(*fhir::Member(visit, "subject")));
  if (const fhir::JsonValue* part = fhir::Member(visit, "participant")) {
    j.Key("participant");
    j.Raw(fhir::Serialize(*part));
  }
  j.Key("period");
  j.BeginObject();
  j.Put("start", now);
  j.EndObject();
  std::string reason = in.Get("reason").value_or("");
  if (!reason.empty()) {
    j.Key("reasonCode");
    j.BeginArray();
    j.BeginObject();
    j.Put("text", reason);
    j.EndObject();
    j.EndArray();
  } else if (const fhir::JsonValue* rc = fhir::Member(visit, "reasonCode")) {
    j.Key("reasonCode");
    j.Raw(fhir::Serialize(*rc));
  }
  j.Key("hospitalization");
  j.BeginObject();
  j.PutConcept("admitSource", "http://terminology.hl7.org/CodeSystem/admit-source",
               vclass == "EMER" ? "emd" : "outp",
               vclass == "EMER" ? "From accident/emergency department" : "From outpatient department");
  j.EndObject();
  j.Key("location");
  j.BeginArray();
  j.Raw(LocationEntry(b.bed.id, b.bed.name, "bd", now));
  if (!b.room_id.empty()) j.Raw(LocationEntry(b.room_id, b.room_name, "ro", now));
  if (!b.ward_id.empty()) j.Raw(LocationEntry(b.ward_id, b.ward_name, "wa", now));
  j.EndArray();
  if (const fhir::JsonValue* sp = fhir::Member(visit, "serviceProvider")) {
    j.Key("serviceProvider");
    j.Raw(fhir::Serialize(*sp));
  }
  j.PutReference("partOf", "Encounter/" + visit_id);
  j.EndObject();
  HB_ASSIGN_OR_RETURN(out->encounter, CreateResource(txn, &actor, j.Take()));
  const std::string enc_ref = "Encounter/" + out->encounter.id;
  if (auto dx = in.Get("diagnosis")) {
    HB_RETURN_IF_ERROR(CreateCondition(txn, actor, ctx, *dx, patient_ref, enc_ref, "active").status());
  }
  HB_RETURN_IF_ERROR(SetBedStatus(txn, actor, b.bed, "O"));
  if (vstatus != "finished") {
    HB_RETURN_IF_ERROR(SetMember(visit, visit, "status", "\"finished\""));
    fhir::JsonValue* period = fhir::Member(visit, "period");
    if (!period) {
      HB_RETURN_IF_ERROR(SetMember(visit, visit, "period", "{}"));
      period = fhir::Member(visit, "period");
    }
    HB_RETURN_IF_ERROR(SetMember(visit, *period, "end", Quote(now)));
    HB_RETURN_IF_ERROR(AppendMember(visit, visit, "extension",
                                    "{\"url\":\"" + Ext("admitted-as") + "\",\"valueReference\":" +
                                        RefJson(enc_ref) + "}"));
    HB_RETURN_IF_ERROR(UpdateResource(txn, &actor, fhir::Serialize(visit), visit_id, vcur.version).status());
  }
  return Status::Ok();
}

Status Transfer(storage::WriteTxn& txn, rest::Actor& actor, const ClinicalContext& ctx,
                const ClinicalParams& in, const std::string& id, AdmitOut* out) {
  HB_ASSIGN_OR_RETURN(auto cur, ReadLive(txn, "Encounter", id));
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc enc, fhir::ParseJson(cur.json));
  if (fhir::MemberString(enc, "status") != "in-progress" || StrAt(enc, {"class", "code"}) != "IMP") {
    return Status(ErrorCode::kConflict, "chỉ chuyển giường/khoa cho đợt nội trú đang điều trị");
  }
  HB_ASSIGN_OR_RETURN(BedPlace b, FreeBed(txn, *actor.principal, in));
  const std::string now = NowDateTime(ctx.options.utc_offset_minutes);
  HB_ASSIGN_OR_RETURN(auto old_beds, CloseLocations(enc, now));
  HB_RETURN_IF_ERROR(AppendMember(enc, enc, "location", LocationEntry(b.bed.id, b.bed.name, "bd", now)));
  if (!b.room_id.empty()) {
    HB_RETURN_IF_ERROR(AppendMember(enc, enc, "location", LocationEntry(b.room_id, b.room_name, "ro", now)));
  }
  if (!b.ward_id.empty()) {
    HB_RETURN_IF_ERROR(AppendMember(enc, enc, "location", LocationEntry(b.ward_id, b.ward_name, "wa", now)));
  }
  if (!b.department.empty()) HB_RETURN_IF_ERROR(SetMember(enc, enc, "serviceType", DepartmentJson(b.department).substr(1, DepartmentJson(b.department).size() - 2)));
  HB_RETURN_IF_ERROR(FreeBeds(txn, actor, old_beds));
  HB_ASSIGN_OR_RETURN(Place bed, ReadPlace(txn, b.bed.id));
  HB_RETURN_IF_ERROR(SetBedStatus(txn, actor, bed, "O"));
  HB_ASSIGN_OR_RETURN(out->encounter, UpdateResource(txn, &actor, fhir::Serialize(enc), id, cur.version));
  return Status::Ok();
}

constexpr std::string_view kKetQua[] = {"", "Khỏi", "Đỡ", "Không thay đổi", "Nặng hơn",
                                        "Tử vong", "Tiên lượng nặng xin về", "Chưa xác định"};
constexpr std::string_view kLoaiRv[] = {"", "Ra viện", "Chuyển tuyến", "Trốn viện", "Xin ra viện"};

struct DischargeOut {
  storage::ResourceVersion encounter;
  std::string paper, summary, sick_leave, referral, referral_paper, appointment;
};

// A Composition with sections of (title, text).
std::string CompositionJson(std::string_view type_system, std::string_view type_code,
                            std::string_view type_display, std::string_view title,
                            std::string_view patient_ref, std::string_view enc_ref,
                            std::string_view now, std::string_view author_ref,
                            const std::vector<std::pair<std::string, std::string>>& sections) {
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Composition");
  j.Put("status", "final");
  j.PutConcept("type", type_system, type_code, type_display, title);
  j.PutReference("subject", patient_ref);
  j.PutReference("encounter", enc_ref);
  j.Put("date", now);
  j.PutReferenceArray("author", author_ref);
  j.Put("title", title);
  j.Key("section");
  j.BeginArray();
  for (const auto& [t, text] : sections) {
    j.BeginObject();
    j.Put("title", t);
    j.Key("text");
    j.BeginObject();
    j.Put("status", "generated");
    j.Put("div", "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" +
                     clinical::HtmlEscape(text.empty() ? "Không ghi nhận" : text) + "</p></div>");
    j.EndObject();
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.Take();
}

Status Discharge(storage::WriteTxn& txn, rest::Actor& actor, const ClinicalContext& ctx,
                 const ClinicalParams& in, const std::string& id, DischargeOut* out) {
  HB_ASSIGN_OR_RETURN(auto cur, ReadLive(txn, "Encounter", id));
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc enc, fhir::ParseJson(cur.json));
  if (fhir::MemberString(enc, "status") != "in-progress" || StrAt(enc, {"class", "code"}) != "IMP") {
    return Status(ErrorCode::kConflict, "chỉ cho ra viện đợt nội trú đang điều trị");
  }
  HB_ASSIGN_OR_RETURN(std::string kq, in.Required("KET_QUA_DTRI"));
  HB_ASSIGN_OR_RETURN(std::string rv, in.Required("MA_LOAI_RV"));
  if (kq.size() != 1 || kq[0] < '1' || kq[0] > '7') {
    return Status(ErrorCode::kInvalidArgument, "KET_QUA_DTRI phải là 1-7 (QĐ 4750: 1 khỏi, 2 đỡ, 3 không thay đổi, 4 nặng hơn, 5 tử vong, 6 tiên lượng nặng xin về, 7 chưa xác định)", "Parameters.parameter");
  }
  if (rv.size() != 1 || rv[0] < '1' || rv[0] > '4') {
    return Status(ErrorCode::kInvalidArgument, "MA_LOAI_RV phải là 1-4 (QĐ 4750: 1 ra viện, 2 chuyển tuyến, 3 trốn viện, 4 xin ra viện)", "Parameters.parameter");
  }
  auto referral = in.Get("referral");
  if (rv == "2" && !referral) {
    return Status(ErrorCode::kInvalidArgument, "chuyển tuyến (MA_LOAI_RV 2) cần 'referral': nơi chuyển đến", "Parameters.parameter");
  }
  const std::string patient_ref(StrAt(enc, {"subject", "reference"}));
  const std::string enc_ref = "Encounter/" + id;
  const std::string now = NowDateTime(ctx.options.utc_offset_minutes);
  // Discharge diagnoses: given here, or those already recorded on the stay.
  const std::string status = kq == "1" ? "resolved" : "active";
  if (auto main = in.Get("diagnosis")) {
    auto findings = clinical::CheckDiagnoses(ctx.icd, *main, in.All("secondary"));
    HB_RETURN_IF_ERROR(DiagnosisStatus(findings));
    HB_ASSIGN_OR_RETURN(std::string cid, CreateCondition(txn, actor, ctx, *main, patient_ref, enc_ref, status));
    std::vector<std::string> ids = {cid};
    for (const auto& s : in.All("secondary")) {
      HB_ASSIGN_OR_RETURN(std::string sid, CreateCondition(txn, actor, ctx, s, patient_ref, enc_ref, "active"));
      ids.push_back(sid);
    }
    HB_RETURN_IF_ERROR(SetMember(enc, enc, "diagnosis", "[]"));
    for (size_t i = 0; i < ids.size(); ++i) {
      HB_RETURN_IF_ERROR(AppendMember(
          enc, enc, "diagnosis",
          "{\"condition\":{\"reference\":\"Condition/" + ids[i] + "\"},\"use\":{\"coding\":[{\"system\":"
          "\"http://terminology.hl7.org/CodeSystem/diagnosis-role\",\"code\":\"DD\",\"display\":"
          "\"Discharge diagnosis\"}]},\"rank\":" + std::to_string(i + 1) + "}"));
    }
  }
  // The diagnoses as they stand (the new ones are read back through the encounter).
  HB_ASSIGN_OR_RETURN(EncounterDiagnoses dx, ReadEncounterDiagnoses(txn, enc, id));
  if (dx.main.empty()) {
    return Status(ErrorCode::kUnprocessable, "chưa có chẩn đoán ra viện: ghi 'diagnosis' (mã ICD-10 bệnh chính)");
  }
  HB_RETURN_IF_ERROR(DiagnosisStatus(clinical::CheckDiagnoses(ctx.icd, dx.main, dx.secondary)));
  // The encounter.
  HB_RETURN_IF_ERROR(AddParticipant(enc, actor, "DIS", "discharger"));
  HB_ASSIGN_OR_RETURN(auto beds, CloseLocations(enc, now));
  HB_RETURN_IF_ERROR(SetMember(enc, enc, "status", "\"finished\""));
  fhir::JsonValue* period = fhir::Member(enc, "period");
  if (!period) {
    HB_RETURN_IF_ERROR(SetMember(enc, enc, "period", "{}"));
    period = fhir::Member(enc, "period");
  }
  HB_RETURN_IF_ERROR(SetMember(enc, *period, "end", Quote(now)));
  std::string disposition = kq == "5" ? "exp" : rv == "2" ? "other-hcf" : rv == "4" ? "aadvice" : rv == "3" ? "oth" : "home";
  fhir::JsonValue* hosp = fhir::Member(enc, "hospitalization");
  if (!hosp) {
    HB_RETURN_IF_ERROR(SetMember(enc, enc, "hospitalization", "{}"));
    hosp = fhir::Member(enc, "hospitalization");
  }
  HB_RETURN_IF_ERROR(SetMember(enc, *hosp, "dischargeDisposition",
                               "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/discharge-disposition\",\"code\":\"" +
                                   disposition + "\"}],\"text\":" + Quote(kLoaiRv[rv[0] - '0']) + "}"));
  HB_RETURN_IF_ERROR(AppendMember(enc, enc, "extension",
                                  "{\"url\":\"" + Ext("ket-qua-dieu-tri") + "\",\"valueCoding\":{\"system\":\"" +
                                      Ext("ket-qua-dieu-tri") + "\",\"code\":\"" + kq + "\",\"display\":" +
                                      Quote(kKetQua[kq[0] - '0']) + "}}"));
  HB_RETURN_IF_ERROR(AppendMember(enc, enc, "extension",
                                  "{\"url\":\"" + Ext("loai-ra-vien") + "\",\"valueCoding\":{\"system\":\"" +
                                      Ext("loai-ra-vien") + "\",\"code\":\"" + rv + "\",\"display\":" +
                                      Quote(kLoaiRv[rv[0] - '0']) + "}}"));
  HB_ASSIGN_OR_RETURN(out->encounter, UpdateResource(txn, &actor, fhir::Serialize(enc), id, cur.version));
  HB_RETURN_IF_ERROR(FreeBeds(txn, actor, beds));
  // The papers.
  std::string author = actor.principal && !actor.principal->practitioner.empty()
                           ? "Practitioner/" + actor.principal->practitioner
                           : std::string(StrAt(enc, {"serviceProvider", "reference"}));
  if (author.empty()) author = patient_ref;  // never reached for a facility's stay
  std::string diagnoses;
  for (const auto& [code, name] : dx.coded) diagnoses += (diagnoses.empty() ? "" : "; ") + name + " (" + code + ")";
  std::string treatment = in.Get("treatment").value_or("");
  HB_ASSIGN_OR_RETURN(auto mrs, Find(txn, "MedicationRequest", {{"encounter", enc_ref}}));
  std::string drugs;
  for (const auto& m : mrs) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc mr, fhir::ParseJson(m.json));
    std::string_view name = StrAt(mr, {"medicationCodeableConcept", "text"});
    if (name.empty()) name = CodeOf(fhir::Member(mr, "medicationCodeableConcept"));
    if (!name.empty() && drugs.find(std::string(name)) == std::string::npos) {
      drugs += (drugs.empty() ? "" : ", ") + std::string(name);
    }
  }
  if (treatment.empty()) treatment = drugs.empty() ? "Theo dõi, chăm sóc" : "Điều trị nội khoa: " + drugs;
  const std::string notes = in.Get("notes").value_or("");
  const std::string admitted(StrAt(enc, {"period", "start"}));
  const std::string stay = "Vào viện: " + admitted.substr(0, 16) + "; ra viện: " + now.substr(0, 16);
  HB_ASSIGN_OR_RETURN(auto paper, CreateResource(txn, &actor, CompositionJson(
      kLoinc, "18842-5", "Discharge summary", "Giấy ra viện", patient_ref, enc_ref, now, author,
      {{"Thời gian điều trị", stay}, {"Chẩn đoán", diagnoses}, {"Phương pháp điều trị", treatment},
       {"Kết quả điều trị", std::string(kKetQua[kq[0] - '0'])},
       {"Hình thức ra viện", std::string(kLoaiRv[rv[0] - '0'])}, {"Ghi chú", notes}})));
  out->paper = "Composition/" + paper.id;
  // The record summary: the course from the progress notes, the results from the lab.
  std::string course, results;
  HB_ASSIGN_OR_RETURN(auto notes_found, Find(txn, "ClinicalImpression", {{"encounter", enc_ref}}));
  for (const auto& n : notes_found) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, fhir::ParseJson(n.json));
    std::string_view s = fhir::MemberString(d, "summary");
    if (s.empty()) s = fhir::MemberString(d, "description");
    if (!s.empty()) course += (course.empty() ? "" : "; ") + std::string(s);
  }
  HB_ASSIGN_OR_RETURN(auto obs, Find(txn, "Observation", {{"encounter", enc_ref}, {"category", "laboratory"}}));
  for (const auto& o : obs) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, fhir::ParseJson(o.json));
    std::string name(StrAt(d, {"code", "text"}));
    const fhir::JsonValue* v = At(d, {"valueQuantity", "value"});
    std::string value = v && fhir::IsNumber(*v) ? std::string(fhir::NumberText(*v)) + " " + std::string(StrAt(d, {"valueQuantity", "unit"}))
                                               : std::string(fhir::MemberString(d, "valueString"));
    if (!name.empty()) results += (results.empty() ? "" : "; ") + name + (value.empty() ? "" : ": " + value);
  }
  std::string reason(StrAt(enc, {"reasonCode"}));
  if (const fhir::JsonValue* rc = fhir::Member(enc, "reasonCode"); rc && rc->IsArray() && rc->Size() > 0) {
    reason = std::string(fhir::MemberString((*rc)[0], "text"));
  }
  HB_ASSIGN_OR_RETURN(auto summary, CreateResource(txn, &actor, CompositionJson(
      kLoinc, "34133-9", "Summary of episode note", "Tóm tắt hồ sơ bệnh án", patient_ref, enc_ref,
      now, author,
      {{"Lý do vào viện", reason.empty() ? (dx.coded.empty() ? "" : dx.coded[0].second) : reason},
       {"Quá trình bệnh lý và diễn biến lâm sàng", course},
       {"Tóm tắt kết quả xét nghiệm cận lâm sàng", results.empty() ? "Không làm cận lâm sàng" : results},
       {"Chẩn đoán ra viện", diagnoses}, {"Phương pháp điều trị", treatment},
       {"Tình trạng người bệnh ra viện", std::string(kKetQua[kq[0] - '0'])},
       {"Hướng điều trị và các chế độ tiếp theo", notes}})));
  out->summary = "Composition/" + summary.id;
  HB_ASSIGN_OR_RETURN(auto sick_days, in.Number("sickLeaveDays"));
  if (sick_days && *sick_days > 0) {
    HB_ASSIGN_OR_RETURN(auto sick, CreateResource(txn, &actor, CompositionJson(
        kDocType, "giay-nghi-huong-bhxh", "Giấy chứng nhận nghỉ việc hưởng bảo hiểm xã hội",
        "Giấy chứng nhận nghỉ việc hưởng BHXH", patient_ref, enc_ref, now, author,
        {{"Chẩn đoán và phương pháp điều trị", diagnoses + ". " + treatment},
         {"Số ngày nghỉ", DecimalText(*sick_days) + " ngày, từ " + now.substr(0, 10)}})));
    out->sick_leave = "Composition/" + sick.id;
  }
  if (referral) {
    HB_ASSIGN_OR_RETURN(out->referral, CreateReferral(txn, actor, ctx, patient_ref, enc_ref, *referral,
                                                      notes, dx));
    HB_ASSIGN_OR_RETURN(auto rp, CreateResource(txn, &actor, CompositionJson(
        kLoinc, "57133-1", "Referral note", "Giấy chuyển tuyến", patient_ref, enc_ref, now, author,
        {{"Nơi chuyển đến", *referral}, {"Chẩn đoán", diagnoses},
         {"Tóm tắt kết quả cận lâm sàng", results}, {"Phương pháp điều trị", treatment},
         {"Tình trạng người bệnh lúc chuyển tuyến", std::string(kKetQua[kq[0] - '0'])},
         {"Lý do chuyển tuyến", notes}})));
    out->referral_paper = "Composition/" + rp.id;
  }
  if (auto date = in.Get("followUp")) {
    HB_ASSIGN_OR_RETURN(out->appointment, CreateFollowUp(txn, actor, ctx, patient_ref, enc_ref, *date, "Tái khám sau ra viện"));
  }
  return Status::Ok();
}

void Occupancy(const ClinicalContextPtr& ctx, rest::OperationCall call, http::Responder respond) {
  if (!PermitClinical(call, respond, "Encounter", access::Op::kSearch)) return;
  const access::Principal& who = *call.principal;
  // The bed board names the inpatients: a facility's staff see their own wards, operators all.
  if (who.role != access::Role::kSystem &&
      (!access::IsFacilityStaff(who.role) || who.facility_org.empty())) {
    Status no(ErrorCode::kForbidden, "the bed board is for the staff of a facility; the role " +
                                         std::string(access::RoleName(who.role)) + " may not see it");
    if (!Permit(call, respond, no, "Encounter")) return;
  }
  auto in = ClinicalParams::Read(call);
  if (!in.ok()) return RespondStatus(respond, in.status());
  auto txn = call.store->BeginRead();
  rest::ReadAccess reading(who, *call.policy, call.sink, "operation");
  auto one_ward = [&](const std::string& ward_ref, ParametersOut& p) -> Status {
    HB_ASSIGN_OR_RETURN(std::string ward_id,
                        IdFromReference(ward_ref.find('/') == std::string::npos ? "Location/" + ward_ref : ward_ref,
                                        "Location", "ward"));
    HB_RETURN_IF_ERROR(CheckPlaceOfFacility(*txn, who, ward_id));
    HB_ASSIGN_OR_RETURN(Place ward, ReadPlace(*txn, ward_id));
    if (PhysicalType(ward.doc) != "wa") {
      return Status(ErrorCode::kInvalidArgument, "Location/" + ward_id + " không phải là khoa/buồng bệnh (physicalType wa)");
    }
    p.BeginPart("ward");
    p.Reference("location", "Location/" + ward.id, ward.name);
    std::vector<std::pair<Place, std::string>> beds;  // (bed, room name)
    std::vector<std::pair<std::string, std::string>> parents = {{ward.id, ""}};
    for (size_t i = 0; i < parents.size() && i < 1000; ++i) {
      HB_ASSIGN_OR_RETURN(auto kids, Find(*txn, "Location", {{"partof", "Location/" + parents[i].first}}));
      for (auto& k : kids) {
        HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, fhir::ParseJson(k.json));
        std::string name(fhir::MemberString(d, "name"));
        if (PhysicalType(d) == "bd") {
          Place b;
          b.id = k.id;
          b.name = name;
          b.doc = std::move(d);
          beds.emplace_back(std::move(b), parents[i].second);
        } else {
          parents.emplace_back(k.id, name);
        }
      }
    }
    std::sort(beds.begin(), beds.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second < b.second : a.first.name < b.first.name;
    });
    int occupied = 0;
    for (const auto& [bed, room] : beds) occupied += BedStatus(bed.doc) == "O";
    p.Integer("beds", static_cast<int64_t>(beds.size()));
    p.Integer("occupied", occupied);
    p.Integer("free", static_cast<int64_t>(beds.size()) - occupied);
    for (const auto& [bed, room] : beds) {
      p.BeginPart("bed");
      p.Reference("location", "Location/" + bed.id, bed.name);
      if (!room.empty()) p.String("room", room);
      std::string_view st = BedStatus(bed.doc);
      p.Code("status", st.empty() ? "U" : st);
      HB_ASSIGN_OR_RETURN(auto encs, Find(*txn, "Encounter", {{"location", "Location/" + bed.id}, {"status", "in-progress"}}, 5));
      for (const auto& e : encs) {
        // The stay is shown only to who may read it (need-to-know, consent); audited.
        if (!reading.Check(*txn, e).ok()) break;
        HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, fhir::ParseJson(e.json));
        std::string_view patient = StrAt(d, {"subject", "reference"});
        std::string name(StrAt(d, {"subject", "display"}));
        if (name.empty() && patient.starts_with("Patient/")) {
          if (auto pd = ReadLiveDoc(*txn, "Patient", patient.substr(8)); pd.ok()) {
            name = PatientDisplay(pd->IsObject() ? fhir::Serialize(*pd) : "");
          }
        }
        p.Reference("encounter", "Encounter/" + e.id);
        p.Reference("patient", patient, name);
        // The start of this bed's entry.
        if (const fhir::JsonValue* locs = fhir::Member(d, "location"); locs && locs->IsArray()) {
          for (const auto& l : locs->GetArray()) {
            if (StrAt(l, {"location", "reference"}) == "Location/" + bed.id && fhir::MemberString(l, "status") == "active") {
              p.DateTime("since", StrAt(l, {"period", "start"}));
            }
          }
        }
        break;
      }
      p.EndPart();
    }
    p.EndPart();
    return Status::Ok();
  };
  auto run = [&]() -> Result<std::string> {
    ParametersOut p;
    if (auto ward = in->Get("ward")) {
      HB_RETURN_IF_ERROR(one_ward(*ward, p));
      return p.Finish();
    }
    // Every ward of the caller's facility (of every facility for an operator).
    std::vector<std::pair<std::string, std::string>> q;
    if (!call.principal->facility_org.empty()) {
      q.emplace_back("organization", "Organization/" + call.principal->facility_org);
    }
    HB_ASSIGN_OR_RETURN(auto locs, Find(*txn, "Location", q, 5000));
    for (const auto& l : locs) {
      HB_ASSIGN_OR_RETURN(fhir::JsonDoc d, fhir::ParseJson(l.json));
      if (PhysicalType(d) == "wa") HB_RETURN_IF_ERROR(one_ward(l.id, p));
    }
    return p.Finish();
  };
  auto body = run();
  txn.reset();
  reading.Commit();
  if (!body.ok()) return RespondStatus(respond, body.status());
  respond(rest::JsonResponse(200, *body, call.ctx));
}

// A step of the stay as a ClinicalWork.
template <typename Out>
ClinicalWork<Out> Bind(ClinicalContextPtr ctx,
                       Status (*fn)(storage::WriteTxn&, rest::Actor&, const ClinicalContext&,
                                    const ClinicalParams&, const std::string&, Out*)) {
  return [ctx, fn](storage::WriteTxn& txn, rest::Actor& actor, const ClinicalParams& in,
                   const std::string& id, Out* out) { return fn(txn, actor, *ctx, in, id, out); };
}

bool Instance(rest::OperationLevel l, std::string_view t) {
  return l == rest::OperationLevel::kInstance && t == "Encounter";
}

std::string EncounterAnswer(const AdmitOut& o) {
  ParametersOut p;
  p.Resource("encounter", o.encounter.json);
  return p.Finish();
}

}  // namespace

void AddInpatientOperations(rest::FhirService& service, ClinicalContextPtr ctx) {
  service.AddOperation(MakeClinicalOperation("admit", Instance, false,
      [ctx](rest::OperationCall c, http::Responder r) {
        if (!Permit(c, r, CheckClinicalRole(c, {access::Role::kDoctor}, "admission"), "Encounter")) return;
        RunClinicalWrite<AdmitOut>(std::move(c), std::move(r), "Encounter", access::Op::kUpdate,
                                   Bind(ctx, Admit), EncounterAnswer);
      }));
  service.AddOperation(MakeClinicalOperation("transfer", Instance, false,
      [ctx](rest::OperationCall c, http::Responder r) {
        if (!Permit(c, r, CheckClinicalRole(c, {access::Role::kDoctor, access::Role::kNurse}, "a transfer"), "Encounter")) return;
        RunClinicalWrite<AdmitOut>(std::move(c), std::move(r), "Encounter", access::Op::kUpdate,
                                   Bind(ctx, Transfer), EncounterAnswer);
      }));
  service.AddOperation(MakeClinicalOperation("discharge", Instance, false,
      [ctx](rest::OperationCall c, http::Responder r) {
        if (!Permit(c, r, CheckClinicalRole(c, {access::Role::kDoctor}, "discharge"), "Encounter")) return;
        RunClinicalWrite<DischargeOut>(std::move(c), std::move(r), "Encounter", access::Op::kUpdate,
                                       Bind(ctx, Discharge), [](const DischargeOut& o) {
          ParametersOut p;
          p.Resource("encounter", o.encounter.json);
          p.Reference("dischargePaper", o.paper);
          p.Reference("recordSummary", o.summary);
          if (!o.sick_leave.empty()) p.Reference("sickLeave", o.sick_leave);
          if (!o.referral.empty()) p.Reference("referral", o.referral);
          if (!o.referral_paper.empty()) p.Reference("referralPaper", o.referral_paper);
          if (!o.appointment.empty()) p.Reference("appointment", o.appointment);
          return p.Finish();
        });
      }));
  service.AddOperation(MakeClinicalOperation(
      "occupancy",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kType && t == "Location";
      },
      true, [ctx](rest::OperationCall c, http::Responder r) { Occupancy(ctx, std::move(c), std::move(r)); }));
}

}  // namespace hb::operations
