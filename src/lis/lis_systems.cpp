#include "lis/lis_systems.h"

#include <cstdint>

#include "common/hash.h"
#include "common/percent_encoding.h"
#include "fhir/search_escape.h"
#include "fhir/vn_systems.h"

namespace hb::lis {

namespace {

std::string Under(std::string_view slug, std::string_view last) {
  std::string s = fhir::vn::Systems().base;
  s.append(slug);
  if (last.empty()) return s;
  s.push_back('/');
  // The last segment comes from the message (a facility code, an authority's name): keep it
  // a clean URI path segment whatever the sender wrote.
  for (char c : last) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_';
    s.push_back(plain ? c : '-');
  }
  return s;
}

}  // namespace

std::string PlacerOrderSystem(std::string_view facility) { return Under("placer-order", facility); }
std::string FillerOrderSystem(std::string_view facility) { return Under("filler-order", facility); }
std::string LabReportSystem(std::string_view facility) { return Under("lab-report", facility); }
std::string LabResultSystem(std::string_view facility) { return Under("lab-result", facility); }
std::string SpecimenSystem(std::string_view facility) { return Under("specimen", facility); }
std::string MrnSystem(std::string_view facility) { return Under("mrn", facility); }
std::string VisitNumberSystem(std::string_view facility) { return Under("visit-number", facility); }
std::string StaffCodeSystem(std::string_view facility) { return Under("staff-code", facility); }
std::string LocalLabCodeSystem(std::string_view facility) { return Under("lab-code", facility); }
std::string OtherIdentifierSystem(std::string_view authority) {
  return Under("hl7v2-id", authority);
}
std::string OtherCodingSystem(std::string_view name) { return Under("hl7v2-coding", name); }
std::string MessageIdSystem() { return Under("hl7v2-message", {}); }
std::string ReconciliationTagSystem() { return Under("reconciliation", {}); }

std::string StableId(std::string_view system, std::string_view value) {
  // 128 bits, so that even billions of results have no collision to fear; not a security
  // property (ids are not secrets): FNV-1a 64 of "system|value" (common/hash.h), and a
  // second FNV-1a 64 with another offset and a shift folded in at each byte.
  const uint64_t a = Fnv1a64(value, Fnv1a64("|", Fnv1a64(system)));
  uint64_t b = 0x9e3779b97f4a7c15ull;
  auto mix = [&](std::string_view part) {
    for (char c : part) {
      b = (b ^ static_cast<uint8_t>(c)) * kFnv1a64Prime;
      b ^= b >> 29;
    }
  };
  mix(system);
  mix("|");
  mix(value);
  static constexpr char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string id = "h";
  for (uint64_t h : {a, b}) {
    for (int i = 0; i < 13; ++i) {
      id.push_back(kBase32[h & 31]);
      h >>= 5;
    }
  }
  return id;
}

std::string TokenCondition(std::string_view system, std::string_view value) {
  // Printable ASCII stays readable; what would end or split a query value (% & + # =),
  // spaces, controls and non-ASCII bytes are percent-encoded.
  static constexpr std::string_view kKeep = "!\"$'()*,/:;<>?@[\\]^`{|}";
  std::string out(system);
  out.push_back('|');
  out += PercentEncode(fhir::EscapeSearchValue(value), kKeep);
  return out;
}

}  // namespace hb::lis
