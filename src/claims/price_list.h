// A facility's price list and its mapping to the national codes, for drugs, services and
// supplies, imported from the CSV layouts facilities keep (one file per kind; the columns
// are the QĐ 130/4750 field names, documented in docs/implementation/claims-xml.md):
//   thuoc.csv  MA_NOI_BO, MA_THUOC, TEN_HOAT_CHAT, TEN_THUOC, DON_VI_TINH, HAM_LUONG,
//              MA_DUONG_DUNG, DUONG_DUNG, DANG_BAO_CHE, SO_DANG_KY, DON_GIA, TYLE_TT_BH,
//              PHAM_VI, MA_NHOM, TT_THAU, TU_NGAY, DEN_NGAY, MA_CSKCB
//   dvkt.csv   MA_NOI_BO, MA_DICH_VU, TEN_DICH_VU, DON_VI_TINH, DON_GIA, DON_GIA_BH,
//              MA_NHOM, TYLE_TT_DV, TYLE_TT_BH, PHAM_VI, QUYET_DINH, TU_NGAY, DEN_NGAY, MA_CSKCB
//   vtyt.csv   MA_NOI_BO, MA_VAT_TU, TEN_VAT_TU, DON_VI_TINH, QUY_CACH, DON_GIA, DON_GIA_BH,
//              MA_NHOM, TYLE_TT_BH, PHAM_VI, TT_THAU, NHOM_VAT_TU, TU_NGAY, DEN_NGAY, MA_CSKCB
// MA_NOI_BO is the facility's own code, the one ChargeItem.code carries (system
// Systems().charge_code). Each row is one version of an item's price, valid from TU_NGAY
// to DEN_NGAY (yyyyMMdd, inclusive; empty DEN_NGAY = open); MA_CSKCB restricts a row to
// the listed facilities (';'-joined, empty = every facility), and a row naming the
// facility wins over a general one. Extra columns are ignored.
//
// Contract: immutable after loading; thread-safe. Failure modes: kInvalidArgument naming
// the file, row and column (missing column, bad price, bad date, DEN_NGAY < TU_NGAY).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "claims/decimal.h"
#include "common/result.h"

namespace hb::claims {

enum class ItemKind { kDrug, kService, kSupply };

struct PriceItem {
  ItemKind kind = ItemKind::kService;
  std::string local_code;               // MA_NOI_BO
  std::string national_code;            // MA_THUOC / MA_DICH_VU / MA_VAT_TU
  std::string name;                     // TEN_THUOC / TEN_DICH_VU / TEN_VAT_TU
  std::string unit;                     // DON_VI_TINH
  std::string strength;                 // HAM_LUONG (drugs)
  std::string route_code;               // MA_DUONG_DUNG (drugs)
  std::string dosage_form;              // DANG_BAO_CHE (drugs)
  std::string registration;             // SO_DANG_KY (drugs)
  std::string tender;                   // TT_THAU
  Decimal price;                        // DON_GIA (drugs), DON_GIA_BV (services, supplies)
  Decimal insured_price;                // DON_GIA_BH (drugs: = DON_GIA)
  int group = 0;                        // MA_NHOM
  int service_rate = 100;               // TYLE_TT_DV
  int insured_rate = 100;               // TYLE_TT_BH
  int scope = 1;                        // PHAM_VI
  int valid_from = 0, valid_to = 0;     // yyyyMMdd
  std::vector<std::string> facilities;  // empty = all
};

class PriceList {
 public:
  // Any of the three texts may be empty (a facility without supplies).
  static Result<PriceList> Load(std::string_view drugs_csv, std::string_view services_csv,
                                std::string_view supplies_csv);
  // thuoc.csv, dvkt.csv, vtyt.csv from `dir` (a missing file is an empty list; a missing
  // folder is kNotFound).
  static Result<PriceList> LoadDir(const std::string& dir);

  // The version of item `local_code` valid on `day` (yyyyMMdd) at `facility`; nullptr
  // when the list has none.
  const PriceItem* Find(std::string_view local_code, std::string_view facility, int day) const;
  // For each code, the version Find would give on `day` at `facility` (codes without one
  // left out), in code order.
  std::vector<const PriceItem*> ValidOn(std::string_view facility, int day) const;
  size_t size() const;

 private:
  Status Add(ItemKind kind, std::string_view csv, std::string_view file);
  std::map<std::string, std::vector<PriceItem>, std::less<>> items_;
};

// The demo province's price list (resources/catalogs/claims/demo-price-list/, embedded):
// writes thuoc.csv, dvkt.csv and vtyt.csv into `dir` (created) unless they exist.
Status InstallDemoPriceList(const std::string& dir);

}  // namespace hb::claims
