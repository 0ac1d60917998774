#include "demo/facilities.h"

#include <fmt/format.h>

#include <utility>

#include "demo/fragments.h"
#include "fhir/vn_facility_level.h"

namespace hb::demo {

namespace {

// Where a facility sits: the commune with `code`, else the district's first
// township, else its first commune.
std::pair<int, int> Place(const Province& p, std::string_view commune_code, int district_hint) {
  for (size_t d = 0; d < p.districts.size(); ++d) {
    for (size_t c = 0; c < p.districts[d].communes.size(); ++c) {
      if (p.districts[d].communes[c].code == commune_code)
        return {static_cast<int>(d), static_cast<int>(c)};
    }
  }
  const int d = district_hint < 0 ? 0 : district_hint;
  const auto& communes = p.districts[d].communes;
  for (size_t c = 0; c < communes.size(); ++c) {
    if (communes[c].level == "Thị trấn") return {d, static_cast<int>(c)};
  }
  return {d, 0};
}

// District seats without a township (Điện Biên 2024): the commune that hosts the centre.
std::string_view SeatOf(std::string_view district_code) {
  static constexpr std::pair<std::string_view, std::string_view> kSeats[] = {
      {"094", "03130"}, {"095", "03151"}, {"096", "03160"}, {"100", "03334"}, {"103", "03169"}};
  for (const auto& [district, commune] : kSeats) {
    if (district == district_code) return commune;
  }
  return {};
}

Facility Make(FacilityKind kind, std::string id, std::string code, std::string name,
              std::string parent, std::pair<int, int> place) {
  Facility f{kind, std::move(id),     std::move(code), std::move(name),
             {},   std::move(parent), place.first,     place.second};
  if (!f.code.empty()) f.location_id = "loc-" + f.code;
  return f;
}

struct KindText {
  std::string_view org_type, org_type_display, text, role_code, role_display;
  std::string_view level = {}, level_display = {};  // facility-level (tuyến), care providers
};

KindText TextOf(FacilityKind kind) {
  switch (kind) {
    case FacilityKind::kPayer:
      return {"pay", "Payer", "Cơ quan bảo hiểm xã hội", {}, {}};
    case FacilityKind::kDepartment:
      return {"govt", "Government", "Cơ quan quản lý nhà nước về y tế", {}, {}};
    case FacilityKind::kHospital:
      return {"prov",   "Healthcare Provider",         "Bệnh viện đa khoa tuyến tỉnh", "HOSP",
              "Hospital", fhir::vn::kFacilityLevelProvince, "Tuyến tỉnh"};
    case FacilityKind::kDistrictCentre:
      return {"prov",   "Healthcare Provider",         "Trung tâm y tế tuyến huyện", "HOSP",
              "Hospital", fhir::vn::kFacilityLevelDistrict, "Tuyến huyện"};
    case FacilityKind::kCommuneStation:
      return {"prov",
              "Healthcare Provider",
              "Trạm y tế tuyến xã",
              "PC",
              "Primary care clinic",
              fhir::vn::kFacilityLevelCommune,
              "Tuyến xã"};
  }
  return {};
}

std::string Phone(Rng& rng) { return fmt::format("0215{:07d}", 3800000 + rng.Below(200000)); }

std::string OrganizationJson(const DemoContext& ctx, const Facility& f, Rng& rng) {
  const KindText t = TextOf(f.kind);
  JsonWriter w;
  w.BeginResource("Organization", f.id);
  if (!f.code.empty()) {
    w.ArrayField("identifier");
    WriteIdentifier(w, kTypeProvider, "Mã cơ sở khám bệnh, chữa bệnh", ctx.systems.facility,
                    f.code);
    w.EndArray();
  }
  w.FieldBool("active", true);
  w.ArrayField("type");
  w.StartObject();
  w.ArrayField("coding");
  w.Coding("http://terminology.hl7.org/CodeSystem/organization-type", t.org_type,
           t.org_type_display);
  if (!t.level.empty()) w.Coding(fhir::vn::FacilityLevelSystem(), t.level, t.level_display);
  w.EndArray();
  w.Field("text", t.text);
  w.EndObject();
  w.EndArray();
  w.Field("name", f.name);
  if (f.kind == FacilityKind::kPayer) {
    w.ArrayField("alias");
    w.String("BHXH Việt Nam");
    w.String("Vietnam Social Security");
    w.EndArray();
    w.ArrayField("telecom");
    w.StartObject();
    w.Field("system", "url");
    w.Field("value", "https://baohiemxahoi.gov.vn");
    w.EndObject();
    w.EndArray();
    w.ArrayField("address");
    w.StartObject();
    w.Field("use", "work");
    w.Field("text", "Hà Nội, Việt Nam");
    w.Field("state", "Thành phố Hà Nội");
    w.Field("country", "VN");
    w.EndObject();
    w.EndArray();
  } else {
    w.ArrayField("telecom");
    w.StartObject();
    w.Field("system", "phone");
    w.Field("value", Phone(rng));
    w.Field("use", "work");
    w.EndObject();
    w.EndArray();
    w.ArrayField("address");
    WriteAddress(w, ctx, f.district, f.commune, {}, "work");
    w.EndArray();
  }
  if (!f.parent_id.empty()) {
    const Facility* parent = nullptr;
    for (const Facility& p : ctx.facilities) {
      if (p.id == f.parent_id) parent = &p;
    }
    w.Reference("partOf", "Organization", f.parent_id,
                parent ? std::string_view(parent->name) : std::string_view());
  }
  w.EndObject();
  return w.Take();
}

std::string LocationJson(const DemoContext& ctx, const Facility& f) {
  const KindText t = TextOf(f.kind);
  JsonWriter w;
  w.BeginResource("Location", f.location_id);
  w.ArrayField("identifier");
  WriteIdentifier(w, kTypeProvider, "Mã cơ sở khám bệnh, chữa bệnh", ctx.systems.facility, f.code);
  w.EndArray();
  w.Field("status", "active");
  w.Field("name", f.name);
  w.Field("mode", "instance");
  w.ArrayField("type");
  w.StartObject();
  w.ArrayField("coding");
  w.Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", t.role_code, t.role_display);
  w.EndArray();
  w.Field("text", t.text);
  w.EndObject();
  w.EndArray();
  w.Key("address");
  WriteAddress(w, ctx, f.district, f.commune, {}, "work");
  w.CodeableConcept("physicalType", "http://terminology.hl7.org/CodeSystem/location-physical-type",
                    "bu", "Building");
  w.Reference("managingOrganization", "Organization", f.id, f.name);
  w.EndObject();
  return w.Take();
}

}  // namespace

void PlanFacilities(DemoContext& ctx) {
  const Province& p = ctx.province;
  const std::string short_name =
      p.name.starts_with("Tỉnh ") ? p.name.substr(std::string_view("Tỉnh ").size()) : p.name;
  auto& fs = ctx.facilities;
  ctx.payer = fs.size();
  fs.push_back(
      Make(FacilityKind::kPayer, "org-bhxh-vn", {}, "Bảo hiểm xã hội Việt Nam", {}, {-1, -1}));
  ctx.department = fs.size();
  const std::string department_id = "org-soyte-" + p.code;
  fs.push_back(Make(FacilityKind::kDepartment, department_id, {}, "Sở Y tế " + short_name, {},
                    Place(p, "03136", -1)));
  ctx.hospital = fs.size();
  fs.push_back(Make(FacilityKind::kHospital, "org-" + p.code + "001", p.code + "001",
                    "Bệnh viện Đa khoa " + LowerUnitType(p.name), department_id,
                    Place(p, "03124", -1)));
  for (size_t d = 0; d < p.districts.size(); ++d) {
    const std::string code = fmt::format("{}{:03d}", p.code, 11 + d);
    ctx.centre_by_district[p.districts[d].code] = fs.size();
    fs.push_back(Make(FacilityKind::kDistrictCentre, "org-" + code, code,
                      "Trung tâm Y tế " + LowerUnitType(p.districts[d].name), department_id,
                      Place(p, SeatOf(p.districts[d].code), static_cast<int>(d))));
  }
  size_t serial = 101;
  for (size_t d = 0; d < p.districts.size(); ++d) {
    const std::string& centre_id = fs[ctx.centre_by_district[p.districts[d].code]].id;
    for (size_t c = 0; c < p.districts[d].communes.size(); ++c) {
      const Commune& commune = p.districts[d].communes[c];
      const std::string code = fmt::format("{}{:03d}", p.code, serial++);
      ctx.station_by_commune[commune.code] = fs.size();
      fs.push_back(Make(FacilityKind::kCommuneStation, "org-" + code, code,
                        "Trạm Y tế " + LowerUnitType(commune.name), centre_id,
                        {static_cast<int>(d), static_cast<int>(c)}));
    }
  }
}

Status EmitFacilities(DemoContext& ctx) {
  Rng rng(StreamSeed(0, "facilities"));  // facility data do not depend on the seed
  for (const Facility& f : ctx.facilities) {
    HB_RETURN_IF_ERROR(ctx.emitter.Emit("Organization", f.id, OrganizationJson(ctx, f, rng)));
  }
  for (const Facility& f : ctx.facilities) {
    if (f.location_id.empty()) continue;
    HB_RETURN_IF_ERROR(ctx.emitter.Emit("Location", f.location_id, LocationJson(ctx, f)));
  }
  return Status::Ok();
}

const Facility& StationOf(const DemoContext& ctx, int district, int commune) {
  const std::string& code = ctx.province.districts[district].communes[commune].code;
  return ctx.facilities[ctx.station_by_commune.at(code)];
}

const Facility& CentreOf(const DemoContext& ctx, int district) {
  return ctx.facilities[ctx.centre_by_district.at(ctx.province.districts[district].code)];
}

}  // namespace hb::demo
