// A scanned card as reception uses it: the person's identifiers and demographics from a
// CCCD or BHYT QR (identity/card_qr.h), their matching features, and the Patient that
// registers them when no record matches.
//
// The new Patient has the shape of the demo province's (src/demo/patients.cpp):
// identifiers typed with v2-0203 (NI for CCCD and the old CMND, MB for the insurance card
// with its validity period, SB for the BHXH number), one official HumanName in display
// case (family = the first word, given = the rest), gender, birthDate at the card's
// precision, the address as text only (it may predate the 2025 reform: no admin-unit
// codes are derived from it), Vietnamese as the preferred language, and the registering
// facility as managingOrganization.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/card_qr.h"
#include "reception/patient_features.h"

namespace hb::reception {

struct CardIdentity {
  identity::CardKind kind = identity::CardKind::kCccd;
  std::string cccd, cmnd, bhyt, bhxh;  // empty when the card does not carry them
  std::string name;                    // NFC, as printed
  identity::CardDate birth;
  identity::Gender gender = identity::Gender::kUnknown;
  std::string address;
  std::optional<identity::CccdCard> cccd_card;
  std::optional<identity::BhytCard> bhyt_card;
  std::vector<std::string> warnings;  // the parser's
};

CardIdentity IdentityOf(identity::ParsedCard card);
PatientFeatures FeaturesOf(const CardIdentity& card);
// The Patient JSON registering the card holder; `managing_org` is an Organization id
// (empty: none).
std::string NewPatientJson(const CardIdentity& card, std::string_view managing_org);

}  // namespace hb::reception
