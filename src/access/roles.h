// The roles of healthbook's users and machine clients, and what each may do
// in broad strokes (the need-to-know rules are in access_policy.h).
//
// Contract: constexpr tables, thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace hb::access {

enum class Role {
  kSystemAdmin,          // runs the installation: accounts, keys; no clinical reading
  kFacilityAdmin,        // manages the accounts of one facility
  kReceptionist,         // finds and registers patients, queues them
  kDoctor,
  kNurse,
  kLabTechnician,
  kImagingTechnician,
  kPharmacist,
  kCashier,
  kClaimsOfficer,
  kCommuneHealthWorker,
  kDohOfficial,          // Department of Health: aggregates only
  kCitizen,              // a patient: their own record only
  kIntegration,          // a machine client of one facility: lab middleware, PACS, payment gateway
  kSystem,               // an operator or backend token minted from the data folder: scopes only
};

std::string_view RoleName(Role role);  // "doctor", "doh-official", ...
std::optional<Role> RoleFromName(std::string_view name);
const std::vector<Role>& AllRoles();

// Staff of a facility: reading patient data needs a care relationship.
bool IsFacilityStaff(Role role);
// May create or change clinical records (within their facility).
bool MayWriteClinical(Role role);
// May read any patient's demographics to find them (reception, patient matching).
bool MayFindPatients(Role role);

}  // namespace hb::access
