// The money and order fields XML2 and XML3 rows share (costing.h computes them).
#pragma once

#include "claims/claim_record.h"
#include "claims/costing.h"
#include "claims/episode_facts.h"

namespace hb::claims {

// THANH_TIEN_BV ... T_BHTT, MUC_HUONG, the other-source fields, MA_KHOA, MA_BAC_SI,
// NGAY_YL, NGAY_TH_YL and MA_PTTT of one line.
void SetLineMoney(RowWriter& w, const CostLine& l, const Costing& c, const EpisodeFacts& f);

}  // namespace hb::claims
