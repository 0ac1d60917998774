// FHIR -> insurance tables, one file per table (xml0_checkin.cpp ... xml14_follow_up.cpp).
// Each mapper adds its table to the record only when the table applies to the episode
// (QĐ 4750 notes: XML4 with paraclinical results, XML5 for treatment episodes, XML7/XML8
// for inpatients, XML13 for referrals, XML14 with a follow-up appointment) and fills
// every field it has a source for; the sources are in docs/implementation/claims-xml.md.
//
// Contract: pure; thread-safe. Mappers never fail: a missing source leaves the field empty
// and the validator names it.
#pragma once

#include <string>

#include "claims/claim_record.h"
#include "claims/costing.h"
#include "claims/episode.h"
#include "claims/episode_facts.h"

namespace hb::claims {

struct MapInput {
  const Episode& episode;
  const Costing& costing;
  const EpisodeFacts& facts;
  const std::string& ma_lk;
};

void MapXml0CheckIn(const MapInput& in, ClaimRecord& out);
void MapXml1Summary(const MapInput& in, ClaimRecord& out);
void MapXml2Drugs(const MapInput& in, ClaimRecord& out);
void MapXml3Services(const MapInput& in, ClaimRecord& out);
void MapXml4Results(const MapInput& in, ClaimRecord& out);
void MapXml5Progress(const MapInput& in, ClaimRecord& out);
void MapXml7Discharge(const MapInput& in, ClaimRecord& out);
void MapXml8RecordSummary(const MapInput& in, ClaimRecord& out);
void MapXml13Referral(const MapInput& in, ClaimRecord& out);
void MapXml14FollowUp(const MapInput& in, ClaimRecord& out);

// Adds `table` with its one row opened by the patient's fields as XML0 and XML1 both begin:
// MA_LK, STT 1, MA_BN, HO_TEN, SO_CCCD, NGAY_SINH, GIOI_TINH. The caller sets the rest.
RowWriter AddPatientRow(const MapInput& in, ClaimRecord& out, std::string_view table);

// MA_LOAI_KCB values whose episodes are treatments (XML5) and admissions (XML7, XML8).
bool IsTreatment(std::string_view ma_loai_kcb);
bool IsAdmission(std::string_view ma_loai_kcb);

}  // namespace hb::claims
