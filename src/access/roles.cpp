#include "access/roles.h"

#include <array>
#include <utility>

namespace hb::access {

namespace {

// One row per role: its name and what it may do in broad strokes.
struct RoleInfo {
  Role role;
  std::string_view name;
  bool facility_staff;  // reads patient data only with a care relationship
  bool writes_clinical; // creates and changes clinical records
};

constexpr std::array<RoleInfo, 15> kRoles{{
    {Role::kSystemAdmin, "system-admin", false, false},
    {Role::kFacilityAdmin, "facility-admin", true, false},
    {Role::kReceptionist, "receptionist", true, true},
    {Role::kDoctor, "doctor", true, true},
    {Role::kNurse, "nurse", true, true},
    {Role::kLabTechnician, "lab-technician", true, true},
    {Role::kImagingTechnician, "imaging-technician", true, true},
    {Role::kPharmacist, "pharmacist", true, true},
    {Role::kCashier, "cashier", true, true},
    {Role::kClaimsOfficer, "claims-officer", true, true},
    {Role::kCommuneHealthWorker, "commune-health-worker", true, true},
    {Role::kDohOfficial, "doh-official", false, false},
    {Role::kCitizen, "citizen", false, false},
    {Role::kIntegration, "integration", true, true},
    {Role::kSystem, "system", false, true},
}};

const RoleInfo* Find(Role role) {
  for (const auto& info : kRoles) {
    if (info.role == role) return &info;
  }
  return nullptr;
}

}  // namespace

std::string_view RoleName(Role role) {
  const RoleInfo* info = Find(role);
  return info ? info->name : "unknown";
}

std::optional<Role> RoleFromName(std::string_view name) {
  for (const auto& info : kRoles) {
    if (info.name == name) return info.role;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = [] {
    std::vector<Role> v;
    for (const auto& info : kRoles) v.push_back(info.role);
    return v;
  }();
  return kAll;
}

bool IsFacilityStaff(Role role) {
  const RoleInfo* info = Find(role);
  return info && info->facility_staff;
}

bool MayWriteClinical(Role role) {
  const RoleInfo* info = Find(role);
  return info && info->writes_clinical;
}

// Reception desks, and commune health workers, who receive patients at commune stations
// where there is no receptionist.
bool MayFindPatients(Role role) {
  return role == Role::kReceptionist || role == Role::kCommuneHealthWorker;
}

}  // namespace hb::access
