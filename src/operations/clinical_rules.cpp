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
#include <functional>
#include <optional>
#include <set>
#include <tuple>

#include "clinical/prescription_checks.h"
#include "clinical/vital_signs.h"
#include "access/access_policy.h"
#include "fhir/model.h"
#include "fhir/vn_systems.h"
#include "operations/clinical_operations.h"
#include "operations/op_support.h"
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

// A commune health worker records patient data only at a commune health station (the role
// covers every task of a station, access.md): an account of that role whose facility is not a
// station (IsCommuneStation) writes no patient data, through the API as through the
// operations (CheckClinicalRole).
class CommuneStationRule : public rest::WriteRule {
 public:
  Status Check(storage::WriteTxn& txn, rest::Actor& actor, const rest::ResourceInput&,
               std::string_view, bool) const override {
    const access::Principal* p = actor.principal;
    if (!p || p->role != access::Role::kCommuneHealthWorker) return Status::Ok();
    HB_ASSIGN_OR_RETURN(bool station, AtCommuneStation(txn, *p));
    if (station) return Status::Ok();
    return Status(ErrorCode::kForbidden,
                  "a commune health worker records patient data only at a commune health "
                  "station; the facility " +
                      (p->facility.empty() ? std::string("(none)") : p->facility) +
                      " of this account is not one (Organization.type)");
  }
};

// The author of a clinical record (docs/implementation/access.md, "Who is the author"):
//  - left out: the signed-in practitioner (requester of orders and prescriptions, assessor of
//    notes, recorder of diagnoses and allergies, performer of observations and
//    administrations). The claims tables need them (MA_BAC_SI, NGUOI_THUC_HIEN).
//  - naming someone else (a literal Practitioner/ or PractitionerRole/ reference): only a
//    nurse or doctor signed in as a Practitioner, recording on behalf of a doctor of their own
//    facility (an active PractitionerRole with code doctor at it): a verbal or telephone order.
//    Who entered it is kept: MedicationRequest.recorder, or for the other types a Provenance
//    (agent "author" = the doctor, agent "enterer" = the signed-in practitioner). Everybody
//    else gets 403. Condition and AllergyIntolerance `recorder` is who entered the record
//    itself: it must be the signed-in practitioner (the clinician goes in `asserter`).
//  - changing the author of an existing record: only to the signed-in practitioner.
// Operators (role system) are limited by their scopes only, as everywhere; identifier-only
// references (a lab analyser's technician code) name no signed-in identity and are kept.
class AuthorRule : public rest::WriteRule {
 public:
  enum class Shape { kReference, kReferences, kActors };  // Reference, [Reference], [{actor}]
  AuthorRule(ClinicalContextPtr ctx, std::string type, std::string member, Shape shape)
      : ctx_(std::move(ctx)), type_(std::move(type)), member_(std::move(member)), shape_(shape) {}

  bool Amend(storage::WriteTxn& txn, rest::Actor& actor, rest::ResourceInput& in,
             bool create) const override {
    if (!create || !actor.principal || actor.principal->practitioner.empty()) return false;
    const std::string self = "Practitioner/" + actor.principal->practitioner;
    if (fhir::Member(*in.json, member_)) {
      // An order entered for someone else records who entered it (checked in Check).
      if (type_ != "MedicationRequest" || fhir::Member(*in.json, "recorder")) return false;
      auto named = Named(txn, *in.json);
      if (!named.ok() || named->empty() || *named == std::vector<std::string>{self}) return false;
      return AddMember(in, "recorder", RefJson(self));
    }
    const std::string ref = RefJson(self);
    return AddMember(in, member_,
                     shape_ == Shape::kReference    ? ref
                     : shape_ == Shape::kReferences ? "[" + ref + "]"
                                                    : "[{\"actor\":" + ref + "}]");
  }

  Status Check(storage::WriteTxn& txn, rest::Actor& actor, const rest::ResourceInput& in,
               std::string_view id, bool create) const override {
    const access::Principal* p = actor.principal;
    if (!p || p->role == access::Role::kSystem) return Status::Ok();
    HB_ASSIGN_OR_RETURN(std::vector<std::string> named, Named(txn, *in.json));
    const std::string self =
        p->practitioner.empty() ? std::string() : "Practitioner/" + p->practitioner;
    std::vector<std::string> others;
    for (const auto& n : named) {
      if (n != self) others.push_back(n);
    }
    // An update compares with the stored record: read and parsed once, when first needed
    // (null when there is none, or it is deleted).
    std::optional<fhir::JsonDoc> stored;
    bool stored_read = false;
    auto before = [&]() -> Result<const fhir::JsonDoc*> {
      if (!stored_read) {
        stored_read = true;
        auto v = txn.Read(type_, id);
        if (v.ok() && !v->deleted) {
          HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(v->json));
          stored.emplace(std::move(doc));
        }
      }
      return stored ? &*stored : nullptr;
    };
    if (type_ == "MedicationRequest") {
      std::string_view recorder = StrAt(*in.json, {"recorder", "reference"});
      std::string stored_recorder;  // an update may keep the recorder it had
      if (!create && !recorder.empty() && recorder != self) {
        HB_ASSIGN_OR_RETURN(const fhir::JsonDoc* doc, before());
        if (doc) stored_recorder = std::string(StrAt(*doc, {"recorder", "reference"}));
      }
      if (!recorder.empty() && recorder != self && recorder != stored_recorder) {
        return Refuse("MedicationRequest.recorder is who entered the prescription: it can only "
                      "be the signed-in practitioner (" +
                      (self.empty() ? std::string("none: this account is not linked to a "
                                                  "Practitioner")
                                    : self) +
                      ")");
      }
    }
    if (others.empty()) return Status::Ok();
    if (!create) {
      // Keeping the author as it was is fine; changing it, only to oneself.
      HB_ASSIGN_OR_RETURN(const fhir::JsonDoc* doc, before());
      if (doc) {
        HB_ASSIGN_OR_RETURN(std::vector<std::string> was, Named(txn, *doc));
        if (was == named) return Status::Ok();
      }
      return Refuse(type_ + "." + member_ + " of an existing record can only be changed to the "
                    "signed-in practitioner; " + others.front() + " is someone else");
    }
    if (member_ == "recorder") {
      return Refuse(type_ + ".recorder is who entered the record: it can only be the signed-in "
                    "practitioner; name the clinician who stated it as " + type_ + ".asserter");
    }
    if (p->role != access::Role::kNurse && p->role != access::Role::kDoctor) {
      return Refuse("only a nurse or a doctor records " + type_ + "." + member_ +
                    " on behalf of a doctor; the role " + std::string(access::RoleName(p->role)) +
                    " names only itself (" + others.front() + " is someone else)");
    }
    if (self.empty()) {
      return Refuse("this account is not linked to a Practitioner, so who entered the record on "
                    "behalf of " + others.front() + " could not be kept; ask the facility "
                    "administrator to link the account (user add --practitioner)");
    }
    for (const auto& other : others) {
      HB_ASSIGN_OR_RETURN(bool doctor, IsDoctorAt(txn, other, p->facility_org));
      if (!doctor) {
        return Refuse(type_ + "." + member_ + " names " + other + ", who is not a doctor of your "
                      "facility (an active PractitionerRole with code doctor there): a record is "
                      "entered on behalf of a doctor of the same facility only");
      }
    }
    return Status::Ok();
  }

  // Who entered a record on behalf of someone else, for the types without a recorder.
  Status After(storage::WriteTxn& txn, rest::Actor& actor, const storage::ResourceVersion& v,
               bool create) const override {
    const access::Principal* p = actor.principal;
    if (!create || !p || p->role == access::Role::kSystem || p->practitioner.empty() ||
        type_ == "MedicationRequest") {
      return Status::Ok();
    }
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(v.json));
    HB_ASSIGN_OR_RETURN(std::vector<std::string> named, Named(txn, doc));
    const std::string self = "Practitioner/" + p->practitioner;
    std::vector<std::string> others;
    for (const auto& n : named) {
      if (n != self) others.push_back(n);
    }
    if (others.empty()) return Status::Ok();
    const std::string coding_system =
        "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    reception::JsonOut j;
    j.BeginObject();
    j.Put("resourceType", "Provenance");
    j.PutReferenceArray("target", type_ + "/" + v.id);
    j.Put("recorded", NowDateTime(ctx_->options.utc_offset_minutes));
    j.PutConcept("activity", "http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE",
                 "create", "Ghi thay bác sĩ (y lệnh miệng)");
    j.Key("agent");
    j.BeginArray();
    for (const auto& other : others) {
      j.BeginObject();
      j.PutConcept("type", coding_system, "author", "Author", "Người chỉ định");
      j.PutReference("who", other);
      j.EndObject();
    }
    j.BeginObject();
    j.PutConcept("type", coding_system, "enterer", "Enterer", "Người ghi");
    j.PutReference("who", self);
    j.PutReference("onBehalfOf", others.front());
    j.EndObject();
    j.EndArray();
    j.EndObject();
    return CreateResource(txn, &actor, j.Take()).status();
  }

 private:
  static Status Refuse(std::string why) { return Status(ErrorCode::kForbidden, std::move(why)); }

  static bool AddMember(rest::ResourceInput& in, const std::string& name_text,
                        const std::string& text) {
    fhir::JsonDoc part;
    part.Parse(text.c_str());
    if (part.HasParseError()) return false;
    fhir::JsonValue value;
    value.CopyFrom(part, *in.alloc);
    fhir::JsonValue name(name_text.c_str(), static_cast<rapidjson::SizeType>(name_text.size()),
                         *in.alloc);
    in.json->AddMember(name, value, *in.alloc);
    return true;
  }

  // The Practitioners the member names by literal reference ("Practitioner/x"; a
  // PractitionerRole stands for its practitioner), sorted and unique.
  Result<std::vector<std::string>> Named(storage::ReadTxn& txn, const fhir::JsonValue& r) const {
    std::vector<std::string> out;
    const fhir::JsonValue* m = fhir::Member(r, member_);
    if (!m) return out;
    std::vector<const fhir::JsonValue*> refs;
    if (shape_ == Shape::kReference) {
      refs.push_back(m);
    } else if (m->IsArray()) {
      for (const auto& e : m->GetArray()) {
        refs.push_back(shape_ == Shape::kActors ? fhir::Member(e, "actor") : &e);
      }
    }
    for (const fhir::JsonValue* ref : refs) {
      if (!ref || !ref->IsObject()) continue;
      std::string_view text = fhir::MemberString(*ref, "reference");
      if (text.starts_with("Practitioner/")) {
        out.emplace_back(text);
      } else if (text.starts_with("PractitionerRole/")) {
        HB_ASSIGN_OR_RETURN(fhir::JsonDoc role, ReadLiveDoc(txn, "PractitionerRole", text.substr(17)));
        std::string_view who = StrAt(role, {"practitioner", "reference"});
        if (!who.starts_with("Practitioner/")) {
          return Status(ErrorCode::kForbidden, std::string(text) + " names no Practitioner");
        }
        out.emplace_back(who);
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // Has `practitioner` ("Practitioner/x") an active PractitionerRole with code doctor at
  // Organization/`org`?
  static Result<bool> IsDoctorAt(storage::ReadTxn& txn, const std::string& practitioner,
                                 const std::string& org) {
    if (org.empty()) return false;
    HB_ASSIGN_OR_RETURN(auto roles, Find(txn, "PractitionerRole", {{"practitioner", practitioner}}));
    for (const auto& v : roles) {
      HB_ASSIGN_OR_RETURN(fhir::JsonDoc role, fhir::ParseJson(v.json));
      if (const fhir::JsonValue* a = fhir::Member(role, "active"); a && a->IsBool() && !a->GetBool()) {
        continue;
      }
      if (StrAt(role, {"organization", "reference"}) != "Organization/" + org) continue;
      const fhir::JsonValue* codes = fhir::Member(role, "code");
      if (!codes || !codes->IsArray()) continue;
      for (const auto& c : codes->GetArray()) {
        if (CodeOf(&c, "http://terminology.hl7.org/CodeSystem/practitioner-role") == "doctor") {
          return true;
        }
      }
    }
    return false;
  }

  ClinicalContextPtr ctx_;
  std::string type_;
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
    j.PutReferenceArray("service", sr_ref);
    j.EndObject();
    return CreateResource(txn, &actor, j.Take()).status();
  }

 private:
  ClinicalContextPtr ctx_;
};

// The patient's active allergies and active prescription lines (but `skip_ids`), split by
// whether the caller may read them (`visible`: need-to-know and consent, as every read);
// the others (withheld from the caller's facility) still take part in the check, but are
// never quoted (PrescriptionFindings).
struct PatientMedicationFacts {
  std::vector<clinical::AllergyFact> allergies, withheld_allergies;
  std::vector<clinical::PrescribedItem> active, withheld_active;
};
using Visible = std::function<bool(storage::ReadTxn&, const storage::ResourceVersion&)>;

// `with_active`: also the active lines (only lines of catalogue drugs need them).
Result<PatientMedicationFacts> ReadPatientFacts(storage::ReadTxn& txn, const ClinicalContext& ctx,
                                                std::string_view patient_ref,
                                                const std::vector<std::string>& skip_ids,
                                                bool with_active, const Visible& visible) {
  PatientMedicationFacts out;
  if (!patient_ref.starts_with("Patient/")) return out;
  HB_ASSIGN_OR_RETURN(auto allergies, Find(txn, "AllergyIntolerance",
                                           {{"patient", std::string(patient_ref)}}));
  for (const auto& a : allergies) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(a.json));
    std::string_view cs = CodeOf(fhir::Member(doc, "clinicalStatus"));
    std::string_view vs = CodeOf(fhir::Member(doc, "verificationStatus"));
    if ((!cs.empty() && cs != "active") || vs == "refuted" || vs == "entered-in-error") continue;
    (visible(txn, a) ? out.allergies : out.withheld_allergies)
        .push_back(clinical::AllergyFromResource(doc));
  }
  if (!with_active) return out;
  HB_ASSIGN_OR_RETURN(auto mrs, Find(txn, "MedicationRequest",
                                     {{"subject", std::string(patient_ref)}, {"status", "active"}}));
  for (const auto& m : mrs) {
    if (std::find(skip_ids.begin(), skip_ids.end(), m.id) != skip_ids.end()) continue;
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(m.json));
    (visible(txn, m) ? out.active : out.withheld_active)
        .push_back(clinical::ItemFromMedicationRequest(doc, ctx.formulary, "MedicationRequest/" + m.id));
  }
  return out;
}

// The findings of `items` against the patient's facts. Findings from what the caller may read
// are quoted; what only the withheld records add becomes one finding per item, of kind
// "withheld", that says a record withheld from the caller's facility conflicts, without
// naming it (the clinician can ask the patient, or read it with break-the-glass).
std::vector<clinical::PrescriptionFinding> PrescriptionFindings(
    const clinical::Formulary& formulary, const std::vector<clinical::PrescribedItem>& items,
    const PatientMedicationFacts& facts) {
  auto findings = clinical::CheckPrescription(formulary, items, facts.active, facts.allergies);
  if (facts.withheld_active.empty() && facts.withheld_allergies.empty()) return findings;
  std::vector<clinical::PrescribedItem> all_active = facts.active;
  all_active.insert(all_active.end(), facts.withheld_active.begin(), facts.withheld_active.end());
  std::vector<clinical::AllergyFact> all_allergies = facts.allergies;
  all_allergies.insert(all_allergies.end(), facts.withheld_allergies.begin(),
                       facts.withheld_allergies.end());
  auto with_withheld = clinical::CheckPrescription(formulary, items, all_active, all_allergies);
  std::multiset<std::tuple<size_t, std::string, std::string>> quoted;
  for (const auto& f : findings) quoted.insert({f.item, f.kind, f.message});
  std::set<size_t> conflicting;
  for (const auto& f : with_withheld) {
    auto it = quoted.find({f.item, f.kind, f.message});
    if (it != quoted.end()) {
      quoted.erase(it);
    } else {
      conflicting.insert(f.item);
    }
  }
  for (size_t item : conflicting) {
    findings.push_back(
        {"withheld",
         "Thuốc " + (items[item].display.empty() ? items[item].drug_code : items[item].display) +
             " xung đột với một hồ sơ của người bệnh không được chia sẻ với cơ sở của bạn "
             "(dị ứng, thuốc đang dùng hoặc tương tác; người bệnh đã từ chối chia sẻ - "
             "Consent). Hỏi lại người bệnh, hoặc xem hồ sơ khi cấp cứu (X-Break-Glass-Reason)",
         item});
  }
  return findings;
}

class PrescriptionRule : public rest::WriteRule {
 public:
  explicit PrescriptionRule(ClinicalContextPtr ctx) : ctx_(std::move(ctx)) {}

  Status Check(storage::WriteTxn& txn, rest::Actor& actor, const rest::ResourceInput& in,
               std::string_view id, bool create) const override {
    std::string_view status = fhir::MemberString(*in.json, "status");
    if (!create || (status != "active" && status != "draft")) return Status::Ok();
    clinical::PrescribedItem item =
        clinical::ItemFromMedicationRequest(*in.json, ctx_->formulary, "MedicationRequest");
    // What the prescriber may not read (consent) is checked but not quoted. The write's own
    // audit record covers the patient; the facts are not returned.
    Visible visible = [&actor](storage::ReadTxn& t, const storage::ResourceVersion& v) {
      if (!actor.principal || !actor.policy) return true;
      auto facts = t.Facts(v.type, v.id);
      if (!facts.ok()) return false;
      access::AccessNote note;
      return actor.policy->CheckRecord(*actor.principal, v.type, access::Op::kRead, *facts, t, &note)
          .ok();
    };
    // A drug outside the catalogue can only meet an allergy by name.
    HB_ASSIGN_OR_RETURN(auto facts, ReadPatientFacts(txn, *ctx_, StrAt(*in.json, {"subject", "reference"}),
                                                     {std::string(id)}, !item.drug_code.empty(),
                                                     visible));
    auto findings = PrescriptionFindings(ctx_->formulary, {item}, facts);
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
  Visible visible = [&reading](storage::ReadTxn& t, const storage::ResourceVersion& v) {
    return reading.Check(t, v).ok();
  };
  auto facts = ReadPatientFacts(*txn, *ctx, patient, ids, true, visible);
  txn.reset();
  reading.Commit();
  if (!facts.ok()) return RespondStatus(respond, facts.status());
  auto findings = PrescriptionFindings(ctx->formulary, items, *facts);
  std::vector<fhir::OutcomeIssue> issues;
  for (const auto& f : findings) {
    issues.push_back(rest::RuleFindingIssue(
        "warning", f.kind, f.message, "Parameters.parameter[" + std::to_string(f.item) + "].resource"));
  }
  if (findings.empty()) {
    issues.push_back(fhir::InformationIssue(
        "Không phát hiện cảnh báo (dị ứng, trùng hoạt chất, liều tối đa, tương tác)"));
  }
  respond(rest::JsonResponse(200, fhir::OperationOutcomeJson(issues), call.ctx));
}

}  // namespace

void AddPrescribingRules(rest::FhirService& service, ClinicalContextPtr ctx) {
  using Shape = AuthorRule::Shape;
  for (auto [type, member, shape] :
       std::initializer_list<std::tuple<const char*, const char*, Shape>>{
           {"MedicationRequest", "requester", Shape::kReference},
           {"ServiceRequest", "requester", Shape::kReference},
           {"ClinicalImpression", "assessor", Shape::kReference},
           {"Condition", "recorder", Shape::kReference},
           {"AllergyIntolerance", "recorder", Shape::kReference},
           {"Observation", "performer", Shape::kReferences},
           {"MedicationAdministration", "performer", Shape::kActors}}) {
    rest::AddWriteRule(type, std::make_shared<AuthorRule>(ctx, type, member, shape));
  }
  auto station = std::make_shared<CommuneStationRule>();
  for (std::string_view type : fhir::Model::R4().ResourceTypes()) {
    if (access::IsPatientData(type)) rest::AddWriteRule(std::string(type), station);
  }
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
