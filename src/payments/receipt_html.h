// The printable receipt (biên lai thu tiền) of an invoice: Vietnamese first, English
// underneath, the split between insurance and patient, the payments received, and a
// verification QR (an SVG of the verification URL) that anyone can scan to have the server
// confirm the receipt is genuine and current.
//
// Contract: a pure function, thread-safe; every text is HTML-escaped.
#pragma once

#include <string>
#include <vector>

#include "payments/billing_records.h"

namespace hb::payments {

struct ReceiptPayment {
  std::string date, method, txn;
  int64_t amount = 0;
};

struct ReceiptInput {
  std::string facility_name, facility_code;
  InvoiceState invoice;
  std::vector<ReceiptPayment> payments;
  std::string verify_url;  // encoded in the QR and printed under it
};

std::string ReceiptHtml(const ReceiptInput& in);

}  // namespace hb::payments
