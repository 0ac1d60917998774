// The split of an encounter's charges between health insurance (BHYT) and the patient.
//
// Per line: gross = unit price x quantity, rounded to the đồng. A line the insurance
// covers (in scope, PHAM_VI = 1) has an insured share of
//     gross x TYLE_TT_BH% x benefit% x network%
// computed as one exact integer ratio and rounded once, half away from zero; the patient
// pays the rest (the co-payment, 100 - benefit %, plus everything out of scope or beyond the
// covered ratio). network% is 100 in network and `out_of_network_percent` otherwise.
// Totals are sums of the rounded lines, so the invoice adds up to the last đồng on paper.
// The worked example is in docs/implementation/billing.md.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hb::payments {

struct ChargeLine {
  std::string charge_item_id;
  std::string code;  // the facility's internal code or the national code
  std::string display;
  int64_t quantity_milli = 1000;  // thousandths
  int64_t unit_price = 0;         // đồng
  bool in_scope = true;           // covered by BHYT at all
  int insurance_ratio = 100;      // TYLE_TT_BH: % of the price the fund recognises
  bool priced_from_catalog = false;
};

struct CoverageTerms {
  bool insured = false;  // an active Coverage was found
  std::string coverage_id;
  int benefit_percent = 0;  // mức hưởng: 100, 95 or 80
  bool in_network = true;
  int out_of_network_percent = 100;
};

struct LineSplit {
  ChargeLine line;
  int64_t gross = 0;
  int64_t insurance = 0;
  int64_t patient = 0;
};

struct InvoiceSplit {
  std::vector<LineSplit> lines;
  int64_t gross = 0;
  int64_t insurance = 0;
  int64_t patient = 0;
};

InvoiceSplit SplitCharges(const std::vector<ChargeLine>& lines, const CoverageTerms& terms);

}  // namespace hb::payments
