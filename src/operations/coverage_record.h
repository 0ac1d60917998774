// Recording an insurance check (reception/insurance_check.h) as a Coverage, shared by
// $identify and $start-visit.
//
// Idempotent per day: a Coverage of the same patient that records the same card, period,
// status, facility, visit date and network result is reused, not written again. The
// Coverage is written as the caller; when the caller may not yet write the patient's
// records (a receptionist and a known patient with no care relationship to this facility
// yet), it is not stored: `stored` is false and the caller hands it to $start-visit,
// which records it after the visit's Encounter has established the relationship.
//
// Contract: runs on the store's writer (inside the caller's write); thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "reception/insurance_check.h"
#include "rest/write_ops.h"

namespace hb::operations {

struct RecordedCoverage {
  std::string json;  // the stored Coverage, or the unstored one
  std::string id;    // empty when not stored
  bool stored = false;
  bool created = false;
};

// The social-insurance Organization (organization-type `ins`); empty when none is held.
Result<std::string> PayorId(storage::ReadTxn& txn);

// `assigned_id` names a new Coverage (so an Encounter written before it can point at it).
Result<RecordedCoverage> RecordCoverage(storage::WriteTxn& txn, rest::Actor* actor,
                                        const reception::InsuranceCard& card,
                                        const reception::InsuranceCheck& check,
                                        std::string_view patient_id,
                                        std::string_view patient_display,
                                        std::string assigned_id = {});

// The existing Coverage that records this check, if any (no write).
Result<RecordedCoverage> FindCoverage(storage::ReadTxn& txn, const reception::InsuranceCard& card,
                                      const reception::InsuranceCheck& check,
                                      std::string_view patient_id);

}  // namespace hb::operations
