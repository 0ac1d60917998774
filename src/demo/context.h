// Internal to src/demo: the state one BuildDemoProvince run shares between the
// generators (facilities, practitioners, patients, clinical), and the Emitter
// that forwards resources to the sink and counts them.
//
// Contract: one DemoContext per run, used on one thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "demo/catalogs.h"
#include "demo/cccd.h"
#include "demo/demo_province.h"
#include "fhir/vn_systems.h"

namespace hb::demo {

class Emitter {
 public:
  Emitter(const Sink& sink, DemoSummary& summary) : sink_(sink), summary_(summary) {}
  Status Emit(std::string_view type, std::string_view id, std::string json) {
    HB_RETURN_IF_ERROR(sink_(type, id, std::move(json)));
    auto it = summary_.counts.find(type);
    if (it == summary_.counts.end()) it = summary_.counts.emplace(std::string(type), 0).first;
    ++it->second;
    return Status::Ok();
  }

 private:
  const Sink& sink_;
  DemoSummary& summary_;
};

enum class FacilityKind { kPayer, kDepartment, kHospital, kDistrictCentre, kCommuneStation };

struct Facility {
  FacilityKind kind;
  std::string id;           // "org-11001"
  std::string code;         // MA_CSKCB, empty for payer and department
  std::string name;         // "Bệnh viện Đa khoa tỉnh Điện Biên"
  std::string location_id;  // "loc-11001", empty when no Location
  std::string parent_id;    // partOf, empty at the top
  int district = -1;        // index into Province::districts, -1 when national
  int commune = -1;         // index into that district's communes
};

enum class Profession { kDoctor, kAssistantPhysician, kNurse, kMidwife, kPharmacist };

struct StaffMember {
  std::string practitioner_id;  // "prac-0001"
  std::string name;             // "Lò Văn Ơn"
  Profession profession;
  bool Prescribes() const {
    return profession == Profession::kDoctor || profession == Profession::kAssistantPhysician;
  }
};

struct DemoContext {
  const fhir::vn::IdentifierSystems& systems;
  const Province& province;
  const std::map<std::string, IcdEntry, std::less<>>& icd;
  Emitter& emitter;
  IdNumberPool ids;

  std::vector<Facility> facilities;                       // in emission order
  std::map<std::string, size_t> station_by_commune;       // commune code -> index in facilities
  std::map<std::string, size_t> centre_by_district;       // district code -> index
  size_t hospital = 0, department = 0, payer = 0;         // indexes in facilities
  std::map<std::string, std::vector<StaffMember>> staff;  // facility id -> staff
  bool lifelong = false;  // DemoOptions::lifelong
  uint64_t seed = 0;      // DemoOptions::seed, for the lifelong streams
};

}  // namespace hb::demo
