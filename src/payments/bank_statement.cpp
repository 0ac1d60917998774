#include "payments/bank_statement.h"

#include <algorithm>
#include <map>

#include "common/csv.h"
#include "payments/vietnamese_ascii.h"

namespace hb::payments {

namespace {

// "Số tiền", " SO_TIEN " -> "so_tien".
std::string Key(std::string_view header) {
  auto folded = FoldVietnameseToAscii(header);
  std::string out;
  for (char c : folded.ok() ? *folded : std::string(header)) {
    if (c == ' ' || c == '-') c = '_';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') out.push_back(c);
  }
  while (!out.empty() && out.front() == '_') out.erase(0, 1);
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

int Find(const std::vector<std::string>& header, std::initializer_list<std::string_view> names) {
  for (size_t i = 0; i < header.size(); ++i) {
    for (std::string_view n : names)
      if (Key(header[i]) == n) return static_cast<int>(i);
  }
  return -1;
}

// Whole đồng, with '.' or ',' or spaces as grouping; a decimal part of zeros is allowed.
bool Amount(std::string_view s, int64_t* out) {
  std::string digits;
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if ((c == '.' || c == ',') && s.size() - i == 3 && s.substr(i + 1) == "00") {
      break;  // "150000.00"
    } else if (c != '.' && c != ',' && c != ' ') {
      return false;
    }
  }
  if (digits.empty() || digits.size() > 15) return false;
  *out = std::stoll(digits);
  return true;
}

}  // namespace

Result<std::vector<StatementLine>> ParseBankStatement(std::string_view csv) {
  const std::string_view first = csv.substr(0, csv.find_first_of("\r\n"));
  const char delimiter =
      std::count(first.begin(), first.end(), ';') > std::count(first.begin(), first.end(), ',')
          ? ';'
          : ',';
  HB_ASSIGN_OR_RETURN(auto rows, ParseCsv(csv, "bank statement", delimiter));
  if (rows.empty()) return Status(ErrorCode::kInvalidArgument, "bank statement: empty");
  const int ref = Find(rows[0], {"transaction_id", "ma_giao_dich", "so_tham_chieu", "so_but_toan",
                                 "reference", "ma_gd"});
  const int amt = Find(rows[0], {"amount", "so_tien", "ghi_co", "credit", "so_tien_ghi_co"});
  if (ref < 0 || amt < 0) {
    return Status(ErrorCode::kInvalidArgument,
                  "bank statement: the header needs a reference column (transaction_id, "
                  "so_tham_chieu…) and an amount column (amount, so_tien, ghi_co…)");
  }
  std::vector<StatementLine> out;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    auto cell = [&](int col) {
      return static_cast<size_t>(col) < row.size() ? std::string_view(row[col])
                                                   : std::string_view();
    };
    const std::string_view a = cell(amt), t = cell(ref);
    if (a.find_first_not_of(" ") == std::string_view::npos) continue;  // a debit-only line
    if (a.find('-') != std::string_view::npos) continue;               // a debit
    int64_t v = 0;
    if (!Amount(a, &v)) {
      return Status(ErrorCode::kInvalidArgument, "bank statement line " + std::to_string(r + 1) +
                                                     ": '" + std::string(a) +
                                                     "' is not an amount in đồng");
    }
    if (v <= 0 || t.empty()) continue;
    out.push_back({std::string(t), v});
  }
  return out;
}

StatementCheck CheckStatement(const std::vector<StatementLine>& statement,
                              const std::vector<LedgerTransfer>& ledger) {
  StatementCheck c;
  std::map<std::string, int64_t> recorded;
  for (const auto& l : ledger) recorded[l.transaction] += l.amount;
  std::map<std::string, bool> seen;
  for (const auto& s : statement) {
    c.total += s.amount;
    auto it = recorded.find(s.transaction);
    if (it == recorded.end()) {
      c.not_recorded.push_back(s);
    } else if (it->second != s.amount) {
      c.amount_differs.push_back(s);
      seen[s.transaction] = true;
    } else {
      ++c.matched;
      seen[s.transaction] = true;
    }
  }
  for (const auto& l : ledger) {
    if (!seen.count(l.transaction)) c.not_on_statement.push_back(l);
  }
  return c;
}

}  // namespace hb::payments
