// DICOM study (as Orthanc describes it) -> the facts an ImagingStudy needs.
//
// Input: Orthanc's GET /studies/{id} (MainDicomTags, PatientMainDicomTags) and
// GET /studies/{id}/series (each series' MainDicomTags and Instances). The table of which
// tag becomes which element is in docs/implementation/imaging.md.
//
// Contract: pure; thread-safe. Fails with kMalformedJson on unparsable input and with
// kUnprocessable-category kInvalidArgument when the study has no StudyInstanceUID (nothing to
// key it on: better refused and logged than stored twice).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::imaging {

struct SeriesFacts {
  std::string uid;          // SeriesInstanceUID
  std::string number;       // SeriesNumber (IS: an integer as text), may be empty
  std::string modality;     // Modality (CT, MR, ...); "OT" when absent
  std::string description;  // SeriesDescription
  std::string body_part;    // BodyPartExamined
  int instances = 0;
};

struct StudyFacts {
  std::string orthanc_id;   // Orthanc's id, for the viewer link
  std::string uid;          // StudyInstanceUID
  std::string accession;    // AccessionNumber
  std::string description;  // StudyDescription
  std::string started;      // FHIR dateTime from StudyDate + StudyTime (+ zone), may be empty
  std::string patient_id;   // PatientID: our MRN or CCCD when the order came from us
  std::string patient_family, patient_given;  // PatientName "FAMILY^GIVEN^MIDDLE"
  std::string patient_birth_date;             // FHIR date from PatientBirthDate
  std::string patient_gender;                 // FHIR gender from PatientSex; empty if unknown
  std::vector<SeriesFacts> series;            // ordered by series number, then UID
  int instances = 0;
  std::vector<std::string> modalities;  // distinct, in series order
};

// `utc_offset` ("+07:00") is appended to StudyTime: FHIR requires a zone on a time, and
// DICOM leaves it implicit (the modality's local time) unless TimezoneOffsetFromUTC is sent.
Result<StudyFacts> ParseStudy(std::string_view study_json, std::string_view series_json,
                              std::string_view utc_offset);

// DICOM DA "YYYYMMDD" -> FHIR date; empty when malformed.
std::string DicomDate(std::string_view da);
// DICOM DA + TM ("HHMMSS.FFFFFF", fields optional after HH) -> FHIR dateTime.
std::string DicomDateTime(std::string_view da, std::string_view tm, std::string_view utc_offset);

}  // namespace hb::imaging
