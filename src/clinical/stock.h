// Pharmacy stock by batch (docs/implementation/clinical.md, "Pharmacy stock"): the choice of
// batches for an issue, first expiry first out (FEFO), never an expired batch.
//
// Contract: pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::clinical {

struct BatchStock {
  std::string batch_id;  // the batch's Medication id
  std::string lot;
  std::string expiry;    // YYYY-MM-DD (Medication.batch.expirationDate, date part)
  double on_hand = 0;
};

struct BatchPick {
  std::string batch_id;
  std::string lot;
  std::string expiry;
  double quantity = 0;
};

// Takes `quantity` from the batches that are not expired on `today` (YYYY-MM-DD; a batch
// expiring today is still usable), the earliest expiry first, lot number breaking ties.
// kConflict when they do not hold enough: the message says how much is usable and how
// much sits in expired batches. `what` names the drug in messages.
Result<std::vector<BatchPick>> PickFefo(std::vector<BatchStock> batches, double quantity,
                                        std::string_view today, std::string_view what);

}  // namespace hb::clinical
