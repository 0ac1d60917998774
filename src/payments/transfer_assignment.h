// How money received lands on an invoice, and the record of a transfer assigned by hand.
//
// AllocatePayment is the one rule for a payment or deposit (the bank webhook, the desk's
// $pay, and the cashier's $assign of a work-list transfer): what is applied to the charges,
// the outcome (complete, or partial when more came in than was open) and the work-list
// disposition. AssignedReconciliation rewrites a stored PaymentReconciliation for its new
// invoice and appends the assignment to its `detail` (who, when, from which invoice, why),
// so the record carries its own history; NoticeForInvoice points the PaymentNotice of the
// same arrival at the new invoice (receipts list an invoice's notices).
// Shapes: docs/implementation/billing.md ("Assigning a transfer by hand").
//
// Contract: pure functions over JSON text, thread-safe. Failure: kInvalidResource when the
// stored resource is not one billing wrote.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "payments/billing_records.h"

namespace hb::payments {

struct Allocation {
  int64_t applied = 0;      // to the charges; the rest is a credit on the invoice
  std::string outcome;      // complete | partial (overpaid)
  std::string disposition;  // empty when the amount settles the balance exactly
};
// `amount` (> 0) received for Invoice/`invoice_id` whose open balance is `balance` (a
// negative balance, a credit, counts as nothing open).
Allocation AllocatePayment(int64_t amount, int64_t balance, PaymentKind kind,
                           std::string_view invoice_id);

struct Assignment {
  std::string to_invoice;    // id of the invoice the money now belongs to
  std::string to_reference;  // its payment reference (HB…)
  std::string from_invoice;  // the invoice it was matched to before; empty when unmatched
  std::string from_reference;  // its payment reference (HB…), shown with it
  Allocation allocation;     // on the new invoice
  std::string by;            // who assigned it (user and role), for the record
  std::string reason;        // the cashier's note; may be empty
  std::string at;            // instant
  std::string date;          // facility-local YYYY-MM-DD
};
Result<std::string> AssignedReconciliation(std::string_view reconciliation_json,
                                           const Assignment& a);
Result<std::string> NoticeForInvoice(std::string_view notice_json, std::string_view invoice_id);

}  // namespace hb::payments
