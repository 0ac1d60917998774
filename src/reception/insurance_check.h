// The insurance check at reception: is this health-insurance card (thẻ BHYT) valid on the
// visit date, is this facility the one the card is registered with (MA_DKBD: in-network),
// and what does the card number say of the benefit. The result is recorded as a FHIR
// Coverage (CoverageJson).
//
// Rules (shared/reference/README.md §6; docs/implementation/reception.md):
//  - valid when valid-from <= visit date <= valid-to; a card without valid-to is taken as
//    valid with a warning (the QR field is [unconfirmed] and readers drop it);
//  - in-network when MA_DKBD equals this facility's code (MA_CSKCB), or when it is a
//    temporary card's code (province + "000") of this facility's province; unknown (no
//    value) when either code is unknown. Out-of-network care is still covered at lower
//    rates under the inter-facility rules (thông tuyến), which claims apply, not reception;
//  - benefit level = character 3: 1, 2, 5 -> 100 %, 3 -> 95 %, 4 -> 80 % of covered costs.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/json.h"
#include "identity/bhyt_qr.h"
#include "identity/card_date.h"

namespace hb::reception {

struct InsuranceCard {
  std::string card_number;
  identity::BhytCardNumber parts;
  std::optional<identity::CardDate> valid_from, valid_to;
  std::string registered_facility;  // MA_DKBD; empty when unknown
  std::string registered_facility_name;
};

InsuranceCard CardOf(const identity::BhytCard& card);
// The Patient's insurance-card identifier (system bhyt_card) with its period; nullopt when it
// has none or its number is malformed.
std::optional<InsuranceCard> CardOfPatient(const fhir::JsonValue& patient);

struct InsuranceCheck {
  bool valid = false;
  std::optional<bool> in_network;
  int benefit_level = 0;
  int benefit_percent = 0;
  std::string beneficiary_group;
  std::string facility;               // this facility's code
  std::string visit_date;             // ISO date
  std::string source = "card";        // "card-history" when the national service answered
  std::vector<std::string> problems;  // why the card does not cover the visit
  std::vector<std::string> warnings;
};

InsuranceCheck CheckInsurance(const InsuranceCard& card, const identity::CardDate& visit_date,
                              std::string_view facility_code);

// The Coverage recording a check. `payor` is the social-insurance Organization's id (empty:
// a display-only reference to BHXH Việt Nam).
std::string CoverageJson(const InsuranceCard& card, const InsuranceCheck& check,
                         std::string_view patient_id, std::string_view patient_display,
                         std::string_view payor);

// True when the stored Coverage `json` records the same card, period, status and check
// (facility, date, network) as `check`: scanning twice on a day reuses it.
bool SameCoverage(std::string_view json, const InsuranceCard& card, const InsuranceCheck& check);

}  // namespace hb::reception
