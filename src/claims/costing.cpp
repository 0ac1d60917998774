#include "claims/costing.h"

#include <algorithm>

#include "claims/fhir_read.h"
#include "fhir/vn_systems.h"
#include "identity/bhyt_qr.h"

namespace hb::claims {

namespace {

std::string CardOf(const Episode& e) {
  if (e.coverage) {
    std::string_view card = IdentifierIn(*e.coverage, fhir::vn::Systems().bhyt_card);
    if (card.empty()) card = fhir::MemberString(*e.coverage, "subscriberId");
    if (!card.empty()) return std::string(card);
  }
  return {};
}

// MA_DOITUONG_KCB and the route's rate (docs/implementation/claims-xml.md, "Benefit").
void DecideRoute(const Episode& e, Benefit& b) {
  const bool inpatient = IsInpatient(e);
  const std::string_view cls = Str(e.encounter, {"class", "code"});
  const std::string_view origin =
      RefId(At(e.encounter, {"hospitalization", "origin"}), "Organization");
  if (cls == "EMER" || CodeIn(At(e.encounter, {"priority"})) == "EM") {
    b.doi_tuong = "2";
  } else if (!origin.empty()) {
    b.doi_tuong = "1.3";
    auto it = e.organizations.find(std::string(origin));
    if (it != e.organizations.end()) b.noi_di = it->second.code;
  } else if (!e.registered.code.empty() && e.registered.code == e.facility.code) {
    b.doi_tuong = "1.1";
  } else if (e.facility.level == FacilityLevel::kCommune ||
             e.facility.level == FacilityLevel::kDistrict) {
    b.doi_tuong = "1.7";  // the district network: paid as in network since 2016
  } else if (e.facility.level == FacilityLevel::kProvince) {
    b.doi_tuong = inpatient ? "1.8" : "3";  // provincial inpatient network since 2021
    b.route_percent = inpatient ? 100 : 0;
  } else {
    b.doi_tuong = inpatient ? "3.2" : "3";
    b.route_percent = inpatient ? 40 : 0;
  }
}

const fhir::JsonValue* FindById(const std::vector<fhir::JsonDoc>& docs, std::string_view id) {
  for (const auto& d : docs) {
    if (fhir::MemberString(d, "id") == id) return &d;
  }
  return nullptr;
}

std::string Licence(const Episode& e, const fhir::JsonValue* ref) {
  std::string_view id = RefId(ref, "Practitioner");
  const PractitionerFacts* p = id.empty() ? nullptr : e.Practitioner(id);
  return p ? p->licence : std::string();
}

// The encounter's primary performer (participant PPRF), else its first participant.
const fhir::JsonValue* PrimaryPerformer(const Episode& e) {
  const fhir::JsonValue* parts = fhir::Member(e.encounter, "participant");
  if (!parts || !parts->IsArray()) return nullptr;
  const fhir::JsonValue* first = nullptr;
  for (const auto& p : parts->GetArray()) {
    const fhir::JsonValue* who = fhir::Member(p, "individual");
    if (!who) continue;
    if (!first) first = who;
    if (CodeIn(First(p, "type")) == "PPRF") return who;
  }
  return first;
}

std::string_view OccurrenceOf(const fhir::JsonValue& ci) {
  std::string_view t = Str(ci, {"occurrenceDateTime"});
  if (t.empty()) t = Str(ci, {"occurrencePeriod", "start"});
  if (t.empty()) t = Str(ci, {"enteredDate"});
  return t;
}

// When the drug was handed over or given, from a dispense or administration of `request`.
std::string DrugPerformedAt(const Episode& e, std::string_view request_id) {
  const std::string ref = "MedicationRequest/" + std::string(request_id);
  for (const auto& a : e.medication_administrations) {
    if (Str(a, {"request", "reference"}) == ref) {
      std::string_view t = Str(a, {"effectiveDateTime"});
      if (t.empty()) t = Str(a, {"effectivePeriod", "start"});
      return TableDateTime(t);
    }
  }
  for (const auto& d : e.medication_dispenses) {
    const fhir::JsonValue* auth = First(d, "authorizingPrescription");
    if (auth && Str(*auth, {"reference"}) == ref) return TableDateTime(Str(d, {"whenHandedOver"}));
  }
  return {};
}

// A drug line's prescription: the ChargeItem's service is the MedicationDispense (or
// MedicationAdministration) that authorised it, or the MedicationRequest itself.
void LinkPrescription(const Episode& e, CostLine& l) {
  std::string_view ref = l.service_ref;
  std::string request_id;
  if (ref.starts_with("MedicationDispense/")) {
    if (const fhir::JsonValue* d = FindById(e.medication_dispenses, ref.substr(19))) {
      request_id = std::string(RefId(First(*d, "authorizingPrescription"), "MedicationRequest"));
      l.performed_at = TableDateTime(Str(*d, {"whenHandedOver"}));
    }
  } else if (ref.starts_with("MedicationAdministration/")) {
    if (const fhir::JsonValue* a = FindById(e.medication_administrations, ref.substr(25))) {
      request_id = std::string(RefId(At(*a, {"request"}), "MedicationRequest"));
      std::string_view t = Str(*a, {"effectiveDateTime"});
      l.performed_at = TableDateTime(t.empty() ? Str(*a, {"effectivePeriod", "start"}) : t);
    }
  } else if (ref.starts_with("MedicationRequest/")) {
    request_id = std::string(ref.substr(18));
  }
  l.request = request_id.empty() ? nullptr : FindById(e.medication_requests, request_id);
  if (!l.request) return;
  l.ordered_at = TableDateTime(Str(*l.request, {"authoredOn"}));
  l.doctor = Licence(e, At(*l.request, {"requester"}));
  if (ref.starts_with("MedicationRequest/")) l.performed_at = DrugPerformedAt(e, request_id);
}

bool Billable(const fhir::JsonValue& ci) {
  const std::string_view s = fhir::MemberString(ci, "status");
  return s == "billable" || s == "billed";
}

void Problem(ClaimErrors* problems, const fhir::JsonValue& ci, std::string rule, std::string value,
             std::string vi, std::string en) {
  if (!problems) return;
  problems->push_back(ClaimError{"FHIR", 0,
                                 "ChargeItem/" + std::string(fhir::MemberString(ci, "id")),
                                 std::move(rule), std::move(value), std::move(vi), std::move(en)});
}

void Price(CostLine& l, bool drug, int muc_huong) {
  const int dv = drug ? 100 : l.service_rate;
  l.total_bv = (l.quantity * l.unit_price).Percent(dv).Round(2);
  l.total_bh =
      l.item->scope == 2
          ? Decimal()
          : (l.quantity * l.insured_unit_price).Percent(dv).Percent(l.insured_rate).Round(2);
  l.fund = l.total_bh.Percent(muc_huong).Round(2);
  l.copay = l.total_bh - l.fund;
  l.patient = l.total_bv - l.total_bh;
}

}  // namespace

Costing ComputeCosting(const Episode& e, const Catalogs& cat, ClaimErrors* problems,
                       const CostingOptions& options) {
  Costing c;
  Benefit& b = c.benefit;
  b.card = CardOf(e);
  b.insured = b.card.size() == 15 && b.card[2] >= '1' && b.card[2] <= '5';
  b.card_level = b.insured ? b.card[2] - '0' : 0;
  DecideRoute(e, b);
  const std::string start = TableDateTime(Str(e.encounter, {"period", "start"}));
  const int start_day = start.empty() ? options.default_day : std::stoi(start.substr(0, 8));
  const std::string doctor = Licence(e, PrimaryPerformer(e));

  for (const auto& ci : e.charge_items) {
    if (!Billable(ci)) continue;
    const fhir::JsonValue* code = fhir::Member(ci, "code");
    std::string_view local = CodeIn(code, fhir::vn::Systems().charge_code);
    if (local.empty()) local = CodeIn(code);
    const std::string at = TableDateTime(OccurrenceOf(ci));
    const int day = at.empty() ? start_day : std::stoi(at.substr(0, 8));
    CostLine l;
    l.charge_item = &ci;
    l.item = cat.prices ? cat.prices->Find(local, e.facility.code, day) : nullptr;
    if (!l.item) {
      Problem(problems, ci, "price-list", std::string(local),
              "Không có mã " + std::string(local) + " trong bảng giá của cơ sở " + e.facility.code +
                  " tại ngày " + std::to_string(day),
              "item " + std::string(local) + " is not in the price list of facility " +
                  e.facility.code + " on " + std::to_string(day));
      // Billing only: an item the list lacks (a service on request) is billed at its
      // priceOverride, outside the fund's scope. The claim stays stopped by the problem.
      auto over = Decimal::Parse(Num(ci, {"priceOverride", "value"}));
      if (!options.price_unlisted || !over || over->IsNegative() || over->DecimalPlaces() > 3)
        continue;
      auto item = std::make_unique<PriceItem>();
      item->kind = ItemKind::kService;
      item->local_code = std::string(local);
      item->name = std::string(ConceptText(code));
      item->price = *over;
      item->scope = 2;
      item->insured_rate = 0;
      l.item = item.get();
      c.unlisted.push_back(std::move(item));
    }
    std::string_view qty = Num(ci, {"quantity", "value"});
    auto q = qty.empty() ? std::optional<Decimal>(Decimal::FromInt(1)) : Decimal::Parse(qty);
    if (!q || q->IsNegative()) {
      Problem(problems, ci, "quantity", std::string(qty), "Số lượng không hợp lệ",
              "the quantity is not a non-negative number");
      continue;
    }
    l.quantity = q->Round(3);
    l.unit_price = l.item->price;
    l.insured_unit_price = l.item->insured_price;
    if (auto over = Decimal::Parse(Num(ci, {"priceOverride", "value"}))) {
      l.unit_price = over->Round(3);
      l.insured_unit_price = std::min(l.insured_unit_price, l.unit_price);
    }
    l.service_rate = l.item->service_rate;
    l.insured_rate = l.item->scope == 2 ? 0 : l.item->insured_rate;
    if (const fhir::JsonValue* s = First(ci, "service"))
      l.service_ref = std::string(Str(*s, {"reference"}));
    l.ordered_at = at.empty() ? start : at;
    l.performed_at = at;
    l.doctor = Licence(e, At(ci, {"enterer"}));
    if (l.item->kind == ItemKind::kDrug) LinkPrescription(e, l);
    if (l.doctor.empty()) l.doctor = doctor;
    if (const fhir::JsonValue* ps = fhir::Member(ci, "performer"); ps && ps->IsArray()) {
      for (const auto& p : ps->GetArray()) {
        std::string lic = Licence(e, At(p, {"actor"}));
        if (lic.empty()) continue;
        if (!l.performers.empty()) l.performers += ';';
        l.performers += lic;
      }
    }
    (l.item->kind == ItemKind::kDrug ? c.drugs : c.services).push_back(std::move(l));
  }

  // MUC_HUONG needs the in-scope total first (the 15% of base salary rule).
  b.muc_huong = identity::BenefitPercent(b.card_level) * b.route_percent / 100;
  Decimal in_scope;
  for (auto* lines : {&c.drugs, &c.services}) {
    for (CostLine& l : *lines) {
      Price(l, l.item->kind == ItemKind::kDrug, 0);
      in_scope += l.total_bh;
    }
  }
  const std::string end = TableDateTime(Str(e.encounter, {"period", "end"}));
  const int end_day = end.empty() ? start_day : std::stoi(end.substr(0, 8));
  auto salary =
      cat.codes ? Decimal::Parse(cat.codes->ValidOn("LUONG_CO_SO", end_day)) : std::nullopt;
  const bool small = salary && in_scope < salary->Percent(15);
  if (b.insured && b.route_percent == 100 &&
      (small || e.facility.level == FacilityLevel::kCommune)) {
    b.muc_huong = 100;
  }
  if (!b.insured) b.muc_huong = 0;
  for (auto* lines : {&c.drugs, &c.services}) {
    for (CostLine& l : *lines) {
      Price(l, l.item->kind == ItemKind::kDrug, b.muc_huong);
      c.t_tongchi_bv += l.total_bv;
      c.t_tongchi_bh += l.total_bh;
      c.t_bntt += l.patient;
      c.t_bncct += l.copay;
      c.t_nguonkhac += l.other;
      c.t_bhtt_gdv += l.fund;  // every line is paid by fee for service (MA_PTTT 1)
      if (l.item->kind == ItemKind::kDrug) c.t_thuoc += l.total_bv;
      if (l.item->kind != ItemKind::kDrug && l.item->group == 10) c.t_vtyt += l.total_bv;
    }
  }
  c.t_bhtt = c.t_tongchi_bh - c.t_bncct;
  return c;
}

}  // namespace hb::claims
