// Importing a facility's price list from the files facilities are given or keep: CSV
// written by hand or by the hospital system (UTF-8, commas), and what a spreadsheet exports
// from the Excel catalogues of the insurance portal in a Vietnamese locale — "CSV" with
// semicolons (the comma is the decimal mark there) or "Unicode Text" (UTF-16 with tabs).
// The columns are the QĐ 130/4750 field names (price_list.h), in any order, any case, with
// spaces for underscores; columns of the facility's own (STT, notes) are kept and ignored.
// TU_NGAY/DEN_NGAY may be yyyyMMdd, dd/MM/yyyy or yyyy-MM-dd. The kind (thuoc, dvkt, vtyt)
// is recognised from the national-code column (MA_THUOC, MA_DICH_VU, MA_VAT_TU).
//
// A new table replaces the facility's table of its kind only when the whole list, with the
// tables already there, loads (PriceList::Load: every row checked, errors name the file,
// row and column); the previous file is kept beside it as <kind>.csv.previous. Each row
// stays a version valid from TU_NGAY to DEN_NGAY, so a price change is a new row and old
// episodes keep their price. A running server reads the list at start.
//
// Contract: NormalizePriceTable is pure; ImportPriceList writes only into `dir`.
// Failure modes: kInvalidArgument with the reason (encoding, no known columns, a bad row).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "claims/price_list.h"
#include "common/result.h"

namespace hb::claims {

struct PriceTable {
  ItemKind kind = ItemKind::kService;
  std::string file_name;  // thuoc.csv | dvkt.csv | vtyt.csv
  std::string csv;        // canonical: UTF-8, commas, the QĐ 130 column names
  size_t rows = 0;
};

// One exported file (its bytes as read) -> the canonical table. `source` names it in errors.
Result<PriceTable> NormalizePriceTable(std::string_view bytes, std::string_view source);

// Imports `files` into the price-list folder `dir` (created when missing).
Result<std::vector<PriceTable>> ImportPriceList(const std::string& dir,
                                                const std::vector<std::string>& files);

}  // namespace hb::claims
