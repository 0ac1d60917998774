// Reads an Episode (episode.h) from the store, by Encounter id, in one read transaction.
//
// Contract: thread-safe (each call uses the transaction it is given). Failure modes:
// kNotFound for an unknown or deleted Encounter, or one whose subject is not a stored
// Patient; kUnprocessable when the encounter names no serviceProvider with a facility
// code (a claim needs MA_CSKCB) and no `default_facility` is given (billing gives its own
// MA_CSKCB: a visit still being recorded may not name its provider yet); store errors.
#pragma once

#include <string_view>

#include "claims/episode.h"
#include "common/result.h"
#include "storage/resource_store.h"

namespace hb::claims {

Result<Episode> LoadEpisode(storage::ReadTxn& txn, std::string_view encounter_id,
                            std::string_view default_facility = {});

}  // namespace hb::claims
