#include "demo/clinical_setup.h"

#include <fmt/format.h>

#include "demo/dates.h"
#include "demo/json_writer.h"

namespace hb::demo {

namespace {

constexpr std::string_view kPhysicalType =
    "http://terminology.hl7.org/CodeSystem/location-physical-type";
constexpr std::string_view kBedStatus = "http://terminology.hl7.org/CodeSystem/v2-0116";
constexpr std::string_view kExt = "http://healthbook.vn/fhir/StructureDefinition/";
constexpr std::string_view kStock = "http://healthbook.vn/fhir/CodeSystem/stock";
constexpr std::string_view kStore = "loc-11001-khoduoc";

struct WardSpec {
  std::string_view key, name, department;
  int rooms, beds_per_room;
};
constexpr WardSpec kWards[] = {
    {"k03", "Khoa Nội tổng hợp", "K03", 3, 4},
    {"k02", "Khoa Hồi sức cấp cứu", "K02", 1, 4},
};

struct BatchSpec {
  std::string_view code, name, lot, expiry, received, quantity;
};
// Drugs of the facility catalogue (resources/catalogs/drug-formulary.csv) and their batches.
constexpr BatchSpec kBatches[] = {
    {"T-PARA500", "Paracetamol 500 mg", "PA2401", "2025-12-31", "2025-01-10", "200"},
    {"T-PARA500", "Paracetamol 500 mg", "PA2507", "2028-06-30", "2025-07-15", "1000"},
    {"T-PARA500", "Paracetamol 500 mg", "PA2512", "2029-12-31", "2025-12-20", "2000"},
    {"T-PARA250", "Paracetamol 250 mg", "PB2509", "2028-09-30", "2025-09-01", "300"},
    {"T-AMOX500", "Amoxicilin 500 mg", "AM2506", "2028-03-31", "2025-06-10", "800"},
    {"T-AMOX500", "Amoxicilin 500 mg", "AM2511", "2029-05-31", "2025-11-20", "1500"},
    {"T-AMOX250", "Amoxicilin 250 mg", "AX2508", "2028-08-31", "2025-08-05", "300"},
    {"T-CETI10", "Cetirizin 10 mg", "CE2504", "2028-04-30", "2025-04-02", "500"},
    {"T-OMEP20", "Omeprazol 20 mg", "OM2510", "2028-10-31", "2025-10-12", "600"},
    {"T-AMLO5", "Amlodipin 5 mg", "AL2509", "2028-09-30", "2025-09-18", "1200"},
    {"T-METF500", "Metformin 500 mg", "ME2507", "2028-07-31", "2025-07-22", "1500"},
    {"T-MELO75", "Meloxicam 7,5 mg", "ML2506", "2028-06-30", "2025-06-25", "400"},
    {"T-CIPRO500", "Ciprofloxacin 500 mg", "CI2508", "2028-08-31", "2025-08-30", "400"},
    {"T-ZINC10", "Kẽm sulfat 10 mg", "ZN2505", "2028-05-31", "2025-05-14", "500"},
    {"T-ORS245", "Oresol 245", "OR2509", "2028-09-30", "2025-09-09", "600"},
    {"T-SALB2", "Salbutamol 2 mg", "SA2507", "2028-07-31", "2025-07-07", "400"},
};

Status EmitLocation(DemoContext& ctx, const std::string& id, std::string_view name,
                    std::string_view type, std::string_view type_display,
                    const std::string& parent, std::string_view department, bool bed) {
  const Facility& h = ctx.facilities[ctx.hospital];
  JsonWriter w;
  w.BeginResource("Location", id);
  if (!department.empty()) {
    w.ArrayField("extension");
    w.StartObject();
    w.Field("url", std::string(kExt) + "department");
    w.ObjectField("valueCoding");
    w.Field("system", std::string(kExt) + "department");
    w.Field("code", department);
    w.EndObject();
    w.EndObject();
    w.EndArray();
  }
  w.Field("status", "active");
  if (bed) {
    w.ObjectField("operationalStatus");
    w.Field("system", kBedStatus);
    w.Field("code", "U");
    w.Field("display", "Unoccupied");
    w.EndObject();
  }
  w.Field("name", name);
  w.Field("mode", "instance");
  w.CodeableConcept("physicalType", kPhysicalType, type, type_display);
  w.Reference("managingOrganization", "Organization", h.id, h.name);
  w.Reference("partOf", "Location", parent);
  w.EndObject();
  return ctx.emitter.Emit("Location", id, w.Take());
}

std::string BatchId(const BatchSpec& b) {
  std::string id = "med-" + std::string(b.code) + "-" + std::string(b.lot);
  return id;
}

Status EmitBatch(DemoContext& ctx, const BatchSpec& b) {
  const std::string batch = BatchId(b);
  {
    JsonWriter w;
    w.BeginResource("Medication", batch);
    w.CodeableConcept("code", ctx.systems.charge_code, b.code, b.name, b.name);
    w.Field("status", "active");
    w.ObjectField("batch");
    w.Field("lotNumber", b.lot);
    w.Field("expirationDate", b.expiry);
    w.EndObject();
    w.EndObject();
    HB_RETURN_IF_ERROR(ctx.emitter.Emit("Medication", batch, w.Take()));
  }
  {
    const std::string id = "sd-" + std::string(b.code) + "-" + std::string(b.lot);
    JsonWriter w;
    w.BeginResource("SupplyDelivery", id);
    w.Field("status", "completed");
    w.CodeableConcept("type", "http://terminology.hl7.org/CodeSystem/supply-item-type", "medication",
                      "Medication", "Nhập kho thuốc");
    w.ObjectField("suppliedItem");
    w.ObjectField("quantity");
    w.FieldDecimal("value", b.quantity);
    w.EndObject();
    w.Reference("itemReference", "Medication", batch, std::string(b.name) + " lô " + std::string(b.lot));
    w.EndObject();
    w.Field("occurrenceDateTime", std::string(b.received) + "T08:00:00+07:00");
    w.ObjectField("supplier");
    w.Field("display", "Công ty Dược phẩm Điện Biên");
    w.EndObject();
    w.Reference("destination", "Location", kStore);
    w.EndObject();
    HB_RETURN_IF_ERROR(ctx.emitter.Emit("SupplyDelivery", id, w.Take()));
  }
  const std::string level = "stk-" + std::string(kStore) + "-" + batch;
  JsonWriter w;
  w.BeginResource("Basic", level);
  w.ArrayField("identifier");
  w.StartObject();
  w.Field("system", std::string(kStock) + "/location");
  w.Field("value", kStore);
  w.EndObject();
  w.EndArray();
  w.ArrayField("extension");
  w.StartObject();
  w.Field("url", std::string(kExt) + "stock-location");
  w.Reference("valueReference", "Location", kStore);
  w.EndObject();
  w.StartObject();
  w.Field("url", std::string(kExt) + "stock-drug");
  w.ObjectField("valueCoding");
  w.Field("system", ctx.systems.charge_code);
  w.Field("code", b.code);
  w.Field("display", b.name);
  w.EndObject();
  w.EndObject();
  w.StartObject();
  w.Field("url", std::string(kExt) + "stock-lot");
  w.Field("valueString", b.lot);
  w.EndObject();
  w.StartObject();
  w.Field("url", std::string(kExt) + "stock-expiry");
  w.Field("valueDate", b.expiry);
  w.EndObject();
  w.StartObject();
  w.Field("url", std::string(kExt) + "stock-on-hand");
  w.FieldDecimal("valueDecimal", b.quantity);
  w.EndObject();
  w.EndArray();
  w.ObjectField("code");
  w.ArrayField("coding");
  w.Coding(kStock, "stock-level", "Tồn kho theo lô");
  w.EndArray();
  w.EndObject();
  w.Reference("subject", "Medication", batch, std::string(b.name) + " lô " + std::string(b.lot));
  w.Field("created", b.received);
  w.EndObject();
  return ctx.emitter.Emit("Basic", level, w.Take());
}

}  // namespace

Status EmitClinicalSetup(DemoContext& ctx) {
  const Facility& h = ctx.facilities[ctx.hospital];
  for (const WardSpec& ward : kWards) {
    const std::string ward_id = "loc-" + h.code + "-" + std::string(ward.key);
    HB_RETURN_IF_ERROR(EmitLocation(ctx, ward_id, ward.name, "wa", "Ward", h.location_id,
                                    ward.department, false));
    for (int r = 1; r <= ward.rooms; ++r) {
      const std::string room_id = fmt::format("{}-p{}", ward_id, r);
      const std::string room_name = fmt::format("Phòng {}{:02d}", ward.key == "k03" ? 1 : 2, r);
      HB_RETURN_IF_ERROR(EmitLocation(ctx, room_id, room_name, "ro", "Room", ward_id, {}, false));
      for (int b = 1; b <= ward.beds_per_room; ++b) {
        HB_RETURN_IF_ERROR(EmitLocation(ctx, fmt::format("{}-g{}", room_id, b),
                                        fmt::format("Giường {} - {}", b, room_name), "bd", "Bed",
                                        room_id, {}, true));
      }
    }
  }
  HB_RETURN_IF_ERROR(EmitLocation(ctx, std::string(kStore), "Kho dược - Bệnh viện Đa khoa tỉnh",
                                  "si", "Site", h.location_id, {}, false));
  for (const BatchSpec& b : kBatches) HB_RETURN_IF_ERROR(EmitBatch(ctx, b));
  return Status::Ok();
}

Status EmitPatientAllergies(DemoContext& ctx, int index, std::string_view patient_id,
                            std::string_view patient_name) {
  struct AllergySpec {
    std::string_view atc, display, text, reaction;
    std::string_view criticality;
  };
  static constexpr AllergySpec kPenicillin = {"J01C", "Beta-lactam antibacterials, penicillins",
                                              "Penicilin", "Nổi mề đay, khó thở", "high"};
  static constexpr AllergySpec kNsaid = {"M01A", "Anti-inflammatory and antirheumatic products, non-steroids",
                                         "Thuốc chống viêm không steroid (NSAID)", "Phù mạch", "low"};
  const AllergySpec* spec = nullptr;
  if (index == 2 || index % 11 == 0) spec = &kPenicillin;
  else if (index == 3 || index % 17 == 0) spec = &kNsaid;
  if (!spec) return Status::Ok();
  const std::string id = fmt::format("alg-{:06d}-1", index);
  JsonWriter w;
  w.BeginResource("AllergyIntolerance", id);
  w.CodeableConcept("clinicalStatus", "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                    "active", "Active");
  w.CodeableConcept("verificationStatus",
                    "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                    "confirmed", "Confirmed");
  w.Field("type", "allergy");
  w.ArrayField("category");
  w.String("medication");
  w.EndArray();
  w.Field("criticality", spec->criticality);
  w.CodeableConcept("code", "http://www.whocc.no/atc", spec->atc, spec->display, spec->text);
  w.Reference("patient", "Patient", patient_id, patient_name);
  w.Field("recordedDate", "2025-06-01");
  w.ArrayField("reaction");
  w.StartObject();
  w.ArrayField("manifestation");
  w.StartObject();
  w.Field("text", spec->reaction);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return ctx.emitter.Emit("AllergyIntolerance", id, w.Take());
}

}  // namespace hb::demo
