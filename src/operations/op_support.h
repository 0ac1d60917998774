// What the operations share: their configuration and long-lived helpers (Context), the
// access checks they add to the policy's, running a write as the caller, and answering.
//
// Contract: functions are thread-safe; Context is immutable after registration (its
// members are themselves thread-safe).
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "access/principal.h"
#include "identity/card_date.h"
#include "operations/operations.h"
#include "operations/parameters.h"
#include "reception/card_history_client.h"
#include "reception/queue_snapshot.h"
#include "rest/operation.h"
#include "rest/write_ops.h"

namespace hb::operations {

struct Context {
  OperationsOptions options;
  std::shared_ptr<reception::CardHistoryClient> card_history;
  std::shared_ptr<reception::QueueNumbers> queue_numbers;
};
using ContextPtr = std::shared_ptr<const Context>;

// Answers a refusal (403; an audit record when `audit_type` holds patient data) unless
// `st` is OK; returns st.ok().
bool Permit(const rest::OperationCall& call, const http::Responder& respond, const Status& st,
            std::string_view audit_type = "Patient");
// $identify and $start-visit: a reception desk (receptionist) or an operator, with the
// token's scopes for `type` and `op`.
Status CheckReception(const rest::OperationCall& call, std::string_view type, access::Op op);
// $merge, $unmerge and $duplicates: an operator or a facility administrator, whose token
// allows `op` on Patient.
Status CheckDataSteward(const rest::OperationCall& call, access::Op op);

// Clinical work of the wards and the pharmacy: an operator (role system), one of `roles`,
// or a commune health worker (who does every clinical task at a commune station) whose
// facility is a commune health station (IsCommuneStation); anywhere else the worker is
// refused. `task` names the work in the refusal (403), which names the caller's role.
Status CheckClinicalRole(const rest::OperationCall& call,
                         std::initializer_list<access::Role> roles, std::string_view task);
// Whether the Organization `org` is a commune health station (trạm y tế xã/phường): a `type`
// coding of <base>facility-level with code 4 (tuyến xã; fhir/vn_facility_level.h), as the demo
// province writes it. An Organization with no facility-level coding at all is judged by its
// type text or a coding's display ("Trạm y tế tuyến xã" or "commune health station"); one
// coded with another level is not a station, whatever its text says.
bool IsCommuneStation(const fhir::JsonValue& org);
// Whether `p`'s facility (its Organization, read on `txn`) is a commune health station; false
// for a caller of no facility or one whose Organization is not (yet) stored. The verdict is
// kept per facility with the Organization's JSON it was made from and reused while a read
// returns the same bytes (always current: any change of the Organization is judged again).
Result<bool> AtCommuneStation(storage::ReadTxn& txn, const access::Principal& p);
// May `p` change or look at the place Location/`id` (a bed, room, ward, store)? The first
// managingOrganization found walking up partOf must be p's facility (operators: any). 403
// otherwise (also for a place of no facility and for a caller of none); 404 when absent.
Status CheckPlaceOfFacility(storage::ReadTxn& txn, const access::Principal& p, std::string_view id);

// Runs `work` on the store's writer as the caller (an Actor whose audit records commit with
// the write); `done` runs after the commit (or failure), on the writer thread.
using WriteWork = std::function<Status(storage::WriteTxn&, rest::Actor&)>;
void WriteAsCaller(const rest::OperationCall& call, WriteWork work,
                   std::function<void(Status)> done);

// Parses and validates a resource built here and creates it (as `actor`; null: unchecked).
Result<storage::ResourceVersion> CreateResource(storage::WriteTxn& txn, rest::Actor* actor,
                                                const std::string& json,
                                                std::string assigned_id = {});
// Replaces type/id, which must still be at `version`, with `json`.
Result<storage::ResourceVersion> UpdateResource(storage::WriteTxn& txn, rest::Actor* actor,
                                                const std::string& json, std::string_view id,
                                                int64_t version);

// "Patient/abc" (or an absolute URL ending so) -> "abc" when of `type`; a 400 naming
// `param` otherwise.
Result<std::string> IdFromReference(std::string_view ref, std::string_view type,
                                    std::string_view param);
// The facility Organization a call acts for: the principal's, or for a principal without
// one (an operator) the `serviceProvider` parameter. 400 when neither.
Result<std::string> FacilityOrg(const rest::OperationCall& call, const ParametersIn& in);
// Parses the body (POST) or the query (GET) of a call.
Result<ParametersIn> ReadParameters(const rest::OperationCall& call);
// The local date of now at the facilities (reception.utc_offset_minutes).
identity::CardDate Today(const Context& ctx);

void RespondJson(const rest::OperationCall& call, const http::Responder& respond, int status,
                 std::string body);
void RespondError(const http::Responder& respond, const Status& st);
// Display text of the first name of a stored Patient (for Reference.display).
std::string PatientDisplay(std::string_view patient_json);

}  // namespace hb::operations
