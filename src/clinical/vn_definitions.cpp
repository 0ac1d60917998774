#include "clinical/vn_definitions.h"

#include "common/embedded.h"

// Keep in step with hb_vn_sd_names in CMakeLists.txt.
HB_EMBEDDED(hb_vn_sd_ethnicity)
HB_EMBEDDED(hb_vn_sd_occupation)
HB_EMBEDDED(hb_vn_sd_facility_code)
HB_EMBEDDED(hb_vn_sd_department)
HB_EMBEDDED(hb_vn_sd_override_reason)
HB_EMBEDDED(hb_vn_sd_ket_qua_dieu_tri)
HB_EMBEDDED(hb_vn_sd_loai_ra_vien)
HB_EMBEDDED(hb_vn_sd_icd_mark)
HB_EMBEDDED(hb_vn_sd_max_daily_dose)
HB_EMBEDDED(hb_vn_sd_loi_dan)
HB_EMBEDDED(hb_vn_sd_admitted_as)
HB_EMBEDDED(hb_vn_sd_route)
HB_EMBEDDED(hb_vn_sd_unit_price)
HB_EMBEDDED(hb_vn_sd_service_category)
HB_EMBEDDED(hb_vn_sd_stock_location)
HB_EMBEDDED(hb_vn_sd_stock_drug)
HB_EMBEDDED(hb_vn_sd_stock_lot)
HB_EMBEDDED(hb_vn_sd_stock_expiry)
HB_EMBEDDED(hb_vn_sd_stock_on_hand)
HB_EMBEDDED(hb_vn_sd_stock_count_expected)
HB_EMBEDDED(hb_vn_sd_stock_count_counted)
HB_EMBEDDED(hb_vn_sd_stock_count_adjustment)
HB_EMBEDDED(hb_vn_sd_stock_count_note)
HB_EMBEDDED(hb_vn_sd_insurance_benefit)

namespace hb::clinical {

const std::vector<std::string_view>& VnStructureDefinitions() {
  static const std::vector<std::string_view> all = {
      hb_vn_sd_ethnicity_view(),
      hb_vn_sd_occupation_view(),
      hb_vn_sd_facility_code_view(),
      hb_vn_sd_department_view(),
      hb_vn_sd_override_reason_view(),
      hb_vn_sd_ket_qua_dieu_tri_view(),
      hb_vn_sd_loai_ra_vien_view(),
      hb_vn_sd_icd_mark_view(),
      hb_vn_sd_max_daily_dose_view(),
      hb_vn_sd_loi_dan_view(),
      hb_vn_sd_admitted_as_view(),
      hb_vn_sd_route_view(),
      hb_vn_sd_unit_price_view(),
      hb_vn_sd_service_category_view(),
      hb_vn_sd_stock_location_view(),
      hb_vn_sd_stock_drug_view(),
      hb_vn_sd_stock_lot_view(),
      hb_vn_sd_stock_expiry_view(),
      hb_vn_sd_stock_on_hand_view(),
      hb_vn_sd_stock_count_expected_view(),
      hb_vn_sd_stock_count_counted_view(),
      hb_vn_sd_stock_count_adjustment_view(),
      hb_vn_sd_stock_count_note_view(),
      hb_vn_sd_insurance_benefit_view()};
  return all;
}

}  // namespace hb::clinical
