// The money of a claim: one line per billable ChargeItem, priced from the facility's price
// list, with the insurance share by benefit level and scope, the co-payment and the
// patient's share, and the episode totals (QĐ 130/4750 XML1, XML2, XML3; the formulas are
// quoted in docs/implementation/claims-xml.md).
//
// Per line (all Decimal, rounded only where the decision says so):
//   SO_LUONG      = ChargeItem.quantity, 3 decimals
//   THANH_TIEN_BV = SO_LUONG * DON_GIA_BV * TYLE_TT_DV/100                 -> 2 decimals
//   THANH_TIEN_BH = SO_LUONG * DON_GIA_BH * TYLE_TT_DV/100 * TYLE_TT_BH/100 -> 2 decimals
//                   (0 outside the scope, PHAM_VI 2; drugs have no TYLE_TT_DV)
//   T_BHTT        = THANH_TIEN_BH * MUC_HUONG/100                         -> 2 decimals
//   T_BNCCT       = THANH_TIEN_BH - T_BHTT   (co-payment)
//   T_BNTT        = THANH_TIEN_BV - THANH_TIEN_BH   (outside the fund's scope)
// MUC_HUONG: the card's benefit level (1, 2, 5: 100; 3: 95; 4: 80) times the route's rate
// (registered facility, referral, emergency, district and commune network, provincial
// inpatient network: 100; provincial outpatient out of network: 0; central inpatient: 40),
// raised to 100 in network when the episode's in-scope total is under 15% of the base
// salary (LUONG_CO_SO code list, by date) or the facility is a commune station.
//
// The same computation prices the cashier's Invoice (operations/billing_invoice.cpp), so an
// invoice and its claim agree to the last đồng: the invoice's insurance share is T_BHTT,
// its patient share T_BNTT + T_BNCCT, its gross T_TONGCHI_BV, line by line.
//
// Contract: pure; thread-safe. Problems in the source data (an item missing from the price
// list, a ChargeItem without a quantity) are appended to `problems` and the line is left
// out; the caller decides whether the claim can go. Billing (`CostingOptions::
// price_unlisted`) prices an item outside the list by its ChargeItem.priceOverride, out of
// the fund's scope (PHAM_VI 2); the claim still reports it as a problem.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "claims/claim_error.h"
#include "claims/code_lists.h"
#include "claims/decimal.h"
#include "claims/episode.h"
#include "claims/icd10.h"
#include "claims/price_list.h"

namespace hb::claims {

// The catalogues a claim is built and checked against; not owned.
struct Catalogs {
  const CodeLists* codes = nullptr;
  const PriceList* prices = nullptr;
  const Icd10* icd = nullptr;
};

struct Benefit {
  bool insured = false;
  std::string card;       // MA_THE_BHYT
  int card_level = 0;     // the card's third character
  std::string doi_tuong;  // MA_DOITUONG_KCB
  std::string noi_di;     // MA_NOI_DI: the referring facility, when referred
  int route_percent = 100;
  int muc_huong = 0;  // MUC_HUONG of every line
};

struct CostLine {
  const fhir::JsonValue* charge_item = nullptr;
  const fhir::JsonValue* request = nullptr;  // MedicationRequest of a drug line, if any
  const PriceItem* item = nullptr;
  Decimal quantity, unit_price, insured_unit_price;
  int service_rate = 100, insured_rate = 100;
  Decimal total_bv, total_bh, fund, copay, patient, other;
  std::string ordered_at, performed_at;  // NGAY_YL, NGAY_TH_YL (yyyyMMddHHmm)
  std::string doctor;                    // MA_BAC_SI
  std::string performers;                // NGUOI_THUC_HIEN (';'-joined)
  std::string service_ref;               // ChargeItem.service[0].reference
};

struct CostingOptions {
  // Price an item missing from the list by its priceOverride, out of scope (billing).
  bool price_unlisted = false;
  // yyyyMMdd for the price version when neither the charge nor the encounter has a date
  // (an encounter still being recorded); 0: none.
  int default_day = 0;
};

struct Costing {
  Benefit benefit;
  // Price-list rows made for unlisted items (price_unlisted); the lines point into them.
  std::vector<std::unique_ptr<PriceItem>> unlisted;
  std::vector<CostLine> drugs;     // XML2
  std::vector<CostLine> services;  // XML3 (services and supplies)
  Decimal t_thuoc, t_vtyt, t_tongchi_bv, t_tongchi_bh, t_bntt, t_bncct, t_bhtt, t_nguonkhac,
      t_bhtt_gdv;
};

Costing ComputeCosting(const Episode& e, const Catalogs& catalogs, ClaimErrors* problems,
                       const CostingOptions& options = {});

}  // namespace hb::claims
