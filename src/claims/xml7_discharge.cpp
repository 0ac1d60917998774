// XML7 (CHI_TIEU_DU_LIEU_GIAY_RA_VIEN): the discharge paper of an admission
// (MA_LOAI_KCB 03, 04, 06).
#include "claims/table_mappers.h"

namespace hb::claims {

void MapXml7Discharge(const MapInput& in, ClaimRecord& out) {
  const EpisodeFacts& f = in.facts;
  if (!IsAdmission(f.ma_loai_kcb) || f.ngay_ra.empty()) return;
  TableRows& t = out.Add("XML7");
  RowWriter w = ClaimRecord::AddRow(t);
  w.Set("MA_LK", in.ma_lk);
  w.Set("SO_LUU_TRU", f.ma_hsba);
  w.Set("MA_YTE", f.ma_bn);
  w.Set("MA_KHOA_RV", f.ma_khoa);
  w.Set("NGAY_VAO", f.ngay_vao);
  w.Set("NGAY_RA", f.ngay_ra);
  w.Set("MA_DINH_CHI_THAI", "0");
  w.Set("CHAN_DOAN_RV", f.chan_doan_rv);
  w.Set("PP_DIEUTRI", f.pp_dieu_tri);
  w.Set("TEN_BS", f.doctor_name);
  w.Set("NGAY_CT", f.ngay_ra.substr(0, 8));
}

}  // namespace hb::claims
