#include "app/account_facility.h"

#include "access/roles.h"
#include "fhir/json.h"
#include "fhir/search_escape.h"
#include "fhir/vn_systems.h"
#include "operations/op_support.h"
#include "reception/candidate_search.h"

namespace hb::app {

Result<std::string> CheckAccountFacility(storage::ReadTxn& txn, std::string_view role,
                                         std::string_view facility) {
  if (role != access::RoleName(access::Role::kCommuneHealthWorker)) return std::string();
  if (facility.empty()) {
    return Status(ErrorCode::kUnprocessable,
                  "a commune health worker works at a commune health station: give the "
                  "station's MA_CSKCB code as the account's facility");
  }
  const std::string code(facility);
  HB_ASSIGN_OR_RETURN(
      auto found, reception::SearchResources(
                      txn, "Organization",
                      {{"identifier", fhir::EscapeToken(fhir::vn::Systems().facility, code)}},
                      1));
  if (found.empty()) {
    return "the facility " + code +
           " is not registered yet (no Organization with this MA_CSKCB code): the commune "
           "health worker can work once it is registered as a commune health station "
           "(Organization.type facility-level 4)";
  }
  auto org = fhir::ParseJson(found[0].json);
  if (!org.ok()) return org.status();
  if (operations::IsCommuneStation(*org)) return std::string();
  std::string name(fhir::MemberString(*org, "name"));
  return Status(ErrorCode::kUnprocessable,
                "the facility " + code + (name.empty() ? "" : " (" + name + ")") +
                    " is not a commune health station (its Organization.type names another "
                    "level): a commune-health-worker account belongs to a trạm y tế xã/phường; "
                    "give staff here the role of their work (doctor, nurse, ...)");
}

}  // namespace hb::app
