// The values several tables share (XML0, XML1, XML7, XML8, XML13, XML14 repeat the
// patient, the dates and the diagnoses), computed once per claim from the Episode in the
// tables' formats. The field-by-field sources are in docs/implementation/claims-xml.md.
//
// Contract: pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "claims/costing.h"
#include "claims/episode.h"

namespace hb::claims {

struct EpisodeFacts {
  // patient
  std::string ma_bn, ho_ten, so_cccd, ngay_sinh, gioi_tinh, ma_quoctich, ma_dantoc, ma_nghe_nghiep,
      dia_chi, matinh, mahuyen, maxa, dien_thoai;
  // card
  std::string ma_the, ma_dkbd, gt_the_tu, gt_the_den;
  // episode
  bool inpatient = false;
  std::string ma_loai_kcb, ma_khoa, ngay_vao, ngay_vao_noi_tru, ngay_ra, ngay_ttoan, so_ngay_dtri,
      ket_qua_dtri, ma_loai_rv, ma_hsba, can_nang, ngay_tai_kham;
  std::string ly_do_vv, chan_doan_vao, chan_doan_rv, ma_benh_chinh, ma_benh_kt;
  std::string pp_dieu_tri;                        // the treatment, in words
  std::string doctor, doctor_name;                // the primary clinician's licence and name
  std::string ma_noi_den;                         // referral destination, when referred
  std::vector<const fhir::JsonValue*> diagnoses;  // main first
};

EpisodeFacts ComputeFacts(const Episode& e, const Costing& c);

// Patient.birthDate -> NGAY_SINH (yyyyMMddHHmm, unknown parts as zeros; the time from the
// patient-birthTime extension when present).
std::string BirthField(const fhir::JsonValue& patient);
// "CSST<M81_T39.4_HA109/67>" from the vital signs recorded at one time.
std::string VitalSignsText(const std::vector<const fhir::JsonValue*>& observations);

}  // namespace hb::claims
