// Test support: a small, complete episode as the store would hand it to the mappings (an
// insured adult admitted to the district centre with pneumonia: examination, drugs with a
// dispense, a blood count, supplies, bed days, vital signs, a follow-up appointment), the
// matching price list, and the catalogues. Tests change a field and look at the effect.
#pragma once

#include <string>

#include "claims/costing.h"
#include "claims/episode.h"
#include "claims/icd10.h"
#include "claims/price_list.h"

namespace hb::claims::testing {

Episode MakeEpisode();
const PriceList& TestPrices();
const Icd10& TestIcd();
Catalogs TestCatalogs();
// Replaces the document `doc` with JSON text (a test edits the episode this way).
void SetJson(fhir::JsonDoc& doc, std::string_view json);

}  // namespace hb::claims::testing
