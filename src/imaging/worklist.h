// Orders out: an imaging ServiceRequest -> a DICOM Modality Worklist entry (PS3.4 K.6, the
// attributes of PS3.4 Table K.6-1 that modalities ask for), which Orthanc's ModalityWorklists
// plugin answers C-FIND with from its folder of .wl files. The table is in
// docs/implementation/imaging.md.
//
// An order qualifies when its category holds SNOMED CT 363679005 (Imaging) and it carries an
// accession number (identifier of type ACSN, or in AccessionSystem()); it stays on the
// worklist while its status is active (draft and on-hold are not yet / not now to be done,
// and completed, revoked and entered-in-error are done with).
//
// Contract: pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::imaging {

struct WorklistEntry {
  std::string order_id;      // ServiceRequest id (names the file)
  std::string accession;     // AccessionNumber (0008,0050), RequestedProcedureID (0040,1001)
  std::string patient_id;    // PatientID (0010,0020): CCCD, else MRN, else first identifier
  std::string patient_name;  // PatientName (0010,0010) "FAMILY^GIVEN"
  std::string birth_date;    // PatientBirthDate (0010,0030) YYYYMMDD
  std::string sex;           // PatientSex (0010,0040) M/F/O
  std::string study_uid;     // StudyInstanceUID (0020,000D): 2.25.<from the order id>
  std::string modality;      // SPS Modality (0008,0060)
  std::string station_ae;    // SPS ScheduledStationAETitle (0040,0001), may be empty
  std::string start_date;    // SPS start date (0040,0002) YYYYMMDD
  std::string start_time;    // SPS start time (0040,0003) HHMMSS
  std::string description;   // RequestedProcedureDescription (0032,1060), SPS description
  std::string referring;     // ReferringPhysicianName (0008,0090) from requester.display
};

// Whether the order should be on the worklist now (see above).
bool IsImagingOrder(std::string_view service_request_json);
bool IsOnWorklist(std::string_view service_request_json);

// The entry for an order and its patient; kInvalidArgument naming what is missing.
//
// StudyInstanceUID, first found of: the order's own identifier in urn:dicom:uid
// ("urn:oid:<uid>", when another system assigned one); `kept_uid`, the UID of the entry
// already written for this order (ReadWorklistStudyUid), so a rewrite never changes the UID
// a modality may already hold; else DerivedUid("ServiceRequest/<id>") for a new entry.
Result<WorklistEntry> WorklistFromOrder(std::string_view service_request_json,
                                        std::string_view patient_json, std::string_view station_ae,
                                        std::string_view kept_uid = {});

// "<order id>.wl": one file per order, so an update rewrites it and a cancel removes it.
std::string WorklistFileName(std::string_view order_id);
// A deterministic UID under the 2.25 (UUID-derived) root from `seed`: 128 bits from
// FNV-1a 64 (common/hash.h) and a second, salted FNV pass. Until 2026-11 the first half used an
// offset basis with a digit missing; entries made then keep their UID through `kept_uid`.
std::string DerivedUid(std::string_view seed);

}  // namespace hb::imaging
