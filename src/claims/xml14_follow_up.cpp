// XML14 (CHI_TIEU_GIAYHEN_KHAMLAI): the follow-up appointment paper, when the episode
// booked one (an Appointment whose supportingInformation is the encounter; its id is the
// paper's number, its start the appointment, its creation date the paper's date).
#include "claims/fhir_read.h"
#include "claims/table_mappers.h"

namespace hb::claims {

void MapXml14FollowUp(const MapInput& in, ClaimRecord& out) {
  const EpisodeFacts& f = in.facts;
  for (const auto& a : in.episode.appointments) {
    const std::string status(fhir::MemberString(a, "status"));
    if (status == "cancelled" || status == "entered-in-error") continue;
    TableRows& t = out.Add("XML14");
    RowWriter w = ClaimRecord::AddRow(t);
    w.Set("MA_LK", in.ma_lk);
    w.Set("SO_GIAYHEN_KL", std::string(fhir::MemberString(a, "id")));
    w.Set("MA_CSKCB", in.episode.facility.code);
    w.Set("HO_TEN", f.ho_ten);
    w.Set("NGAY_SINH", f.ngay_sinh);
    w.Set("GIOI_TINH", f.gioi_tinh);
    w.Set("DIA_CHI", f.dia_chi);
    w.Set("MA_THE_BHYT", f.ma_the);
    w.Set("GT_THE_DEN", f.gt_the_den);
    w.Set("NGAY_VAO", f.ngay_vao);
    w.Set("NGAY_VAO_NOI_TRU", f.ngay_vao_noi_tru);
    w.Set("NGAY_RA", f.ngay_ra);
    w.Set("NGAY_HEN_KL", TableDateTime(Str(a, {"start"})));
    w.Set("CHAN_DOAN_RV", f.chan_doan_rv);
    w.Set("MA_BENH_CHINH", f.ma_benh_chinh);
    w.Set("MA_BENH_KT", f.ma_benh_kt);
    w.Set("MA_DOITUONG_KCB", in.costing.benefit.doi_tuong);
    w.Set("MA_BAC_SI", f.doctor);
    std::string_view created = Str(a, {"created"});
    w.Set("NGAY_CT", created.empty() ? f.ngay_ra.substr(0, 8) : TableDate(created));
    return;  // one paper per episode: the table is a single record
  }
}

}  // namespace hb::claims
