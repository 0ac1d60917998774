// XML8 (CHI_TIEU_DU_LIEU_TOM_TAT_HO_SO_BENH_AN): the summary of an admission's record
// (MA_LOAI_KCB 03, 04, 06): admission and discharge diagnoses, the course (vital signs),
// the results (XML4 in words), the treatment and the outcome.
#include "claims/table_mappers.h"

namespace hb::claims {

void MapXml8RecordSummary(const MapInput& in, ClaimRecord& out) {
  const EpisodeFacts& f = in.facts;
  if (!IsAdmission(f.ma_loai_kcb) || f.ngay_ra.empty()) return;
  // The course and the results in words, from the tables already mapped.
  std::string course, results;
  if (const TableRows* x5 = out.Find("XML5")) {
    const int at = x5->def->IndexOf("DIEN_BIEN_LS");
    for (const auto& row : x5->rows) course += (course.empty() ? "" : "; ") + row[at];
  }
  if (const TableRows* x4 = out.Find("XML4")) {
    const int name = x4->def->IndexOf("TEN_CHI_SO"), value = x4->def->IndexOf("GIA_TRI"),
              unit = x4->def->IndexOf("DON_VI_DO"), concl = x4->def->IndexOf("KET_LUAN");
    for (const auto& row : x4->rows) {
      std::string item = row[name] + (row[value].empty() ? "" : ": " + row[value]);
      if (!row[unit].empty()) item += " " + row[unit];
      if (!row[concl].empty()) item += " (" + row[concl] + ")";
      results += (results.empty() ? "" : "; ") + item;
    }
  }
  TableRows& t = out.Add("XML8");
  RowWriter w = ClaimRecord::AddRow(t);
  w.Set("MA_LK", in.ma_lk);
  w.Set("MA_LOAI_KCB", f.ma_loai_kcb);
  w.Set("DON_VI", in.episode.facility.name);
  w.Set("NGAY_VAO", f.ngay_vao);
  w.Set("NGAY_RA", f.ngay_ra);
  w.Set("CHAN_DOAN_VAO", f.chan_doan_vao);
  w.Set("CHAN_DOAN_RV", f.chan_doan_rv);
  w.Set("QT_BENHLY", course.empty() ? f.ly_do_vv : course);
  w.Set("TOMTAT_KQ", results.empty() ? "Không làm cận lâm sàng" : results);
  w.Set("PP_DIEUTRI", f.pp_dieu_tri);
  w.Set("KET_QUA_DTRI", f.ket_qua_dtri);
  w.Set("NGAY_CT", f.ngay_ra.substr(0, 8));
}

}  // namespace hb::claims
