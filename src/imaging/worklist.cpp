#include "imaging/worklist.h"

#include <cstdint>

#include "common/hash.h"
#include "fhir/vn_systems.h"
#include "imaging/imaging_systems.h"
#include "imaging/json_util.h"

namespace hb::imaging {

namespace {

bool HasCoding(const rapidjson::Value& concept_, std::string_view code) {
  const rapidjson::Value* codings = GetArray(concept_, "coding");
  if (!codings) return false;
  for (const auto& c : codings->GetArray()) {
    if (GetString(c, "code") == code) return true;
  }
  return false;
}

bool InCategory(const rapidjson::Value& sr) {
  const rapidjson::Value* cats = GetArray(sr, "category");
  if (!cats) return false;
  for (const auto& c : cats->GetArray()) {
    if (HasCoding(c, kImagingCategoryCode)) return true;
  }
  return false;
}

// The first entry of resource.identifier[] that `accept` takes; null when none.
template <typename Accept>
const rapidjson::Value* FindIdentifier(const rapidjson::Value& resource, Accept accept) {
  const rapidjson::Value* ids = GetArray(resource, "identifier");
  if (!ids) return nullptr;
  for (const auto& id : ids->GetArray()) {
    if (accept(id)) return &id;
  }
  return nullptr;
}

std::string Accession(const rapidjson::Value& sr) {
  const std::string system = AccessionSystem();
  const rapidjson::Value* id = FindIdentifier(sr, [&](const rapidjson::Value& id) {
    const rapidjson::Value* type = GetObject(id, "type");
    return (type && HasCoding(*type, "ACSN")) || GetString(id, "system") == system;
  });
  return id ? GetString(*id, "value") : std::string();
}

// CCCD first (what a modality operator can check on the card), then a medical record
// number, then whatever identifier there is.
std::string PatientId(const rapidjson::Value& patient) {
  const std::string& cccd = fhir::vn::Systems().cccd;
  auto with_value = [&](auto system_fits) {
    return FindIdentifier(patient, [&](const rapidjson::Value& id) {
      return !GetString(id, "value").empty() && system_fits(GetString(id, "system"));
    });
  };
  const rapidjson::Value* id = with_value([&](const std::string& s) { return s == cccd; });
  if (!id) id = with_value([](const std::string& s) { return s.find("/mrn") != s.npos; });
  if (!id) id = with_value([](const std::string&) { return true; });
  return GetString(id ? *id : patient, id ? "value" : "id");
}

std::string PersonName(const rapidjson::Value& patient) {
  const rapidjson::Value* names = GetArray(patient, "name");
  if (!names || names->Empty()) return {};
  const rapidjson::Value& n = (*names)[0];
  std::string pn = GetString(n, "family");
  std::string given;
  if (const rapidjson::Value* g = GetArray(n, "given")) {
    for (const auto& part : g->GetArray()) {
      if (!part.IsString()) continue;
      if (!given.empty()) given += ' ';
      given += part.GetString();
    }
  }
  if (!given.empty()) pn += "^" + given;
  if (pn.empty()) pn = GetString(n, "text");
  return pn;
}

std::string Digits(std::string_view s, size_t max) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9' && out.size() < max) out.push_back(c);
  }
  return out;
}

std::string ConceptText(const rapidjson::Value* concept_) {
  if (!concept_) return {};
  std::string text = GetString(*concept_, "text");
  if (!text.empty()) return text;
  if (const rapidjson::Value* codings = GetArray(*concept_, "coding")) {
    for (const auto& c : codings->GetArray()) {
      std::string d = GetString(c, "display");
      if (!d.empty()) return d;
    }
  }
  return {};
}

std::string Modality(const rapidjson::Value& sr) {
  const rapidjson::Value* code = GetObject(sr, "code");
  if (const rapidjson::Value* codings = code ? GetArray(*code, "coding") : nullptr) {
    for (const auto& c : codings->GetArray()) {
      if (GetString(c, "system") == kDicomDcmSystem) return GetString(c, "code");
    }
  }
  return "OT";
}

// A StudyInstanceUID the order already carries (identifier urn:dicom:uid, "urn:oid:<uid>").
std::string OrderStudyUid(const rapidjson::Value& sr) {
  auto uid = [](const rapidjson::Value& id) {
    std::string value = GetString(id, "value");
    if (value.rfind("urn:oid:", 0) == 0) value.erase(0, 8);
    return value;
  };
  const rapidjson::Value* id = FindIdentifier(sr, [&](const rapidjson::Value& id) {
    return GetString(id, "system") == kDicomUidSystem && !uid(id).empty();
  });
  return id ? uid(*id) : std::string();
}

}  // namespace

bool IsImagingOrder(std::string_view service_request_json) {
  auto d = ParsePlainJson(service_request_json, "ServiceRequest");
  return d.ok() && GetString(*d, "resourceType") == "ServiceRequest" && InCategory(*d) &&
         !Accession(*d).empty();
}

bool IsOnWorklist(std::string_view service_request_json) {
  auto d = ParsePlainJson(service_request_json, "ServiceRequest");
  return d.ok() && IsImagingOrder(service_request_json) && GetString(*d, "status") == "active";
}

Result<WorklistEntry> WorklistFromOrder(std::string_view service_request_json,
                                        std::string_view patient_json, std::string_view station_ae,
                                        std::string_view kept_uid) {
  HB_ASSIGN_OR_RETURN(rapidjson::Document sr, ParsePlainJson(service_request_json, "order"));
  HB_ASSIGN_OR_RETURN(rapidjson::Document patient, ParsePlainJson(patient_json, "patient"));
  WorklistEntry e;
  e.order_id = GetString(sr, "id");
  e.accession = Accession(sr);
  if (e.order_id.empty() || e.accession.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "ServiceRequest/" + e.order_id + " has no id or no accession number");
  }
  e.patient_id = PatientId(patient);
  e.patient_name = PersonName(patient);
  e.birth_date = Digits(GetString(patient, "birthDate"), 8);
  if (e.birth_date.size() != 8) e.birth_date.clear();  // a year alone is not a DICOM DA
  std::string gender = GetString(patient, "gender");
  e.sex = gender == "male" ? "M" : gender == "female" ? "F" : gender == "other" ? "O" : "";
  e.study_uid = OrderStudyUid(sr);
  if (e.study_uid.empty()) e.study_uid = std::string(kept_uid);
  if (e.study_uid.empty()) e.study_uid = DerivedUid("ServiceRequest/" + e.order_id);
  e.modality = Modality(sr);
  e.station_ae = std::string(station_ae);
  std::string when = GetString(sr, "occurrenceDateTime");
  if (when.empty()) when = GetString(sr, "authoredOn");
  // FHIR "2024-05-01T08:30:00+07:00": the date and the local clock time as written.
  e.start_date = Digits(when.substr(0, 10), 8);
  if (e.start_date.size() != 8) e.start_date.clear();
  if (when.size() >= 19 && when[10] == 'T') e.start_time = Digits(when.substr(11, 8), 6);
  e.description = ConceptText(GetObject(sr, "code"));
  if (const rapidjson::Value* req = GetObject(sr, "requester")) {
    e.referring = GetString(*req, "display");
  }
  return e;
}

std::string WorklistFileName(std::string_view order_id) {
  std::string name;
  for (char c : order_id) {  // FHIR ids are [A-Za-z0-9.-]; keep the name that way
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') name.push_back(c);
  }
  return name + ".wl";
}

std::string DerivedUid(std::string_view seed) {
  // Two FNV-1a 64-bit hashes make 128 bits; 2.25.<decimal> is the UUID-derived UID form
  // (PS3.5 B.2), at most 39 digits + 5 = 44 characters (UIDs may have 64).
  const uint64_t h1 = Fnv1a64(seed);
  uint64_t h2 = kFnv1a64Prime * 31;
  for (unsigned char c : seed) h2 = (h2 ^ c) * kFnv1a64Prime + 0x9e3779b97f4a7c15ULL;
  unsigned __int128 v = (static_cast<unsigned __int128>(h1) << 64) | h2;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  return "2.25." + digits;
}

}  // namespace hb::imaging
