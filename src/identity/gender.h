// Administrative gender as the card QR codes state it, and its FHIR code
// (http://hl7.org/fhir/administrative-gender).
#pragma once

#include <string_view>

namespace hb::identity {

enum class Gender { kMale, kFemale, kUnknown };

constexpr std::string_view GenderCode(Gender g) {
  switch (g) {
    case Gender::kMale:
      return "male";
    case Gender::kFemale:
      return "female";
    case Gender::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace hb::identity
