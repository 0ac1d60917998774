// The invoice of an episode, priced by the claims costing (claims/costing.h): the facility
// price list (claims/price_list.h, versions by validity date) and the one insurance split
// (MUC_HUONG by card level and route, scope, TYLE_TT_BH, the co-payment; Decimal, rounded
// as QĐ 130/4750 says). The claim's XML2/XML3 rows and XML1 totals come from the very same
// Costing, so an invoice and its claim agree to the last đồng:
//   invoice line gross     = THANH_TIEN_BV
//   invoice line insurance = T_BHTT (the fund's share)
//   invoice line patient   = T_BNCCT + T_BNTT (co-payment + outside the fund's scope)
//   totals                 = T_TONGCHI_BV, T_BHTT, T_BNCCT + T_BNTT
// The patient pays the share rounded to the whole đồng (it has a fraction only when a
// quantity has one).
//
// Contract: pure; thread-safe. Failure modes: kUnprocessable naming the ChargeItem when an
// item is neither in the price list nor carries a priceOverride, or its quantity is bad.
#pragma once

#include <string>

#include "claims/costing.h"
#include "claims/episode.h"
#include "common/result.h"
#include "payments/billing_records.h"

namespace hb::operations {

// Fills d.lines, d.gross, d.insurance, d.patient, d.patient_due and the coverage fields
// from `episode`. `today` (yyyyMMdd) dates the price of charges of an encounter without a
// start.
Status PriceInvoice(const claims::Episode& episode, const claims::Catalogs& catalogs, int today,
                    payments::InvoiceDraft& d);

// A day's invoice (payments.invoice_per = "day"): adds one encounter's priced invoice
// (`part`, from PriceInvoice, so each encounter keeps its own claim's split) to `day`: its
// lines after the others, the exact totals summed in Decimal, the share collected rounded
// to the đồng once, from the exact sum; the coverage shown is the first insured encounter's.
// Start from a default InvoiceDraft. kInternal when an amount is not a decimal.
Status AddToDayInvoice(const payments::InvoiceDraft& part, payments::InvoiceDraft& day);

}  // namespace hb::operations
