// The bank statement of the facility's account for a day, against the transfers the ledger
// recorded (the VietQR payments the bank notified): the last step of the cashier's
// end-of-day reconciliation (docs/implementation/billing.md, "Day report").
//
// A statement is the CSV the bank's internet banking exports: one line per credit, with a
// header naming at least the transaction reference and the amount. Header names are matched
// without case or diacritics: transaction_id | ma_giao_dich | so_tham_chieu | so_but_toan |
// reference for the reference, amount | so_tien | ghi_co | credit for the amount (whole
// đồng, "1.234.567" or "1,234,567" grouping allowed); other columns are ignored, and lines
// without a positive amount (debits, balances) are skipped. Commas or semicolons.
//
// Contract: pure functions, thread-safe. ParseBankStatement fails with kInvalidArgument
// naming the line when a header is missing or an amount is not a number.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::payments {

struct StatementLine {
  std::string transaction;  // the bank's reference, as on the statement
  int64_t amount = 0;       // đồng
};

Result<std::vector<StatementLine>> ParseBankStatement(std::string_view csv);

struct LedgerTransfer {
  std::string transaction;  // the bank's id the webhook carried
  int64_t amount = 0;
};

struct StatementCheck {
  int64_t total = 0;                             // what the statement says arrived
  size_t matched = 0;                            // lines with the same reference and amount
  std::vector<StatementLine> not_recorded;       // on the statement, never notified to us
  std::vector<LedgerTransfer> not_on_statement;  // notified, but not on the statement
  std::vector<StatementLine> amount_differs;     // same reference, other amount (statement's)
  bool Clean() const {
    return not_recorded.empty() && not_on_statement.empty() && amount_differs.empty();
  }
};

StatementCheck CheckStatement(const std::vector<StatementLine>& statement,
                              const std::vector<LedgerTransfer>& ledger);

}  // namespace hb::payments
