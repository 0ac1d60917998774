// The facility price list (bảng giá): services (DVKT), drugs (thuốc) and supplies (VTYT),
// the CSV tables under resources/catalogs/claims/demo-price-list/ that the claims module
// also reads, embedded at build time. A code is looked up by MA_NOI_BO (the facility's
// internal code; national codes are shared by several brands and prices); among its rows
// the one valid on the date (TU_NGAY..DEN_NGAY) wins, a row listing this facility in MA_CSKCB
// before the general one.
//
// Contract: thread-safe; the tables are parsed once on first use. Columns are found by name,
// so a table that gains columns still reads; a row without a parseable DON_GIA is skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hb::payments {

struct CatalogPrice {
  std::string display;
  int64_t unit_price = 0;     // DON_GIA, đồng
  int insurance_ratio = 100;  // TYLE_TT_BH
  bool in_scope = true;       // PHAM_VI = 1
};

// `date` is YYYYMMDD; `facility` the MA_CSKCB (may be empty).
std::optional<CatalogPrice> FindCatalogPrice(std::string_view code, std::string_view facility,
                                             std::string_view date);

}  // namespace hb::payments
