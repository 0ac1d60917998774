#include "operations/billing_pricing.h"

#include <set>

#include "claims/fhir_read.h"

namespace hb::operations {

namespace {

std::string Id(const fhir::JsonValue* resource) {
  return resource ? std::string(fhir::MemberString(*resource, "id")) : std::string();
}

payments::InvoiceLine LineOf(const claims::CostLine& l) {
  payments::InvoiceLine out;
  out.charge_item_id = Id(l.charge_item);
  out.code = l.item->local_code;
  out.display = l.item->name;
  out.quantity = l.quantity.ToString();
  out.unit_price = l.unit_price.ToString();
  out.gross = l.total_bv.ToString();
  out.insurance = l.fund.ToString();
  out.patient = (l.copay + l.patient + l.other).ToString();
  out.in_scope = l.item->scope != 2;
  return out;
}

}  // namespace

Status PriceInvoice(const claims::Episode& episode, const claims::Catalogs& catalogs, int today,
                    payments::InvoiceDraft& d) {
  claims::ClaimErrors problems;
  claims::CostingOptions options;
  options.price_unlisted = true;
  options.default_day = today;
  const claims::Costing c = claims::ComputeCosting(episode, catalogs, &problems, options);
  // Unlisted items priced by their priceOverride stay on the invoice; any other problem
  // (an unlisted item without a price, a bad quantity) stops it.
  std::set<std::string> priced;
  for (const auto* lines : {&c.drugs, &c.services}) {
    for (const auto& l : *lines) priced.insert("ChargeItem/" + Id(l.charge_item));
  }
  for (const claims::ClaimError& p : problems) {
    if (p.rule == "price-list" && priced.count(p.field)) continue;
    std::string why =
        p.rule == "price-list"
            ? "code '" + p.value + "' is not in the facility price list and has no priceOverride"
            : p.message_en;
    return Status(ErrorCode::kUnprocessable, p.field + ": " + why + " (" + p.message_vi + ")");
  }
  d.lines.clear();
  for (const auto* lines : {&c.drugs, &c.services}) {
    for (const auto& l : *lines) d.lines.push_back(LineOf(l));
  }
  const claims::Decimal patient = c.t_bntt + c.t_bncct + c.t_nguonkhac;
  d.gross = c.t_tongchi_bv.ToString();
  d.insurance = c.t_bhtt.ToString();
  d.patient = patient.ToString();
  d.patient_due = patient.Round(0).ToInteger().value_or(0);
  d.coverage_id.clear();
  d.coverage_display.clear();
  if (c.benefit.insured && episode.coverage) {
    d.coverage_id = std::string(fhir::MemberString(*episode.coverage, "id"));
    d.coverage_display = "BHYT " + c.benefit.card + ", mức hưởng " +
                         std::to_string(c.benefit.muc_huong) + "% (" + c.benefit.doi_tuong + ")";
  }
  return Status::Ok();
}

Status AddToDayInvoice(const payments::InvoiceDraft& part, payments::InvoiceDraft& day) {
  auto sum = [](const std::string& a, const std::string& b, std::string& out) -> Status {
    auto x = claims::Decimal::Parse(a);
    auto y = claims::Decimal::Parse(b);
    if (!x || !y) {
      return Status(ErrorCode::kInternal, "invoice amounts '" + a + "' and '" + b +
                                              "' are not decimals");
    }
    out = (*x + *y).ToString();
    return Status::Ok();
  };
  HB_RETURN_IF_ERROR(sum(day.gross, part.gross, day.gross));
  HB_RETURN_IF_ERROR(sum(day.insurance, part.insurance, day.insurance));
  HB_RETURN_IF_ERROR(sum(day.patient, part.patient, day.patient));
  day.patient_due = claims::Decimal::Parse(day.patient)->Round(0).ToInteger().value_or(0);
  day.lines.insert(day.lines.end(), part.lines.begin(), part.lines.end());
  if (day.coverage_id.empty() && !part.coverage_id.empty()) {
    day.coverage_id = part.coverage_id;
    day.coverage_display = part.coverage_display;
  }
  return Status::Ok();
}

}  // namespace hb::operations
