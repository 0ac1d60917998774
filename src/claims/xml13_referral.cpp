// XML13 (CHI_TIEU_GIAYCHUYENTUYEN): the referral paper, when the patient leaves referred
// (MA_LOAI_RV 2 or 5). Source: the referral ServiceRequest of the encounter (its id is the
// paper's number, performer the receiving facility, reasonCode the reason, note the
// state), else Encounter.hospitalization.destination. QĐ 3176 names the facilities
// MA_CSKCB_DI/MA_CSKCB_DEN and carries TINH_TRANG_CT where 4750 has a second PP_DIEU_TRI.
#include "claims/fhir_read.h"
#include "claims/table_mappers.h"

namespace hb::claims {

void MapXml13Referral(const MapInput& in, ClaimRecord& out) {
  const EpisodeFacts& f = in.facts;
  if (f.ma_loai_rv != "2" && f.ma_loai_rv != "5") return;
  const fhir::JsonValue* sr =
      in.episode.referrals.empty() ? nullptr : &in.episode.referrals.front();
  const std::string number = sr ? std::string(fhir::MemberString(*sr, "id"))
                                : "CT-" + std::string(in.episode.encounter_id());
  const bool v3176 = out.version == SchemaVersion::k3176;
  TableRows& t = out.Add("XML13");
  RowWriter w = ClaimRecord::AddRow(t);
  w.Set("MA_LK", in.ma_lk);
  w.Set("SO_HOSO", f.ma_hsba);
  w.Set("SO_CHUYENTUYEN", number);
  w.Set("GIAY_CHUYEN_TUYEN", number);
  w.Set("MA_CSKCB", in.episode.facility.code);
  w.Set(v3176 ? "MA_CSKCB_DI" : "MA_NOI_DI", in.costing.benefit.noi_di);
  w.Set(v3176 ? "MA_CSKCB_DEN" : "MA_NOI_DEN", f.ma_noi_den);
  w.Set("HO_TEN", f.ho_ten);
  w.Set("NGAY_SINH", f.ngay_sinh);
  w.Set("GIOI_TINH", f.gioi_tinh);
  w.Set("MA_QUOCTICH", f.ma_quoctich);
  w.Set("MA_DANTOC", f.ma_dantoc);
  w.Set("MA_NGHE_NGHIEP", f.ma_nghe_nghiep);
  w.Set("DIA_CHI", f.dia_chi);
  w.Set("MA_THE_BHYT", f.ma_the);
  w.Set("GT_THE_DEN", f.gt_the_den);
  w.Set("NGAY_VAO", f.ngay_vao);
  w.Set("NGAY_VAO_NOI_TRU", f.ngay_vao_noi_tru);
  w.Set("NGAY_RA", f.ngay_ra);
  std::string signs = f.ly_do_vv;
  if (sr) {
    if (std::string_view r = ConceptText(First(*sr, "reasonCode")); !r.empty())
      signs = std::string(r);
  }
  w.Set("DAU_HIEU_LS", signs);
  w.Set("CHAN_DOAN_RV", f.chan_doan_rv);
  w.Set("QT_BENHLY", f.ly_do_vv);
  w.Set("PP_DIEUTRI", f.pp_dieu_tri);
  w.Set("MA_BENH_CHINH", f.ma_benh_chinh);
  w.Set("MA_BENH_KT", f.ma_benh_kt);
  if (v3176) {
    const fhir::JsonValue* note = sr ? First(*sr, "note") : nullptr;
    w.Set("TINH_TRANG_CT", note ? std::string(Str(*note, {"text"})) : std::string());
  } else {
    w.Set("PP_DIEU_TRI", f.pp_dieu_tri);
  }
  w.Set("MA_LOAI_RV", f.ma_loai_rv);
  w.Set("MA_LYDO_CT", f.ma_loai_rv == "5" ? "3" : "1");
  w.Set("MA_BAC_SI", f.doctor);
}

}  // namespace hb::claims
