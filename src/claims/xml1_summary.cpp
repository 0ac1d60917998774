// XML1 (TONG_HOP): the episode summary: patient, card, dates, diagnoses, outcome and the
// totals of XML2 and XML3 (costing.h).
#include "claims/table_mappers.h"

namespace hb::claims {

bool IsTreatment(std::string_view t) {
  return t == "02" || t == "03" || t == "04" || t == "05" || t == "06" || t == "08";
}

bool IsAdmission(std::string_view t) { return t == "03" || t == "04" || t == "06"; }

RowWriter AddPatientRow(const MapInput& in, ClaimRecord& out, std::string_view table) {
  const EpisodeFacts& f = in.facts;
  RowWriter w = ClaimRecord::AddRow(out.Add(table));
  w.Set("MA_LK", in.ma_lk);
  w.Set("STT", "1");
  w.Set("MA_BN", f.ma_bn);
  w.Set("HO_TEN", f.ho_ten);
  w.Set("SO_CCCD", f.so_cccd);
  w.Set("NGAY_SINH", f.ngay_sinh);
  w.Set("GIOI_TINH", f.gioi_tinh);
  return w;
}

void MapXml1Summary(const MapInput& in, ClaimRecord& out) {
  const EpisodeFacts& f = in.facts;
  const Costing& c = in.costing;
  RowWriter w = AddPatientRow(in, out, "XML1");
  w.Set("MA_QUOCTICH", f.ma_quoctich);
  w.Set("MA_DANTOC", f.ma_dantoc);
  w.Set("MA_NGHE_NGHIEP", f.ma_nghe_nghiep);
  w.Set("DIA_CHI", f.dia_chi);
  w.Set("MATINH_CU_TRU", f.matinh);
  w.Set("MAHUYEN_CU_TRU", f.mahuyen);
  w.Set("MAXA_CU_TRU", f.maxa);
  w.Set("DIEN_THOAI", f.dien_thoai);
  w.Set("MA_THE_BHYT", f.ma_the);
  w.Set("MA_DKBD", f.ma_dkbd);
  w.Set("GT_THE_TU", f.gt_the_tu);
  w.Set("GT_THE_DEN", f.gt_the_den);
  w.Set("LY_DO_VV", f.ly_do_vv);
  if (f.inpatient) w.Set("LY_DO_VNT", f.ly_do_vv);
  w.Set("CHAN_DOAN_VAO", f.chan_doan_vao);
  w.Set("CHAN_DOAN_RV", f.chan_doan_rv);
  w.Set("MA_BENH_CHINH", f.ma_benh_chinh);
  w.Set("MA_BENH_KT", f.ma_benh_kt);
  w.Set("MA_DOITUONG_KCB", c.benefit.doi_tuong);
  w.Set("MA_NOI_DI", c.benefit.noi_di);
  w.Set("MA_NOI_DEN", f.ma_noi_den);
  w.Set("NGAY_VAO", f.ngay_vao);
  w.Set("NGAY_VAO_NOI_TRU", f.ngay_vao_noi_tru);
  w.Set("NGAY_RA", f.ngay_ra);
  w.Set("SO_NGAY_DTRI", f.so_ngay_dtri);
  w.Set("PP_DIEU_TRI", f.pp_dieu_tri);
  w.Set("KET_QUA_DTRI", f.ket_qua_dtri);
  w.Set("MA_LOAI_RV", f.ma_loai_rv);
  w.Set("NGAY_TTOAN", f.ngay_ttoan);
  w.Set("T_THUOC", c.t_thuoc.ToString());
  w.Set("T_VTYT", c.t_vtyt.ToString());
  w.Set("T_TONGCHI_BV", c.t_tongchi_bv.ToString());
  w.Set("T_TONGCHI_BH", c.t_tongchi_bh.ToString());
  w.Set("T_BNTT", c.t_bntt.ToString());
  w.Set("T_BNCCT", c.t_bncct.ToString());
  w.Set("T_BHTT", c.t_bhtt.ToString());
  w.Set("T_NGUONKHAC", c.t_nguonkhac.ToString());
  w.Set("T_BHTT_GDV", c.t_bhtt_gdv.ToString());
  const std::string& settled = f.ngay_ttoan.empty() ? f.ngay_ra : f.ngay_ttoan;
  if (settled.size() >= 6) {
    w.Set("NAM_QT", settled.substr(0, 4));
    w.Set("THANG_QT", std::to_string(std::stoi(settled.substr(4, 2))));
  }
  w.Set("MA_LOAI_KCB", f.ma_loai_kcb);
  w.Set("MA_KHOA", f.ma_khoa);
  w.Set("MA_CSKCB", in.episode.facility.code);
  w.Set("CAN_NANG", f.can_nang);
  w.Set("NGAY_TAI_KHAM", f.ngay_tai_kham);
  w.Set("MA_HSBA", f.ma_hsba);
}

}  // namespace hb::claims
