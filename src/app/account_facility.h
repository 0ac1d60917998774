// Which facility an account may be created at, judged by the facility's Organization (the
// one whose identifier is its MA_CSKCB code): a commune-health-worker account belongs to a
// commune health station (trạm y tế xã/phường; Organization.type coded <base>facility-level 4,
// operations::IsCommuneStation), since the role does its clinical work only there
// (docs/implementation/access.md). Used by `healthbook user add` and POST /admin/accounts.
//
// Contract: reads only; thread-safe. Returns a warning text (empty when all is well), or
// kUnprocessable when the facility is registered and is not a commune station, or when a
// commune health worker names no facility. A facility not registered yet is allowed with a
// warning: the account can work once the station's Organization is registered.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "storage/resource_store.h"

namespace hb::app {

Result<std::string> CheckAccountFacility(storage::ReadTxn& txn, std::string_view role,
                                         std::string_view facility);

}  // namespace hb::app
