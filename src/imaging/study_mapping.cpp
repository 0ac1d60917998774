#include "imaging/study_mapping.h"

#include <algorithm>
#include <cctype>

#include "imaging/json_util.h"

namespace hb::imaging {

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// PN "Family^Given^Middle^Prefix^Suffix", possibly with "=ideographic=phonetic" groups:
// only the first (alphabetic) group is used.
void SplitName(std::string_view pn, std::string* family, std::string* given) {
  pn = pn.substr(0, pn.find('='));
  size_t caret = pn.find('^');
  *family = std::string(pn.substr(0, caret));
  if (caret == std::string_view::npos) return;
  std::string_view rest = pn.substr(caret + 1);
  std::string g;
  for (size_t i = 0; i < 2 && !rest.empty(); ++i) {  // given and middle names
    size_t next = rest.find('^');
    std::string_view part = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    if (part.empty()) continue;
    if (!g.empty()) g += ' ';
    g.append(part);
  }
  *given = g;
}

std::string Gender(std::string_view cs) {
  if (cs == "M") return "male";
  if (cs == "F") return "female";
  if (cs == "O") return "other";
  return {};
}

long SeriesNumber(const SeriesFacts& s) {
  return AllDigits(s.number) && s.number.size() < 10 ? std::stol(s.number) : 1L << 30;
}

}  // namespace

std::string DicomDate(std::string_view da) {
  if (da.size() != 8 || !AllDigits(da)) return {};
  return std::string(da.substr(0, 4)) + "-" + std::string(da.substr(4, 2)) + "-" +
         std::string(da.substr(6, 2));
}

std::string DicomDateTime(std::string_view da, std::string_view tm, std::string_view utc_offset) {
  std::string date = DicomDate(da);
  if (date.empty()) return {};
  std::string_view whole = tm.substr(0, tm.find('.'));
  // TM may be "HH", "HHMM" or "HHMMSS" (the old "HH:MM:SS" form has colons: drop them).
  std::string t;
  for (char c : whole) {
    if (c != ':') t.push_back(c);
  }
  if (t.size() < 2 || t.size() > 6 || t.size() % 2 != 0 || !AllDigits(t) || utc_offset.empty()) {
    return date;
  }
  t.resize(6, '0');
  return date + "T" + t.substr(0, 2) + ":" + t.substr(2, 2) + ":" + t.substr(4, 2) +
         std::string(utc_offset);
}

Result<StudyFacts> ParseStudy(std::string_view study_json, std::string_view series_json,
                              std::string_view utc_offset) {
  HB_ASSIGN_OR_RETURN(rapidjson::Document study, ParsePlainJson(study_json, "Orthanc study"));
  HB_ASSIGN_OR_RETURN(rapidjson::Document series, ParsePlainJson(series_json, "Orthanc series"));
  if (!series.IsArray()) {
    return Status(ErrorCode::kMalformedJson, "Orthanc /studies/{id}/series is not an array");
  }
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  const rapidjson::Value* tags = GetObject(study, "MainDicomTags");
  const rapidjson::Value* ptags = GetObject(study, "PatientMainDicomTags");
  if (!tags) tags = &kEmpty;
  if (!ptags) ptags = &kEmpty;

  StudyFacts f;
  f.orthanc_id = GetString(study, "ID");
  f.uid = GetString(*tags, "StudyInstanceUID");
  if (f.uid.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "Orthanc study " + f.orthanc_id + " has no StudyInstanceUID");
  }
  f.accession = GetString(*tags, "AccessionNumber");
  f.description = GetString(*tags, "StudyDescription");
  f.started =
      DicomDateTime(GetString(*tags, "StudyDate"), GetString(*tags, "StudyTime"), utc_offset);
  f.patient_id = GetString(*ptags, "PatientID");
  SplitName(GetString(*ptags, "PatientName"), &f.patient_family, &f.patient_given);
  f.patient_birth_date = DicomDate(GetString(*ptags, "PatientBirthDate"));
  f.patient_gender = Gender(GetString(*ptags, "PatientSex"));

  for (const auto& s : series.GetArray()) {
    const rapidjson::Value* st = GetObject(s, "MainDicomTags");
    if (!st) st = &kEmpty;
    SeriesFacts sf;
    sf.uid = GetString(*st, "SeriesInstanceUID");
    if (sf.uid.empty()) continue;  // ImagingStudy.series.uid is required
    sf.number = GetString(*st, "SeriesNumber");
    sf.modality = GetString(*st, "Modality");
    if (sf.modality.empty()) sf.modality = "OT";  // DICOM's "other"
    sf.description = GetString(*st, "SeriesDescription");
    sf.body_part = GetString(*st, "BodyPartExamined");
    const rapidjson::Value* inst = GetArray(s, "Instances");
    sf.instances = inst ? static_cast<int>(inst->Size()) : 0;
    f.series.push_back(std::move(sf));
  }
  std::stable_sort(f.series.begin(), f.series.end(), [](const auto& a, const auto& b) {
    long na = SeriesNumber(a), nb = SeriesNumber(b);
    return na != nb ? na < nb : a.uid < b.uid;
  });
  for (const SeriesFacts& s : f.series) {
    f.instances += s.instances;
    if (std::find(f.modalities.begin(), f.modalities.end(), s.modality) == f.modalities.end()) {
      f.modalities.push_back(s.modality);
    }
  }
  return f;
}

}  // namespace hb::imaging
