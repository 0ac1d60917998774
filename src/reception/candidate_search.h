// Finding the Patients worth scoring (blocking), through the search index only: never a
// scan of all patients, so a match costs the same at 100 and at 100,000 patients.
//
// Blocks, each an indexed query with its own cap:
//  1. each identifier (CCCD and CMND both ways, insurance card, BHXH);
//  2. the folded full name (a prefix of the name index) within the birth year, or alone
//     when the birth year is unknown;
//  3. the exact birth date, when complete: about 3 patients per day of birth in a
//     province, and it catches names typed differently; skipped once blocks 1-2 found the
//     person (a shared identifier, or the exact name and birth date), since it could only
//     add weaker candidates, and a date criterion is the costliest of these queries;
//  4. each phone number.
// The union, without repeats, in the order found, each with its matching features.
//
// Contract: thread-compatible (one ReadTxn). Fails only when the store fails.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "reception/patient_features.h"
#include "storage/resource_store.h"

namespace hb::reception {

struct CandidateOptions {
  int identifier_cap = 20;
  int name_cap = 50;
  int birth_date_cap = 100;
  int phone_cap = 20;
  bool skip_birth_date_when_found = true;
};

struct Candidate {
  storage::ResourceVersion version;
  PatientFeatures features;
};

Result<std::vector<Candidate>> FindCandidates(storage::ReadTxn& txn, const PatientFeatures& query,
                                              const CandidateOptions& options = {});

// Runs `type?params` on `txn`, at most `count` current resources.
Result<std::vector<storage::ResourceVersion>> SearchResources(
    storage::ReadTxn& txn, std::string_view type,
    const std::vector<std::pair<std::string, std::string>>& params, int count, int64_t offset = 0);

}  // namespace hb::reception
