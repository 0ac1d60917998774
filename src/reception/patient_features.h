// What patient matching compares, read from a FHIR Patient (or from a scanned card:
// card_identity.h): identifiers by Vietnamese system, the folded name, the birth date at
// its precision, gender, the commune code and phone numbers.
//
// Names are folded with identity::FoldName (the string search index's folding), so "LÒ
// VĂN A", "Lò Văn A" and NFD input compare equal. The name comes from the first official
// (else usual, else first) HumanName: family plus given words, or its text when it has no
// parts. Phones are reduced to national digits ("+84 912 345 678" -> "0912345678"). The
// commune is the admin-unit code of the first address that carries one; addresses are
// otherwise not compared (free text that may predate the 2025 reform).
//
// Contract: pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "fhir/json.h"

namespace hb::reception {

// A FHIR date at its precision; month/day 0 when not given.
struct BirthDate {
  int year = 0, month = 0, day = 0;
  bool known() const { return year != 0; }
  bool complete() const { return day != 0; }
  std::string ToIso() const;  // "1990-03-15", "1990-03", "1990"; "" when unknown
};
BirthDate ParseBirthDate(std::string_view fhir_date);

struct PatientFeatures {
  std::string id;  // empty for a query
  std::vector<std::string> cccd, cmnd, bhyt, bhxh;
  std::string family;              // folded
  std::vector<std::string> given;  // folded words, in order
  std::string full_name;           // folded, family first: "lo van a"
  std::string display_name;        // as written, for messages and Reference.display
  BirthDate birth;
  std::string gender;   // FHIR code, "" when absent
  std::string commune;  // admin-unit code, "" when absent
  std::vector<std::string> phones;
  bool active = true;
  std::string replaced_by;  // Patient id of a link of type replaced-by, if any

  bool HasIdentifiers() const {
    return !cccd.empty() || !cmnd.empty() || !bhyt.empty() || !bhxh.empty();
  }
};

PatientFeatures FeaturesOf(const fhir::JsonValue& patient);
Result<PatientFeatures> FeaturesOfJson(std::string_view patient_json);

// Splits a full name written family first into family and given words (folded), and
// sets full_name. Used for names that come without parts (cards, HumanName.text).
void SetNameFromText(std::string_view text, PatientFeatures* f);
// The words of `text` split at single spaces (text already normalised or folded).
std::vector<std::string> SplitWords(std::string_view text);
// "+84 912-345-678" -> "0912345678"; "" when fewer than 8 digits remain.
std::string NormalizePhone(std::string_view phone);

}  // namespace hb::reception
