// Pharmacy stock by batch (docs/implementation/clinical.md, "Pharmacy stock"):
//   POST Medication/$receive      location, drug (catalogue code), lot, expiry, quantity,
//                                 supplier? -> the batch (a Medication with batch.lotNumber and
//                                 expirationDate), a SupplyDelivery, the stock level raised;
//   POST MedicationRequest/{id}/$dispense   location, quantity? -> batches picked first expiry
//                                 first out (clinical/stock.h), one MedicationDispense and one
//                                 ChargeItem per batch, stock levels lowered, the request
//                                 completed: one transaction; 409 when the usable stock is short;
//   GET  Medication/$stock?location=Location/x[&drug=code] -> on hand per drug and batch;
//   POST Medication/$stock-count  location, batch, counted, note? -> the count recorded (Basic
//                                 stock-count) and the level set to it.
// A stock level is a Basic resource (code stock-level) with a fixed id per location and
// batch, so that each movement reads and rewrites one record in the same transaction.
#include <algorithm>
#include <cstdio>
#include <map>

#include "common/hash.h"
#include "clinical/stock.h"
#include "fhir/vn_systems.h"
#include "operations/clinical_operations.h"
#include "reception/json_out.h"
#include "rest/outcome.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

std::string Ext(std::string_view name) { return std::string(kVnExtBase) + std::string(name); }
std::string LocationSystem() { return std::string(kStockSystem) + "/location"; }

struct StockLevel {
  std::string id;  // Basic id
  int64_t version = 0;  // 0: none yet
  std::string location, batch, drug, drug_display, lot, expiry;
  double on_hand = 0;
};

std::optional<double> NumberIn(const fhir::JsonValue* v) {
  if (!v || !fhir::IsNumber(*v)) return std::nullopt;
  try {
    return std::stod(std::string(fhir::NumberText(*v)));
  } catch (...) {
    return std::nullopt;
  }
}

StockLevel LevelFromJson(const storage::ResourceVersion& v, const fhir::JsonValue& b) {
  StockLevel s;
  s.id = v.id;
  s.version = v.version;
  std::string_view subject = StrAt(b, {"subject", "reference"});
  if (subject.starts_with("Medication/")) s.batch = std::string(subject.substr(11));
  if (const fhir::JsonValue* exts = fhir::Member(b, "extension"); exts && exts->IsArray()) {
    for (const auto& e : exts->GetArray()) {
      std::string_view url = fhir::MemberString(e, "url");
      if (url == Ext("stock-location")) {
        std::string_view r = StrAt(e, {"valueReference", "reference"});
        if (r.starts_with("Location/")) s.location = std::string(r.substr(9));
      } else if (url == Ext("stock-drug")) {
        s.drug = std::string(StrAt(e, {"valueCoding", "code"}));
        s.drug_display = std::string(StrAt(e, {"valueCoding", "display"}));
      } else if (url == Ext("stock-lot")) {
        s.lot = std::string(fhir::MemberString(e, "valueString"));
      } else if (url == Ext("stock-expiry")) {
        s.expiry = std::string(fhir::MemberString(e, "valueDate"));
      } else if (url == Ext("stock-on-hand")) {
        s.on_hand = NumberIn(fhir::Member(e, "valueDecimal")).value_or(0);
      }
    }
  }
  return s;
}

std::string LevelJson(const StockLevel& s, std::string_view today) {
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Basic");
  j.Put("id", s.id);
  j.Key("identifier");
  j.BeginArray();
  j.BeginObject();
  j.Put("system", LocationSystem());
  j.Put("value", s.location);
  j.EndObject();
  j.EndArray();
  j.Key("extension");
  j.BeginArray();
  j.BeginObject();
  j.Put("url", Ext("stock-location"));
  j.PutReference("valueReference", "Location/" + s.location);
  j.EndObject();
  j.BeginObject();
  j.Put("url", Ext("stock-drug"));
  j.Key("valueCoding");
  j.BeginObject();
  j.Put("system", fhir::vn::Systems().charge_code);
  j.Put("code", s.drug);
  if (!s.drug_display.empty()) j.Put("display", s.drug_display);
  j.EndObject();
  j.EndObject();
  j.Extension(Ext("stock-lot"), "valueString", s.lot);
  if (!s.expiry.empty()) j.Extension(Ext("stock-expiry"), "valueDate", s.expiry);
  j.BeginObject();
  j.Put("url", Ext("stock-on-hand"));
  j.Key("valueDecimal");
  j.Number(DecimalText(s.on_hand));
  j.EndObject();
  j.EndArray();
  j.Key("code");
  j.BeginObject();
  j.Key("coding");
  j.BeginArray();
  j.Coding(kStockSystem, "stock-level", "Tồn kho theo lô");
  j.EndArray();
  j.EndObject();
  j.PutReference("subject", "Medication/" + s.batch, s.drug_display + " lô " + s.lot);
  j.Put("created", today);
  j.EndObject();
  return j.Take();
}

Status SaveLevel(storage::WriteTxn& txn, rest::Actor& actor, const StockLevel& s,
                 std::string_view today) {
  if (s.on_hand < -1e-9) {
    return Status(ErrorCode::kConflict, "tồn kho lô " + s.lot + " sẽ âm: thao tác bị từ chối");
  }
  std::string json = LevelJson(s, today);
  if (s.version == 0) return CreateResource(txn, &actor, json, s.id).status();
  return UpdateResource(txn, &actor, json, s.id, s.version).status();
}

Result<StockLevel> ReadLevel(storage::ReadTxn& txn, std::string_view location, std::string_view batch) {
  StockLevel s;
  s.id = "stk-" + std::string(location) + "-" + std::string(batch);
  if (s.id.size() > 64) {
    // Too long for an id: a digest of the pair (cutting it would let two stores or two
    // batches share one level). Short ids stay as they were.
    const uint64_t h = Fnv1a64(batch, Fnv1a64("\n", Fnv1a64(location)));
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    s.id = "stk-" + std::string(location.substr(0, 40)) + "-" + hex;
  }
  s.location = std::string(location);
  s.batch = std::string(batch);
  auto v = txn.Read("Basic", s.id);
  if (v.ok() && !v->deleted) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(v->json));
    return LevelFromJson(*v, doc);
  }
  if (!v.ok() && v.status().code() != ErrorCode::kNotFound) return v.status();
  if (v.ok()) s.version = v->version;  // deleted: the next version revives it
  return s;
}

Result<std::vector<StockLevel>> LevelsAt(storage::ReadTxn& txn, std::string_view location) {
  HB_ASSIGN_OR_RETURN(auto found, Find(txn, "Basic", {{"identifier", LocationSystem() + "|" + std::string(location)}}, 10000));
  std::vector<StockLevel> out;
  for (const auto& v : found) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(v.json));
    if (CodeOf(fhir::Member(doc, "code"), kStockSystem) != "stock-level") continue;
    out.push_back(LevelFromJson(v, doc));
  }
  return out;
}

Result<std::vector<StockLevel>> AllLevels(storage::ReadTxn& txn) {
  HB_ASSIGN_OR_RETURN(auto found, Find(txn, "Basic", {{"code", std::string(kStockSystem) + "|stock-level"}}, 10000));
  std::vector<StockLevel> out;
  for (const auto& v : found) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(v.json));
    out.push_back(LevelFromJson(v, doc));
  }
  return out;
}

// `who`: the store must be one of who's facility (null: any, for looking only).
Result<std::string> LocationParam(storage::ReadTxn& txn, const ClinicalParams& in,
                                  const access::Principal* who) {
  HB_ASSIGN_OR_RETURN(std::string ref, in.Required("location"));
  HB_ASSIGN_OR_RETURN(std::string id, IdFromReference(ref.find('/') == std::string::npos ? "Location/" + ref : ref,
                                                      "Location", "location"));
  HB_RETURN_IF_ERROR(ReadLive(txn, "Location", id).status());
  if (who) HB_RETURN_IF_ERROR(CheckPlaceOfFacility(txn, *who, id));
  return id;
}

// Stock and dispensing are the pharmacy's work.
bool PermitPharmacy(const rest::OperationCall& call, const http::Responder& respond,
                    std::string_view task) {
  return Permit(call, respond, CheckClinicalRole(call, {access::Role::kPharmacist}, task),
                "MedicationDispense");
}

Result<double> PositiveQuantity(const ClinicalParams& in, std::string_view name) {
  HB_ASSIGN_OR_RETURN(auto q, in.Number(name));
  if (!q || !(*q > 0)) {
    return Status(ErrorCode::kInvalidArgument, "'" + std::string(name) + "' phải là số lớn hơn 0",
                  "Parameters.parameter");
  }
  return *q;
}

struct ReceiveOut {
  std::string batch, delivery;
  double on_hand = 0;
};

void ReceiveOp(const ClinicalContextPtr& ctx, rest::OperationCall call, http::Responder respond) {
  if (!PermitPharmacy(call, respond, "receiving stock")) return;
  RunClinicalWrite<ReceiveOut>(
      std::move(call), std::move(respond), "SupplyDelivery", access::Op::kCreate,
      [ctx](storage::WriteTxn& txn, rest::Actor& actor, const ClinicalParams& p,
            const std::string&, ReceiveOut* out) -> Status {
        HB_ASSIGN_OR_RETURN(std::string location, LocationParam(txn, p, actor.principal));
        HB_ASSIGN_OR_RETURN(std::string drug_code, p.Required("drug"));
        const clinical::Drug* drug = ctx->formulary.Find(drug_code);
        if (!drug) {
          return Status(ErrorCode::kUnprocessable,
                        "thuốc " + drug_code + " không có trong danh mục thuốc của cơ sở",
                        "Parameters.parameter");
        }
        HB_ASSIGN_OR_RETURN(std::string lot, p.Required("lot"));
        HB_ASSIGN_OR_RETURN(std::string expiry, p.Required("expiry"));
        if (expiry.size() != 10 || expiry[4] != '-' || expiry[7] != '-') {
          return Status(ErrorCode::kInvalidArgument, "expiry phải là ngày YYYY-MM-DD",
                        "Parameters.parameter");
        }
        const std::string today = TodayIso(ctx->options.utc_offset_minutes);
        if (expiry < today) {
          return Status(ErrorCode::kUnprocessable, "lô " + lot + " đã hết hạn (" + expiry +
                                                       "): không nhập kho");
        }
        HB_ASSIGN_OR_RETURN(double quantity, PositiveQuantity(p, "quantity"));
        const std::string& sys = fhir::vn::Systems().charge_code;
        HB_ASSIGN_OR_RETURN(auto batches, Find(txn, "Medication", {{"code", sys + "|" + drug_code}, {"lot-number", lot}}, 5));
        std::string batch;
        for (const auto& b : batches) {
          HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(b.json));
          if (StrAt(doc, {"batch", "lotNumber"}) == lot) {
            if (StrAt(doc, {"batch", "expirationDate"}).substr(0, 10) != expiry) {
              return Status(ErrorCode::kConflict, "lô " + lot + " của " + drug->name +
                                                      " đã có với hạn dùng khác (" +
                                                      std::string(StrAt(doc, {"batch", "expirationDate"})) + ")");
            }
            batch = b.id;
          }
        }
        if (batch.empty()) {
          reception::JsonOut j;
          j.BeginObject();
          j.Put("resourceType", "Medication");
          j.PutConcept("code", sys, drug->code, drug->name, drug->name);
          j.Put("status", "active");
          j.Key("ingredient");
          j.BeginArray();
          for (const auto& ing : drug->ingredients) {
            j.BeginObject();
            WriteIngredientItem(j, ing);
            j.EndObject();
          }
          j.EndArray();
          j.Key("batch");
          j.BeginObject();
          j.Put("lotNumber", lot);
          j.Put("expirationDate", expiry);
          j.EndObject();
          j.EndObject();
          HB_ASSIGN_OR_RETURN(auto med, CreateResource(txn, &actor, j.Take()));
          batch = med.id;
        }
        reception::JsonOut d;
        d.BeginObject();
        d.Put("resourceType", "SupplyDelivery");
        d.Put("status", "completed");
        d.PutConcept("type", "http://terminology.hl7.org/CodeSystem/supply-item-type", "medication",
                     "Medication", "Nhập kho thuốc");
        d.Key("suppliedItem");
        d.BeginObject();
        d.Key("quantity");
        d.BeginObject();
        d.Key("value");
        d.Number(DecimalText(quantity));
        d.EndObject();
        d.PutReference("itemReference", "Medication/" + batch, drug->name + " lô " + lot);
        d.EndObject();
        d.Put("occurrenceDateTime", NowDateTime(ctx->options.utc_offset_minutes));
        if (auto supplier = p.Get("supplier")) {
          d.Key("supplier");
          d.BeginObject();
          d.Put("display", *supplier);
          d.EndObject();
        }
        d.PutReference("destination", "Location/" + location);
        d.EndObject();
        HB_ASSIGN_OR_RETURN(auto delivery, CreateResource(txn, &actor, d.Take()));
        HB_ASSIGN_OR_RETURN(StockLevel level, ReadLevel(txn, location, batch));
        level.drug = drug->code;
        level.drug_display = drug->name;
        level.lot = lot;
        level.expiry = expiry;
        level.on_hand += quantity;
        HB_RETURN_IF_ERROR(SaveLevel(txn, actor, level, today));
        out->batch = "Medication/" + batch;
        out->delivery = "SupplyDelivery/" + delivery.id;
        out->on_hand = level.on_hand;
        return Status::Ok();
      },
      [](const ReceiveOut& out) {
        ParametersOut p;
        p.Reference("batch", out.batch);
        p.Reference("delivery", out.delivery);
        p.Decimal("onHand", DecimalText(out.on_hand));
        return p.Finish();
      });
}

struct DispenseOut {
  std::vector<std::string> dispenses;  // JSON
  std::vector<std::string> charges;
};

Status Dispense(storage::WriteTxn& txn, rest::Actor& actor, const ClinicalContext& ctx,
                const ClinicalParams& p, const std::string& mr_id, DispenseOut* out) {
  HB_ASSIGN_OR_RETURN(std::string location, LocationParam(txn, p, actor.principal));
  HB_ASSIGN_OR_RETURN(auto cur, ReadLive(txn, "MedicationRequest", mr_id));
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc mr, fhir::ParseJson(cur.json));
  if (fhir::MemberString(mr, "status") != "active") {
    return Status(ErrorCode::kConflict, "đơn MedicationRequest/" + mr_id + " không còn hiệu lực (" +
                                            std::string(fhir::MemberString(mr, "status")) + ")");
  }
  const fhir::JsonValue* med = fhir::Member(mr, "medicationCodeableConcept");
  const clinical::Drug* drug = nullptr;
  if (med) {
    if (const fhir::JsonValue* codings = fhir::Member(*med, "coding"); codings && codings->IsArray()) {
      for (const auto& c : codings->GetArray()) {
        if (!drug) drug = ctx.formulary.Find(fhir::MemberString(c, "code"));
      }
    }
  }
  if (!drug) {
    return Status(ErrorCode::kUnprocessable,
                  "thuốc của đơn không có trong danh mục thuốc của cơ sở: không cấp phát từ kho");
  }
  HB_ASSIGN_OR_RETURN(auto qty_in, p.Number("quantity"));
  double quantity = qty_in.value_or(0);
  std::string unit(StrAt(mr, {"dispenseRequest", "quantity", "unit"}));
  const std::optional<double> prescribed =
      NumberIn(At(mr, {"dispenseRequest", "quantity", "value"}));
  if (qty_in && !(quantity > 0)) {
    return Status(ErrorCode::kInvalidArgument, "'quantity' phải là số lớn hơn 0", "Parameters.parameter");
  }
  if (qty_in && prescribed && *prescribed > 0 && quantity > *prescribed + 1e-9) {
    return Status(ErrorCode::kUnprocessable,
                  "số lượng cấp " + DecimalText(quantity) + " vượt số lượng kê trên đơn (" +
                      DecimalText(*prescribed) + "): không cấp quá đơn",
                  "Parameters.parameter");
  }
  if (!qty_in) {
    quantity = prescribed.value_or(0);
    if (!(quantity > 0)) {
      return Status(ErrorCode::kInvalidArgument,
                    "đơn không ghi số lượng cấp (dispenseRequest.quantity): cho 'quantity'");
    }
  }
  const std::string today = TodayIso(ctx.options.utc_offset_minutes);
  HB_ASSIGN_OR_RETURN(auto levels, LevelsAt(txn, location));
  std::vector<clinical::BatchStock> stock;
  for (const auto& l : levels) {
    if (l.drug == drug->code) stock.push_back({l.batch, l.lot, l.expiry, l.on_hand});
  }
  HB_ASSIGN_OR_RETURN(auto picks, clinical::PickFefo(stock, quantity, today, drug->name));
  const std::string now = NowDateTime(ctx.options.utc_offset_minutes);
  std::string subject = fhir::Serialize(*fhir::Member(mr, "subject"));
  std::string_view enc_ref = StrAt(mr, {"encounter", "reference"});
  std::string provider;
  if (enc_ref.starts_with("Encounter/")) {
    if (auto enc = ReadLiveDoc(txn, "Encounter", enc_ref.substr(10)); enc.ok()) {
      provider = std::string(StrAt(*enc, {"serviceProvider", "reference"}));
    }
  }
  for (const auto& pick : picks) {
    reception::JsonOut j;
    j.BeginObject();
    j.Put("resourceType", "MedicationDispense");
    j.Put("status", "completed");
    j.PutReference("medicationReference", "Medication/" + pick.batch_id,
                   drug->name + " lô " + pick.lot);
    j.Key("subject");
    j.Raw(subject);
    if (!enc_ref.empty()) j.PutReference("context", enc_ref);
    j.PutReference("location", "Location/" + location);
    j.PutReferenceArray("authorizingPrescription", "MedicationRequest/" + mr_id);
    j.Key("quantity");
    j.BeginObject();
    j.Key("value");
    j.Number(DecimalText(pick.quantity));
    if (!unit.empty()) j.Put("unit", unit);
    j.EndObject();
    j.Put("whenHandedOver", now);
    if (const fhir::JsonValue* di = fhir::Member(mr, "dosageInstruction")) {
      j.Key("dosageInstruction");
      j.Raw(fhir::Serialize(*di));
    }
    j.EndObject();
    HB_ASSIGN_OR_RETURN(auto disp, CreateResource(txn, &actor, j.Take()));
    out->dispenses.push_back(disp.json);
    HB_ASSIGN_OR_RETURN(StockLevel level, ReadLevel(txn, location, pick.batch_id));
    level.on_hand -= pick.quantity;
    HB_RETURN_IF_ERROR(SaveLevel(txn, actor, level, today));
    if (!enc_ref.empty()) {
      reception::JsonOut c;
      c.BeginObject();
      c.Put("resourceType", "ChargeItem");
      c.Put("status", "billable");
      c.PutConcept("code", fhir::vn::Systems().charge_code, drug->code, drug->name, drug->name);
      c.Key("subject");
      c.Raw(subject);
      c.PutReference("context", enc_ref);
      c.Put("occurrenceDateTime", now);
      if (!provider.empty()) c.PutReference("performingOrganization", provider);
      c.Key("quantity");
      c.BeginObject();
      c.Key("value");
      c.Number(DecimalText(pick.quantity));
      c.EndObject();
      c.Put("enteredDate", now);
      c.PutReferenceArray("service", "MedicationDispense/" + disp.id);
      c.EndObject();
      HB_ASSIGN_OR_RETURN(auto charge, CreateResource(txn, &actor, c.Take()));
      out->charges.push_back("ChargeItem/" + charge.id);
    }
  }
  HB_RETURN_IF_ERROR(SetMember(mr, mr, "status", "\"completed\""));
  return UpdateResource(txn, &actor, fhir::Serialize(mr), mr_id, cur.version).status();
}

void DispenseOp(const ClinicalContextPtr& ctx, rest::OperationCall call, http::Responder respond) {
  if (!PermitPharmacy(call, respond, "dispensing")) return;
  RunClinicalWrite<DispenseOut>(
      std::move(call), std::move(respond), "MedicationDispense", access::Op::kCreate,
      [ctx](storage::WriteTxn& txn, rest::Actor& actor, const ClinicalParams& p,
            const std::string& id, DispenseOut* out) {
        return Dispense(txn, actor, *ctx, p, id, out);
      },
      [](const DispenseOut& out) {
        ParametersOut p;
        for (const auto& d : out.dispenses) p.Resource("dispense", d);
        for (const auto& c : out.charges) p.Reference("chargeItem", c);
        return p.Finish();
      });
}

void StockOp(const ClinicalContextPtr& ctx, rest::OperationCall call, http::Responder respond) {
  if (!PermitClinical(call, respond, "Medication", access::Op::kSearch)) return;
  auto in = ClinicalParams::Read(call);
  if (!in.ok()) return RespondStatus(respond, in.status());
  auto txn = call.store->BeginRead();
  // One store, or every store (location left out) with each batch's location named. Staff
  // see their own facility's stores only (CheckPlaceOfFacility); operators every store.
  const access::Principal& who = *call.principal;
  Result<std::string> location = std::string();
  if (in->Get("location")) location = LocationParam(*txn, *in, &who);
  if (!location.ok()) {
    txn.reset();
    return void(Permit(call, respond, location.status(), "Medication"));
  }
  if (location->empty() && who.role != access::Role::kSystem && who.facility_org.empty()) {
    txn.reset();
    return void(Permit(call, respond,
                       Status(ErrorCode::kForbidden,
                              "the stock of the stores is shown to their facility's staff; this "
                              "account has no facility"),
                       "Medication"));
  }
  auto levels = location->empty() ? AllLevels(*txn) : LevelsAt(*txn, *location);
  if (levels.ok() && location->empty() && who.role != access::Role::kSystem) {
    std::map<std::string, bool> ours;  // store -> of the caller's facility
    std::erase_if(*levels, [&](const StockLevel& l) {
      auto it = ours.find(l.location);
      if (it == ours.end()) {
        it = ours.emplace(l.location, CheckPlaceOfFacility(*txn, who, l.location).ok()).first;
      }
      return !it->second;
    });
  }
  txn.reset();
  if (!levels.ok()) return RespondStatus(respond, levels.status());
  std::string only = in->Get("drug").value_or("");
  const std::string today = TodayIso(ctx->options.utc_offset_minutes);
  std::map<std::string, std::vector<const StockLevel*>> by_drug;
  for (const auto& l : *levels) {
    if (only.empty() || l.drug == only) by_drug[l.drug].push_back(&l);
  }
  ParametersOut p;
  if (!location->empty()) p.Reference("location", "Location/" + *location);
  for (auto& [drug, list] : by_drug) {
    std::sort(list.begin(), list.end(), [](const StockLevel* a, const StockLevel* b) {
      return a->expiry != b->expiry ? a->expiry < b->expiry : a->lot < b->lot;
    });
    double total = 0, usable = 0;
    for (const auto* l : list) {
      total += l->on_hand;
      if (l->expiry.empty() || l->expiry >= today) usable += l->on_hand;
    }
    p.BeginPart("item");
    p.Code("drug", drug);
    p.String("display", list.front()->drug_display);
    p.Decimal("onHand", DecimalText(total));
    p.Decimal("usable", DecimalText(usable));
    for (const auto* l : list) {
      p.BeginPart("batch");
      p.Reference("medication", "Medication/" + l->batch);
      if (location->empty()) p.Reference("location", "Location/" + l->location);
      p.String("lot", l->lot);
      if (!l->expiry.empty()) p.Date("expiry", l->expiry);
      p.Decimal("onHand", DecimalText(l->on_hand));
      p.Bool("expired", !l->expiry.empty() && l->expiry < today);
      p.EndPart();
    }
    p.EndPart();
  }
  respond(rest::JsonResponse(200, p.Finish(), call.ctx));
}

struct CountOut {
  double expected = 0, counted = 0;
  std::string count;
};

void StockCountOp(const ClinicalContextPtr& ctx, rest::OperationCall call, http::Responder respond) {
  if (!PermitPharmacy(call, respond, "a stock count")) return;
  RunClinicalWrite<CountOut>(
      std::move(call), std::move(respond), "Basic", access::Op::kCreate,
      [ctx](storage::WriteTxn& txn, rest::Actor& actor, const ClinicalParams& p,
            const std::string&, CountOut* out) -> Status {
        HB_ASSIGN_OR_RETURN(std::string location, LocationParam(txn, p, actor.principal));
        HB_ASSIGN_OR_RETURN(std::string batch_ref, p.Required("batch"));
        HB_ASSIGN_OR_RETURN(std::string batch, IdFromReference(batch_ref, "Medication", "batch"));
        HB_ASSIGN_OR_RETURN(auto counted_in, p.Number("counted"));
        if (!counted_in || *counted_in < 0) {
          return Status(ErrorCode::kInvalidArgument, "'counted' phải là số không âm",
                        "Parameters.parameter");
        }
        HB_ASSIGN_OR_RETURN(StockLevel level, ReadLevel(txn, location, batch));
        if (level.version == 0) {
          return Status(ErrorCode::kNotFound, "kho Location/" + location + " chưa có lô Medication/" +
                                                  batch);
        }
        const std::string today = TodayIso(ctx->options.utc_offset_minutes);
        out->expected = level.on_hand;
        out->counted = *counted_in;
        reception::JsonOut j;
        j.BeginObject();
        j.Put("resourceType", "Basic");
        j.Key("identifier");
        j.BeginArray();
        j.BeginObject();
        j.Put("system", LocationSystem());
        j.Put("value", location);
        j.EndObject();
        j.EndArray();
        j.Key("extension");
        j.BeginArray();
        j.BeginObject();
        j.Put("url", Ext("stock-count-expected"));
        j.Key("valueDecimal");
        j.Number(DecimalText(level.on_hand));
        j.EndObject();
        j.BeginObject();
        j.Put("url", Ext("stock-count-counted"));
        j.Key("valueDecimal");
        j.Number(DecimalText(*counted_in));
        j.EndObject();
        j.BeginObject();
        j.Put("url", Ext("stock-count-adjustment"));
        j.Key("valueDecimal");
        j.Number(DecimalText(*counted_in - level.on_hand));
        j.EndObject();
        if (auto note = p.Get("note")) j.Extension(Ext("stock-count-note"), "valueString", *note);
        j.EndArray();
        j.Key("code");
        j.BeginObject();
        j.Key("coding");
        j.BeginArray();
        j.Coding(kStockSystem, "stock-count", "Kiểm kê kho");
        j.EndArray();
        j.EndObject();
        j.PutReference("subject", "Medication/" + batch, level.drug_display + " lô " + level.lot);
        j.Put("created", today);
        j.EndObject();
        HB_ASSIGN_OR_RETURN(auto count, CreateResource(txn, &actor, j.Take()));
        out->count = "Basic/" + count.id;
        level.on_hand = *counted_in;
        return SaveLevel(txn, actor, level, today);
      },
      [](const CountOut& out) {
        ParametersOut p;
        p.Reference("count", out.count);
        p.Decimal("expected", DecimalText(out.expected));
        p.Decimal("counted", DecimalText(out.counted));
        p.Decimal("adjustment", DecimalText(out.counted - out.expected));
        return p.Finish();
      });
}

bool TypeLevel(rest::OperationLevel l, std::string_view t, std::string_view want) {
  return l == rest::OperationLevel::kType && t == want;
}

}  // namespace

void AddPharmacyOperations(rest::FhirService& service, ClinicalContextPtr ctx) {
  service.AddOperation(MakeClinicalOperation(
      "receive", [](rest::OperationLevel l, std::string_view t) { return TypeLevel(l, t, "Medication"); },
      false, [ctx](rest::OperationCall c, http::Responder r) { ReceiveOp(ctx, std::move(c), std::move(r)); }));
  service.AddOperation(MakeClinicalOperation(
      "dispense",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kInstance && t == "MedicationRequest";
      },
      false, [ctx](rest::OperationCall c, http::Responder r) { DispenseOp(ctx, std::move(c), std::move(r)); }));
  service.AddOperation(MakeClinicalOperation(
      "stock", [](rest::OperationLevel l, std::string_view t) { return TypeLevel(l, t, "Medication"); },
      true, [ctx](rest::OperationCall c, http::Responder r) { StockOp(ctx, std::move(c), std::move(r)); }));
  service.AddOperation(MakeClinicalOperation(
      "stock-count", [](rest::OperationLevel l, std::string_view t) { return TypeLevel(l, t, "Medication"); },
      false, [ctx](rest::OperationCall c, http::Responder r) { StockCountOp(ctx, std::move(c), std::move(r)); }));
}

}  // namespace hb::operations
