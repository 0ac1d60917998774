#include "payments/billing_split.h"

#include "payments/vnd.h"

namespace hb::payments {

InvoiceSplit SplitCharges(const std::vector<ChargeLine>& lines, const CoverageTerms& terms) {
  InvoiceSplit out;
  const int network = terms.in_network ? 100 : terms.out_of_network_percent;
  for (const ChargeLine& line : lines) {
    LineSplit s;
    s.line = line;
    s.gross = MulDivRound(line.unit_price, line.quantity_milli, 1000);
    if (terms.insured && line.in_scope) {
      // One ratio of three percentages: rounding once keeps the line exact to the đồng.
      int64_t num = static_cast<int64_t>(line.insurance_ratio) * terms.benefit_percent * network;
      s.insurance = MulDivRound(s.gross, num, 1000000);
    }
    s.patient = s.gross - s.insurance;
    out.gross += s.gross;
    out.insurance += s.insurance;
    out.patient += s.patient;
    out.lines.push_back(std::move(s));
  }
  return out;
}

}  // namespace hb::payments
