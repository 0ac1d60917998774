// XML5 (CHITIEU_CHITIET_DIENBIENLAMSANG): the clinical course of a treatment episode
// (MA_LOAI_KCB 02-06, 08): one row per time vital signs were taken, written the way the
// decision asks ("CSST<M75_T37_HA120/70_NT18>") with the diagnosis, then the discharge.
#include <map>

#include "claims/fhir_read.h"
#include "claims/table_mappers.h"

namespace hb::claims {

void MapXml5Progress(const MapInput& in, ClaimRecord& out) {
  const EpisodeFacts& f = in.facts;
  if (!IsTreatment(f.ma_loai_kcb)) return;
  // Vital signs grouped by the minute they were taken, in time order.
  std::map<std::string, std::vector<const fhir::JsonValue*>> by_time;
  for (const auto& o : in.episode.observations) {
    if (CodeIn(First(o, "category")) != "vital-signs") continue;
    const std::string at = TableDateTime(Str(o, {"effectiveDateTime"}));
    if (!at.empty()) by_time[at].push_back(&o);
  }
  TableRows& t = out.Add("XML5");
  int stt = 0;
  for (const auto& [at, obs] : by_time) {
    std::string who;
    if (const fhir::JsonValue* p = First(*obs.front(), "performer")) {
      std::string_view id = RefId(p, "Practitioner");
      if (const PractitionerFacts* pf = id.empty() ? nullptr : in.episode.Practitioner(id))
        who = pf->licence;
    }
    RowWriter w = ClaimRecord::AddRow(t);
    w.Set("MA_LK", in.ma_lk);
    w.Set("STT", std::to_string(++stt));
    std::string text = VitalSignsText(obs);
    if (!f.chan_doan_vao.empty()) text += (text.empty() ? "" : " ") + f.chan_doan_vao;
    w.Set("DIEN_BIEN_LS", text);
    w.Set("THOI_DIEM_DBLS", at);
    w.Set("NGUOI_THUC_HIEN", who.empty() ? f.doctor : who);
  }
  if (!f.ngay_ra.empty()) {
    RowWriter w = ClaimRecord::AddRow(t);
    w.Set("MA_LK", in.ma_lk);
    w.Set("STT", std::to_string(++stt));
    w.Set("DIEN_BIEN_LS", "Ra viện. Chẩn đoán: " + f.chan_doan_rv + ". " + f.pp_dieu_tri);
    w.Set("THOI_DIEM_DBLS", f.ngay_ra);
    w.Set("NGUOI_THUC_HIEN", f.doctor);
  }
}

}  // namespace hb::claims
