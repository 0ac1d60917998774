// GET PaymentReconciliation/$day-report?date=YYYY-MM-DD[&received-<method>=đồng...]: the
// cashier's end-of-day reconciliation. For each method (cash, pos-card, mobile-money,
// vietqr): expected = what the ledger recorded that facility day (payments and deposits
// minus refunds), applied/unapplied = how much of it went to charges or stayed a credit or
// unmatched, received = what the cashier counted (the drawer, the POS settlement slip, the
// wallet or bank statement; the expected amount when not given), difference = received -
// expected. The work-list items of the day (unmatched transfers, overpayments) are listed.
// POST with `statement` (valueString: the bank statement CSV of the day, bank_statement.h)
// checks the VietQR transfers one by one against it: received-vietqr is then the
// statement's total, and `statement` lists what the bank has that was never notified, what
// was notified but is not on the statement, and amounts that differ.
// balanced: every difference is zero and the statement (if any) matches. Also the
// registration of the billing operations.
#include <map>
#include <optional>

#include "common/clock.h"
#include "operations/billing_support.h"
#include "operations/factories.h"
#include "operations/op_support.h"
#include "payments/bank_statement.h"
#include "payments/vnd.h"
#include "reception/candidate_search.h"
#include "rest/outcome.h"

namespace hb::operations {

std::unique_ptr<rest::Operation> MakeInvoiceOperation(BillingContextPtr ctx);
std::unique_ptr<rest::Operation> MakeVietQrOperation(BillingContextPtr ctx);
std::unique_ptr<rest::Operation> MakePayOperation(BillingContextPtr ctx, bool refund);
std::unique_ptr<rest::Operation> MakeReceiptOperation(BillingContextPtr ctx);
std::unique_ptr<rest::Operation> MakeAssignOperation(BillingContextPtr ctx);
std::unique_ptr<rest::Operation> MakeCancelOperation(BillingContextPtr ctx);

namespace {

constexpr const char* kMethods[] = {"cash", "pos-card", "mobile-money", "vietqr"};

bool IsDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  return true;
}

class DayReportOperation : public rest::Operation {
 public:
  explicit DayReportOperation(BillingContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "day-report"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kType && type == "PaymentReconciliation";
  }
  bool AllowsGet() const override { return true; }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/PaymentReconciliation-day-report";
  }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    Status allowed = call.policy->CheckInteraction(*call.principal, "PaymentReconciliation",
                                                   access::Op::kSearch);
    if (!Permit(call, respond, allowed, "PaymentReconciliation")) return;
    // A facility's cash desk sees its own day; operators and the Department of Health any.
    const access::Principal& who = *call.principal;
    const bool all_facilities =
        who.role == access::Role::kSystem || who.role == access::Role::kDohOfficial;
    if (!all_facilities && who.facility_org.empty()) {
      Status no(ErrorCode::kForbidden, "the day report is of a facility: the caller belongs to none");
      if (!Permit(call, respond, no, "PaymentReconciliation")) return;
    }
    auto in = ReadParameters(call);
    if (!in.ok()) return RespondError(respond, in.status());
    auto date = RequiredText(*in, "date");
    if (!date.ok()) return RespondError(respond, date.status());
    if (!IsDate(*date)) {
      return RespondError(respond, Status(ErrorCode::kInvalidArgument,
                                          "date must be YYYY-MM-DD, got '" + *date + "'"));
    }
    struct Sums {
      int64_t expected = 0, applied = 0, unapplied = 0, received = 0;
      bool counted = false;
    };
    std::map<std::string, Sums> sums;
    for (const char* m : kMethods) {
      auto v = in->Text(std::string("received-") + m);
      if (!v.ok()) return RespondError(respond, v.status());
      if (*v) {
        auto amount = payments::ParseVnd(**v);
        if (!amount) {
          return RespondError(respond, Status(ErrorCode::kInvalidArgument,
                                              std::string("received-") + m + " is not an amount"));
        }
        sums[m].received = *amount;
        sums[m].counted = true;
      }
    }
    std::optional<std::vector<payments::StatementLine>> statement;
    auto statement_text = in->Text("statement");
    if (!statement_text.ok()) return RespondError(respond, statement_text.status());
    if (*statement_text) {
      auto lines = payments::ParseBankStatement(**statement_text);
      if (!lines.ok()) return RespondError(respond, lines.status());
      statement = std::move(lines).value();
    }
    // The facility's day, in its own time zone.
    int64_t day_start = 0;
    std::string off = UtcOffsetText(ctx_->options.utc_offset_minutes);
    auto start = hb::ParseFhirDateTime(*date + "T00:00:00" + off);
    if (start) day_start = *start;
    std::string next = LocalDate(day_start + 86400LL * 1000000, ctx_->options.utc_offset_minutes);
    auto txn = call.store->BeginRead();
    auto found = reception::SearchResources(*txn, "PaymentReconciliation",
                                            {{"created", "ge" + *date + "T00:00:00" + off},
                                             {"created", "lt" + next + "T00:00:00" + off}},
                                            100000);
    if (!found.ok()) return RespondError(respond, found.status());
    ParametersOut out;
    out.Date("date", *date);
    std::vector<payments::ReconciliationFacts> items;
    std::vector<payments::LedgerTransfer> transfers;  // the bank's notifications of the day
    for (const auto& v : *found) {
      if (!all_facilities) {
        // Another facility's payments stay out; those written by no facility (the bank's
        // notifications through an operator token) are the installation's account.
        auto facts = txn->Facts(v.type, v.id);
        if (!facts.ok()) return RespondError(respond, facts.status());
        if (!facts->owner.empty() && facts->owner != who.facility_org) continue;
      }
      auto f = payments::ReadReconciliation(v.json);
      if (!f.ok()) continue;
      if (f->method == "vietqr" && f->amount > 0) transfers.push_back({f->transaction, f->amount});
      Sums& s = sums[f->method];
      s.expected += f->amount;
      s.applied += f->applied;
      s.unapplied += f->amount - f->applied;
      if (f->outcome != "complete") items.push_back(*f);
    }
    std::optional<payments::StatementCheck> check;
    if (statement) {
      check = payments::CheckStatement(*statement, transfers);
      Sums& q = sums["vietqr"];
      if (!q.counted) q.received = check->total, q.counted = true;
    }
    bool balanced = !check || check->Clean();
    for (auto& [method, s] : sums) {
      if (!s.counted) s.received = s.expected;
      balanced = balanced && s.received == s.expected;
    }
    out.Bool("balanced", balanced);
    for (const auto& [method, s] : sums) {
      out.BeginPart("method");
      out.Code("code", method);
      out.Decimal("expected", std::to_string(s.expected));
      out.Decimal("received", std::to_string(s.received));
      out.Bool("counted", s.counted);
      out.Decimal("difference", std::to_string(s.received - s.expected));
      out.Decimal("applied", std::to_string(s.applied));
      out.Decimal("unapplied", std::to_string(s.unapplied));
      out.EndPart();
    }
    if (check) {
      out.BeginPart("statement");
      out.Decimal("total", std::to_string(check->total));
      out.Decimal("matched", std::to_string(check->matched));
      for (const auto& l : check->not_recorded) {
        out.String("not-recorded", l.transaction + " " + std::to_string(l.amount));
      }
      for (const auto& l : check->not_on_statement) {
        out.String("not-on-statement", l.transaction + " " + std::to_string(l.amount));
      }
      for (const auto& l : check->amount_differs) {
        out.String("amount-differs", l.transaction + " " + std::to_string(l.amount));
      }
      out.EndPart();
    }
    for (const auto& f : items) {
      out.BeginPart("item");
      out.Reference("reconciliation", "PaymentReconciliation/" + f.id);
      out.Code("outcome", f.outcome);
      out.Code("method", f.method);
      out.Decimal("amount", std::to_string(f.amount));
      out.Decimal("unapplied", std::to_string(f.amount - f.applied));
      if (!f.invoice_id.empty()) out.Reference("invoice", "Invoice/" + f.invoice_id);
      out.String("disposition", f.disposition);
      out.EndPart();
    }
    RespondJson(call, respond, 200, out.Finish());
  }

 private:
  BillingContextPtr ctx_;
};

}  // namespace

void RegisterBillingOperations(rest::FhirService& service, BillingContextPtr ctx) {
  service.AddOperation(MakeInvoiceOperation(ctx));
  service.AddOperation(MakeVietQrOperation(ctx));
  service.AddOperation(MakePayOperation(ctx, false));
  service.AddOperation(MakePayOperation(ctx, true));
  service.AddOperation(MakeReceiptOperation(ctx));
  service.AddOperation(std::make_unique<DayReportOperation>(ctx));
  service.AddOperation(MakeAssignOperation(ctx));
  service.AddOperation(MakeCancelOperation(ctx));
}

}  // namespace hb::operations
