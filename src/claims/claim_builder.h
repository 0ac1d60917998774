// Builds the claim tables of one episode (table_mappers.h) in one schema version, and its
// check-in record (XML0).
//
// MA_LK, the key that links the tables and identifies the episode at the portal, is
// "<MA_CSKCB>_<Encounter id>": unique per episode, and the same on every resubmission of
// a corrected file (the portal replaces the record with the same MA_LK).
//
// Contract: pure; thread-safe. Failure modes: kUnprocessable when the episode has no
// insurance card to claim on, or has not ended (no Encounter.period.end). Problems in the
// source data that still let the tables be built (an item missing from the price list)
// are appended to `problems`; a claim with problems must not be sent.
#pragma once

#include <string>
#include <string_view>

#include "claims/claim_error.h"
#include "claims/claim_record.h"
#include "claims/costing.h"
#include "claims/episode.h"
#include "common/result.h"

namespace hb::claims {

std::string MakeMaLk(std::string_view facility_code, std::string_view encounter_id);

Result<ClaimRecord> BuildClaim(const Episode& episode, const Catalogs& catalogs,
                               SchemaVersion version, ClaimErrors* problems);

// XML0 at the start of the visit (needs no end date).
Result<ClaimRecord> BuildCheckIn(const Episode& episode, const Catalogs& catalogs,
                                 SchemaVersion version, ClaimErrors* problems);

}  // namespace hb::claims
