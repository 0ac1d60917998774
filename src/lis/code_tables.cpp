#include "lis/code_tables.h"

#include <array>
#include <cctype>

#include "fhir/vn_systems.h"
#include "lis/lis_systems.h"

namespace hb::lis {

namespace {

struct Pair {
  std::string_view from;
  std::string_view to;
};

template <size_t N>
std::string_view Find(const std::array<Pair, N>& table, std::string_view key) {
  for (const Pair& p : table) {
    if (p.from == key) return p.to;
  }
  return {};
}

// `codes` and `displays` are parallel tables (same keys, same order).
template <size_t N>
std::optional<CodeDisplay> FindCode(const std::array<Pair, N>& codes,
                                    const std::array<Pair, N>& displays, std::string_view key) {
  for (size_t i = 0; i < N; ++i) {
    if (codes[i].from == key) return CodeDisplay{codes[i].to, displays[i].to};
  }
  return std::nullopt;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// Spellings seen in Vietnamese laboratory systems and analyzers, and their UCUM codes. The
// lookup is exact first, then case-insensitive, so "mmol/l" finds "mmol/L" (but "G/L", giga
// per litre in Vietnamese reports, must not fall to "g/L", grams: exact entries win).
constexpr auto kUnits = std::to_array<Pair>({
    {"mmol/L", "mmol/L"},
    {"umol/L", "umol/L"},
    {"µmol/L", "umol/L"},
    {"μmol/L", "umol/L"},
    {"nmol/L", "nmol/L"},
    {"pmol/L", "pmol/L"},
    {"mol/L", "mol/L"},
    {"mg/dL", "mg/dL"},
    {"mg/L", "mg/L"},
    {"g/L", "g/L"},
    {"g/dL", "g/dL"},
    {"ug/L", "ug/L"},
    {"µg/L", "ug/L"},
    {"ug/dL", "ug/dL"},
    {"µg/dL", "ug/dL"},
    {"ng/mL", "ng/mL"},
    {"ng/dL", "ng/dL"},
    {"ng/L", "ng/L"},
    {"[IU]/L", "[IU]/L"},
    {"m[IU]/L", "m[IU]/L"},
    {"pg/mL", "pg/mL"},
    {"ug/mL", "ug/mL"},
    {"mg/24h", "mg/(24.h)"},
    {"g/24h", "g/(24.h)"},
    {"10*9/L", "10*9/L"},
    {"10^9/L", "10*9/L"},
    {"x10^9/L", "10*9/L"},
    {"10E9/L", "10*9/L"},
    {"G/L", "10*9/L"},
    {"10*12/L", "10*12/L"},
    {"10^12/L", "10*12/L"},
    {"x10^12/L", "10*12/L"},
    {"10E12/L", "10*12/L"},
    {"T/L", "10*12/L"},
    {"10*3/uL", "10*3/uL"},
    {"10^3/uL", "10*3/uL"},
    {"x10^3/uL", "10*3/uL"},
    {"K/uL", "10*3/uL"},
    {"10*6/uL", "10*6/uL"},
    {"10^6/uL", "10*6/uL"},
    {"x10^6/uL", "10*6/uL"},
    {"M/uL", "10*6/uL"},
    {"/uL", "/uL"},
    {"cells/uL", "/uL"},
    {"/mm3", "/mm3"},
    {"%", "%"},
    {"U/L", "U/L"},
    {"IU/L", "[IU]/L"},
    {"UI/L", "[IU]/L"},
    {"U/mL", "U/mL"},
    {"IU/mL", "[IU]/mL"},
    {"mU/L", "mU/L"},
    {"mIU/L", "m[IU]/L"},
    {"mIU/mL", "m[IU]/mL"},
    {"uIU/mL", "u[IU]/mL"},
    {"µIU/mL", "u[IU]/mL"},
    {"fL", "fL"},
    {"pg", "pg"},
    {"L/L", "L/L"},
    {"mL/min/{1.73_m2}", "mL/min/{1.73_m2}"},
    {"mL/min/1.73m2", "mL/min/{1.73_m2}"},
    {"mL/min", "mL/min"},
    {"mm/h", "mm/h"},
    {"mm/hr", "mm/h"},
    {"s", "s"},
    {"sec", "s"},
    {"giây", "s"},
    {"mEq/L", "meq/L"},
    {"mOsm/kg", "mosm/kg"},
    {"mmHg", "mm[Hg]"},
    {"kg", "kg"},
    {"cm", "cm"},
    {"{ratio}", "{ratio}"},
    {"{INR}", "{INR}"},
    {"INR", "{INR}"},
    {"{titer}", "{titer}"},
});

constexpr auto kFlagCodes = std::to_array<Pair>({
    {"L", "L"},     {"H", "H"},     {"LL", "LL"}, {"HH", "HH"},   {"N", "N"},
    {"A", "A"},     {"AA", "AA"},   {"<", "<"},   {">", ">"},     {"S", "S"},
    {"R", "R"},     {"I", "I"},     {"MS", "MS"}, {"VS", "VS"},   {"U", "U"},
    {"D", "D"},     {"B", "B"},     {"W", "W"},   {"POS", "POS"}, {"NEG", "NEG"},
    {"IND", "IND"}, {"DET", "DET"}, {"ND", "ND"}, {"E", "E"},     {"HU", "HU"},
});
constexpr auto kFlagDisplays = std::to_array<Pair>({
    {"L", "Low"},
    {"H", "High"},
    {"LL", "Critical low"},
    {"HH", "Critical high"},
    {"N", "Normal"},
    {"A", "Abnormal"},
    {"AA", "Critical abnormal"},
    {"<", "Off scale low"},
    {">", "Off scale high"},
    {"S", "Susceptible"},
    {"R", "Resistant"},
    {"I", "Intermediate"},
    {"MS", "moderately susceptible"},
    {"VS", "very susceptible"},
    {"U", "Significant change up"},
    {"D", "Significant change down"},
    {"B", "Better"},
    {"W", "Worse"},
    {"POS", "Positive"},
    {"NEG", "Negative"},
    {"IND", "Indeterminate"},
    {"DET", "Detected"},
    {"ND", "Not detected"},
    {"E", "Equivocal"},
    {"HU", "Significantly high"},
});

constexpr auto kObservationStatus = std::to_array<Pair>({
    {"C", "corrected"},
    {"D", "entered-in-error"},
    {"F", "final"},
    {"I", "registered"},
    {"N", "cancelled"},
    {"O", "registered"},
    {"P", "preliminary"},
    {"R", "preliminary"},
    {"S", "preliminary"},
    {"U", "final"},
    {"W", "entered-in-error"},
    {"X", "cancelled"},
});

constexpr auto kReportStatus = std::to_array<Pair>({
    {"O", "registered"},
    {"I", "registered"},
    {"S", "registered"},
    {"A", "partial"},
    {"P", "preliminary"},
    {"R", "partial"},
    {"C", "corrected"},
    {"F", "final"},
    {"X", "cancelled"},
    {"Y", "unknown"},
});

constexpr auto kServiceSections = std::to_array<Pair>({
    {"CH", "Chemistry"},
    {"HM", "Hematology"},
    {"SR", "Serology"},
    {"MB", "Microbiology"},
    {"MCB", "Mycobacteriology"},
    {"VR", "Virology"},
    {"PAR", "Parasitology"},
    {"UR", "Urinalysis"},
    {"BLB", "Blood bank"},
    {"IMM", "Immunology"},
    {"CP", "Cytopathology"},
    {"SP", "Surgical Pathology"},
    {"TX", "Toxicology"},
    {"HLA", "Tissue Typing"},
    {"LAB", "Laboratory"},
    {"CG", "Cytogenetics"},
});

constexpr auto kGender = std::to_array<Pair>({
    {"M", "male"},
    {"F", "female"},
    {"O", "other"},
    {"A", "other"},
    {"N", "other"},
    {"U", "unknown"},
});

constexpr auto kNameUse = std::to_array<Pair>({
    {"L", "official"},
    {"D", "usual"},
    {"A", "usual"},
    {"M", "maiden"},
    {"N", "nickname"},
    {"S", "anonymous"},
    {"T", "usual"},
});

constexpr auto kClassCodes = std::to_array<Pair>({
    {"E", "EMER"},
    {"I", "IMP"},
    {"B", "IMP"},
    {"O", "AMB"},
    {"R", "AMB"},
    {"P", "PRENC"},
    {"C", "AMB"},
});
constexpr auto kClassDisplays = std::to_array<Pair>({
    {"E", "emergency"},
    {"I", "inpatient encounter"},
    {"B", "inpatient encounter"},
    {"O", "ambulatory"},
    {"R", "ambulatory"},
    {"P", "pre-admission"},
    {"C", "ambulatory"},
});

constexpr auto kMaritalCodes = std::to_array<Pair>({
    {"M", "M"},
    {"S", "S"},
    {"D", "D"},
    {"W", "W"},
    {"A", "L"},
    {"E", "L"},
    {"N", "A"},
    {"I", "I"},
    {"C", "C"},
    {"G", "T"},
    {"P", "T"},
    {"B", "U"},
});
constexpr auto kMaritalDisplays = std::to_array<Pair>({
    {"M", "Married"},
    {"S", "Never Married"},
    {"D", "Divorced"},
    {"W", "Widowed"},
    {"A", "Legally Separated"},
    {"E", "Legally Separated"},
    {"N", "Annulled"},
    {"I", "Interlocutory"},
    {"C", "Common Law"},
    {"G", "Domestic partner"},
    {"P", "Domestic partner"},
    {"B", "unmarried"},
});

constexpr auto kIdentifierTypes = std::to_array<Pair>({
    {"MR", "Medical record number"},
    {"NI", "National unique individual identifier"},
    {"NN", "National Person Identifier"},
    {"PPN", "Passport number"},
    {"HC", "Health Card Number"},
    {"MB", "Member Number"},
    {"SB", "Social Beneficiary Identifier"},
    {"SS", "Social Security number"},
    {"PI", "Patient internal identifier"},
    {"PT", "Patient external identifier"},
    {"VN", "Visit number"},
    {"PLAC", "Placer Identifier"},
    {"FILL", "Filler Identifier"},
    {"DL", "Driver's license number"},
});

}  // namespace

bool IsLocalCodingSystem(std::string_view name) {
  return name.empty() || name == "L" || name.starts_with("99");
}

std::string CodingSystemUri(std::string_view name, std::string_view facility) {
  if (IsLocalCodingSystem(name)) return LocalLabCodeSystem(facility);
  if (name == "LN" || name == "LOINC") return std::string(kLoincSystem);
  if (name == "SCT" || name == "SNM" || name == "SNM3" || name == "SNOMED")
    return std::string(kSnomedSystem);
  if (name == "UCUM") return std::string(kUcumSystem);
  if (name == "I10" || name == "ICD10" || name == "ICD-10") return fhir::vn::Systems().icd10_vn;
  if (name.size() == 7 && name.starts_with("HL7")) {
    return "http://terminology.hl7.org/CodeSystem/v2-" + std::string(name.substr(3));
  }
  return OtherCodingSystem(name);
}

std::optional<std::string_view> UcumCode(std::string_view unit) {
  for (const Pair& p : kUnits) {
    if (p.from == unit) return p.to;
  }
  for (const Pair& p : kUnits) {
    if (EqualsIgnoreCase(p.from, unit)) return p.to;
  }
  return std::nullopt;
}

std::optional<CodeDisplay> Interpretation(std::string_view flag) {
  return FindCode(kFlagCodes, kFlagDisplays, flag);
}

std::string_view ObservationStatus(std::string_view s) { return Find(kObservationStatus, s); }
std::string_view ReportStatus(std::string_view s) { return Find(kReportStatus, s); }
std::string_view DiagnosticServiceDisplay(std::string_view c) { return Find(kServiceSections, c); }
std::string_view Gender(std::string_view sex) { return Find(kGender, sex); }
std::string_view NameUse(std::string_view type) { return Find(kNameUse, type); }
std::string_view IdentifierTypeDisplay(std::string_view t) { return Find(kIdentifierTypes, t); }

std::optional<CodeDisplay> EncounterClass(std::string_view c) {
  return FindCode(kClassCodes, kClassDisplays, c);
}

std::optional<CodeDisplay> MaritalStatus(std::string_view c) {
  return FindCode(kMaritalCodes, kMaritalDisplays, c);
}

std::string_view TelecomUse(std::string_view use_code, std::string_view equipment) {
  if (equipment == "CP") return "mobile";
  if (use_code == "WPN") return "work";
  if (use_code == "PRN" || use_code == "ORN" || use_code == "VHN") return "home";
  if (use_code == "ASN") return "temp";
  return {};
}

}  // namespace hb::lis
