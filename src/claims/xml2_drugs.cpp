// XML2 (CHITIEU_CHITIET_THUOC): one row per billable drug ChargeItem, with the drug's
// national code and attributes from the price list and the dose from its MedicationRequest.
#include <fmt/format.h>

#include "claims/fhir_read.h"
#include "claims/line_fields.h"
#include "claims/table_mappers.h"

namespace hb::claims {

namespace {

// "1 viên/lần, 3 lần/ngày" from the structured dosage; the free text when there is none.
std::string DoseText(const fhir::JsonValue* request) {
  if (!request) return {};
  const fhir::JsonValue* dosage = First(*request, "dosageInstruction");
  if (!dosage) return {};
  const fhir::JsonValue* dr = First(*dosage, "doseAndRate");
  std::string_view dose = dr ? Num(*dr, {"doseQuantity", "value"}) : std::string_view();
  std::string_view unit = dr ? Str(*dr, {"doseQuantity", "unit"}) : std::string_view();
  std::string_view freq = Num(*dosage, {"timing", "repeat", "frequency"});
  std::string_view period = Num(*dosage, {"timing", "repeat", "period"});
  std::string_view punit = Str(*dosage, {"timing", "repeat", "periodUnit"});
  if (dose.empty() || freq.empty()) return std::string(Str(*dosage, {"text"}));
  std::string out = fmt::format("{} {}/lần", dose, unit);
  if (punit == "d" && period == "1") {
    out += fmt::format(", {} lần/ngày", freq);
  } else if (punit == "h") {
    out += fmt::format(", cách {} giờ", period);
  } else if (punit == "d") {
    out += fmt::format(", {} lần/{} ngày", freq, period);
  }
  return out;
}

}  // namespace

void SetLineMoney(RowWriter& w, const CostLine& l, const Costing& c, const EpisodeFacts& f) {
  w.Set("TYLE_TT_BH", std::to_string(l.insured_rate));
  w.Set("SO_LUONG", l.quantity.ToString());
  w.Set("THANH_TIEN_BV", l.total_bv.ToString());
  w.Set("THANH_TIEN_BH", l.total_bh.ToString());
  for (const char* field :
       {"T_NGUONKHAC_NSNN", "T_NGUONKHAC_VTNN", "T_NGUONKHAC_VTTN", "T_NGUONKHAC_CL"}) {
    w.Set(field, "0");
  }
  w.Set("T_NGUONKHAC", l.other.ToString());
  w.Set("MUC_HUONG", std::to_string(c.benefit.muc_huong));
  w.Set("T_BNTT", l.patient.ToString());
  w.Set("T_BNCCT", l.copay.ToString());
  w.Set("T_BHTT", l.fund.ToString());
  w.Set("MA_KHOA", f.ma_khoa);
  w.Set("MA_BAC_SI", l.doctor);
  w.Set("NGAY_YL", l.ordered_at);
  w.Set("NGAY_TH_YL", l.performed_at);
  w.Set("MA_PTTT", "1");
}

void MapXml2Drugs(const MapInput& in, ClaimRecord& out) {
  if (in.costing.drugs.empty()) return;
  TableRows& t = out.Add("XML2");
  int stt = 0;
  for (const CostLine& l : in.costing.drugs) {
    const PriceItem& p = *l.item;
    RowWriter w = ClaimRecord::AddRow(t);
    w.Set("MA_LK", in.ma_lk);
    w.Set("STT", std::to_string(++stt));
    w.Set("MA_THUOC", p.national_code);
    w.Set("MA_NHOM", std::to_string(p.group));
    w.Set("TEN_THUOC", p.name);
    w.Set("DON_VI_TINH", p.unit);
    w.Set("HAM_LUONG", p.strength);
    w.Set("DUONG_DUNG", p.route_code);
    w.Set("DANG_BAO_CHE", p.dosage_form);
    w.Set("LIEU_DUNG", DoseText(l.request));
    if (l.request) {
      if (const fhir::JsonValue* d = First(*l.request, "dosageInstruction"))
        w.Set("CACH_DUNG", std::string(Str(*d, {"text"})));
    }
    w.Set("SO_DANG_KY", p.registration);
    w.Set("TT_THAU", p.tender);
    w.Set("PHAM_VI", std::to_string(p.scope));
    w.Set("DON_GIA", l.unit_price.ToString());
    SetLineMoney(w, l, in.costing, in.facts);
    w.Set("NGUON_CTRA", "1");
  }
}

}  // namespace hb::claims
