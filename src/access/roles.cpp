#include "access/roles.h"

#include <array>
#include <utility>

namespace hb::access {

namespace {
constexpr std::array<std::pair<Role, std::string_view>, 15> kNames{{
    {Role::kSystemAdmin, "system-admin"},
    {Role::kFacilityAdmin, "facility-admin"},
    {Role::kReceptionist, "receptionist"},
    {Role::kDoctor, "doctor"},
    {Role::kNurse, "nurse"},
    {Role::kLabTechnician, "lab-technician"},
    {Role::kImagingTechnician, "imaging-technician"},
    {Role::kPharmacist, "pharmacist"},
    {Role::kCashier, "cashier"},
    {Role::kClaimsOfficer, "claims-officer"},
    {Role::kCommuneHealthWorker, "commune-health-worker"},
    {Role::kDohOfficial, "doh-official"},
    {Role::kCitizen, "citizen"},
    {Role::kIntegration, "integration"},
    {Role::kSystem, "system"},
}};
}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, n] : kNames) {
    if (r == role) return n;
  }
  return "unknown";
}

std::optional<Role> RoleFromName(std::string_view name) {
  for (const auto& [r, n] : kNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = [] {
    std::vector<Role> v;
    for (const auto& [r, n] : kNames) v.push_back(r);
    return v;
  }();
  return kAll;
}

bool IsFacilityStaff(Role role) {
  switch (role) {
    case Role::kFacilityAdmin:
    case Role::kReceptionist:
    case Role::kDoctor:
    case Role::kNurse:
    case Role::kLabTechnician:
    case Role::kImagingTechnician:
    case Role::kPharmacist:
    case Role::kCashier:
    case Role::kClaimsOfficer:
    case Role::kCommuneHealthWorker:
    case Role::kIntegration:
      return true;
    default:
      return false;
  }
}

bool MayWriteClinical(Role role) {
  switch (role) {
    case Role::kReceptionist:
    case Role::kDoctor:
    case Role::kNurse:
    case Role::kLabTechnician:
    case Role::kImagingTechnician:
    case Role::kPharmacist:
    case Role::kCashier:
    case Role::kClaimsOfficer:
    case Role::kCommuneHealthWorker:
    case Role::kIntegration:
    case Role::kSystem:
      return true;
    default:
      return false;
  }
}

bool MayFindPatients(Role role) {
  return role == Role::kReceptionist;
}

}  // namespace hb::access
