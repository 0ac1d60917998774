// XML0 (CHI_TIEU_TRANG_THAI_KCB): the check-in record a facility sends when a visit starts
// (national portal .../checkInKcbQd3176), on its own rather than in the discharge file:
// the patient, the card, the arrival and the first charge of the episode.
#include "claims/fhir_read.h"
#include "claims/table_mappers.h"

namespace hb::claims {

void MapXml0CheckIn(const MapInput& in, ClaimRecord& out) {
  const EpisodeFacts& f = in.facts;
  const Costing& c = in.costing;
  RowWriter w = AddPatientRow(in, out, "XML0");
  w.Set("MA_THE_BHYT", f.ma_the);
  w.Set("MA_DKBD", f.ma_dkbd);
  w.Set("GT_THE_TU", f.gt_the_tu);
  w.Set("GT_THE_DEN", f.gt_the_den);
  w.Set("MA_DOITUONG_KCB", c.benefit.doi_tuong);
  w.Set("NGAY_VAO", f.ngay_vao);
  w.Set("NGAY_VAO_NOI_TRU", f.ngay_vao_noi_tru);
  if (f.inpatient) w.Set("LY_DO_VNT", f.ly_do_vv);
  w.Set("MA_LOAI_KCB", f.ma_loai_kcb);
  w.Set("MA_CSKCB", in.episode.facility.code);
  // The first cost of the episode, whichever kind it is.
  const CostLine* first = nullptr;
  for (const auto* lines : {&c.services, &c.drugs}) {
    for (const CostLine& l : *lines) {
      if (!first || l.ordered_at < first->ordered_at) first = &l;
    }
  }
  if (first) {
    const PriceItem& p = *first->item;
    if (p.kind == ItemKind::kDrug) {
      w.Set("MA_THUOC", p.national_code);
      w.Set("TEN_THUOC", p.name);
    } else if (p.kind == ItemKind::kSupply) {
      w.Set("MA_VAT_TU", p.national_code);
      w.Set("TEN_VAT_TU", p.name);
    } else {
      w.Set("MA_DICH_VU", p.national_code);
      w.Set("TEN_DICH_VU", p.name);
    }
    w.Set("NGAY_YL", first->ordered_at);
  }
}

}  // namespace hb::claims
