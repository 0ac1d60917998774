// XML3 (CHITIEU_CHITIET_DVKT_VTYT): one row per billable service or supply ChargeItem:
// examinations, bed days, tests, imaging, procedures and medical supplies.
#include "claims/fhir_read.h"
#include "claims/line_fields.h"
#include "claims/table_mappers.h"

namespace hb::claims {

// The time of the result a paraclinical line produced (Observation or DiagnosticReport).
std::string ResultTime(const Episode& e, std::string_view service_ref);

void MapXml3Services(const MapInput& in, ClaimRecord& out) {
  if (in.costing.services.empty()) return;
  TableRows& t = out.Add("XML3");
  const EpisodeFacts& f = in.facts;
  std::string ma_benh = f.ma_benh_chinh;
  if (!f.ma_benh_kt.empty()) ma_benh += ";" + f.ma_benh_kt;
  int stt = 0;
  for (const CostLine& l : in.costing.services) {
    const PriceItem& p = *l.item;
    const bool supply = p.kind == ItemKind::kSupply;
    RowWriter w = ClaimRecord::AddRow(t);
    w.Set("MA_LK", in.ma_lk);
    w.Set("STT", std::to_string(++stt));
    w.Set(supply ? "MA_VAT_TU" : "MA_DICH_VU", p.national_code);
    w.Set(supply ? "TEN_VAT_TU" : "TEN_DICH_VU", p.name);
    w.Set("MA_NHOM", std::to_string(p.group));
    w.Set("DON_VI_TINH", p.unit);
    w.Set("PHAM_VI", std::to_string(p.scope));
    w.Set("DON_GIA_BV", l.unit_price.ToString());
    w.Set("DON_GIA_BH", l.insured_unit_price.ToString());
    if (supply) w.Set("TT_THAU", p.tender);
    w.Set("TYLE_TT_DV", std::to_string(l.service_rate));
    SetLineMoney(w, l, in.costing, f);
    w.Set("NGUOI_THUC_HIEN", l.performers);
    w.Set("MA_BENH", ma_benh);
    if (p.group >= 1 && p.group <= 3) w.Set("NGAY_KQ", ResultTime(in.episode, l.service_ref));
  }
}

}  // namespace hb::claims
