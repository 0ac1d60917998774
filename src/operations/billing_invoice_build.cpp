// Building and refreshing invoices (billing_support.h BuildInvoice): one per encounter, or
// one per patient and facility day (payments.invoice_per = "day", or $invoice's `per`).
// A cancelled invoice (Invoice/$cancel) bills nothing: its visits are billed again on a new
// invoice, their own or their day's.
// Every encounter is priced as its own claim (billing_pricing.h), so the day's invoice is the
// exact sum of what each visit's claim says; its payment reference, payments and deposits
// stay with it when a later visit of the day joins it.
#include <algorithm>

#include "claims/episode_loader.h"
#include "common/clock.h"
#include "fhir/search_escape.h"
#include "operations/billing_pricing.h"
#include "operations/billing_support.h"
#include "operations/op_support.h"
#include "payments/payment_security.h"
#include "reception/candidate_search.h"

namespace hb::operations {

namespace {

// YYYY-MM-DD at the facility of the encounter's start; `fallback` without one.
std::string StartDay(const fhir::JsonValue& encounter, const BillingOptions& o,
                     const std::string& fallback) {
  const fhir::JsonValue* period = fhir::Member(encounter, "period");
  if (!period) return fallback;
  auto start = ParseFhirDateTime(fhir::MemberString(*period, "start"));
  return start ? LocalDate(*start, o.utc_offset_minutes) : fallback;
}

bool Voided(const fhir::JsonValue& encounter) {
  std::string_view s = fhir::MemberString(encounter, "status");
  return s == "cancelled" || s == "entered-in-error";
}

int DayNumber(const std::string& date) {
  return std::stoi(date.substr(0, 4) + date.substr(5, 2) + date.substr(8));
}

// Creates the invoice, or replaces `existing` keeping its id, reference and what was paid.
Result<BuiltInvoice> Store(storage::WriteTxn& txn, rest::Actor* actor, payments::InvoiceDraft& d,
                           const std::optional<storage::ResourceVersion>& existing) {
  BuiltInvoice out;
  if (!existing) {
    d.reference = payments::NewPaymentReference();
    HB_ASSIGN_OR_RETURN(out.version, CreateResource(txn, actor, payments::InvoiceJson(d)));
    out.created = true;
    return out;
  }
  HB_ASSIGN_OR_RETURN(auto state, payments::ReadInvoice(existing->json));
  d.id = state.id;
  d.reference = state.reference;
  d.paid = state.paid;  // deposits and earlier payments carry over to the settlement
  HB_ASSIGN_OR_RETURN(
      out.version, UpdateResource(txn, actor, payments::InvoiceJson(d), d.id, existing->version));
  return out;
}

// The day's invoice of `patient_id`: `first` (already loaded), the patient's other
// outpatient encounters starting that day and billed on no other invoice, and those the
// invoice already bills.
Result<BuiltInvoice> BuildDay(storage::WriteTxn& txn, rest::Actor* actor, const BillingOptions& o,
                              const claims::Catalogs& catalogs, claims::Episode first,
                              const std::string& day,
                              const std::optional<storage::ResourceVersion>& existing) {
  const std::string patient_id(fhir::MemberString(first.patient, "id"));
  std::vector<std::string> ids;  // what it billed, then the day's others by start, then `first`
  if (existing) {
    HB_ASSIGN_OR_RETURN(auto state, payments::ReadInvoice(existing->json));
    for (const auto& e : state.encounter_ids) ids.push_back(e);
  }
  const std::string off = UtcOffsetText(o.utc_offset_minutes);
  auto day_start = ParseFhirDateTime(day + "T00:00:00" + off);
  const std::string next =
      LocalDate(day_start.value_or(0) + 86400LL * 1000000, o.utc_offset_minutes);
  HB_ASSIGN_OR_RETURN(auto same_day,
                      reception::SearchResources(txn, "Encounter",
                                                 {{"subject", "Patient/" + patient_id},
                                                  {"date", "ge" + day + "T00:00:00" + off},
                                                  {"date", "lt" + next + "T00:00:00" + off}},
                                                 500));
  // Oldest first, so the invoice's first encounter and its line order do not move.
  std::vector<std::pair<int64_t, std::string>> by_start;  // (start, id)
  for (const auto& v : same_day) {
    auto doc = fhir::ParseJson(v.json);
    if (!doc.ok()) continue;
    const fhir::JsonValue* period = fhir::Member(*doc, "period");
    auto start = ParseFhirDateTime(period ? fhir::MemberString(*period, "start") : "");
    by_start.emplace_back(start.value_or(0), v.id);
  }
  std::sort(by_start.begin(), by_start.end());
  for (const auto& [start, id] : by_start) ids.push_back(id);
  ids.emplace_back(first.encounter_id());

  payments::InvoiceDraft d;
  std::vector<std::string> billed;
  const std::string today = LocalDate(txn.Now(), o.utc_offset_minutes);
  for (const std::string& id : ids) {
    if (std::find(billed.begin(), billed.end(), id) != billed.end()) continue;
    claims::Episode loaded;
    const bool is_first = id == first.encounter_id();
    if (!is_first) {
      // Billed on another invoice (its own, made before): it stays there. Checked first: it
      // needs only the id, loading the episode reads and prices all its records.
      HB_ASSIGN_OR_RETURN(auto covering,
                          LiveInvoiceBy(txn, payments::Uris().invoice_encounter, id));
      if (covering && (!existing || covering->id != existing->id)) continue;
      auto e = claims::LoadEpisode(txn, id, o.facility_code);
      if (!e.ok()) {
        if (e.status().code() == ErrorCode::kNotFound) continue;  // deleted since
        return e.status();
      }
      loaded = std::move(e).value();
      if (Voided(loaded.encounter) || claims::IsInpatient(loaded)) continue;
      if (StartDay(loaded.encounter, o, "") != day) continue;
    }
    const claims::Episode& episode = is_first ? first : loaded;
    payments::InvoiceDraft part;
    HB_RETURN_IF_ERROR(PriceInvoice(episode, catalogs, DayNumber(today), part));
    HB_RETURN_IF_ERROR(AddToDayInvoice(part, d));
    billed.push_back(id);
  }
  d.encounter_id = billed.front();
  d.more_encounters.assign(billed.begin() + 1, billed.end());
  d.day = day;
  d.patient_ref = "Patient/" + patient_id;
  d.facility_code = first.facility.code;
  d.facility_name = o.facility_name;
  d.date = FormatInstant(txn.Now());
  return Store(txn, actor, d, existing);
}

}  // namespace

Result<std::optional<storage::ResourceVersion>> LiveInvoiceBy(storage::ReadTxn& txn,
                                                              const std::string& system,
                                                              std::string_view value) {
  // Every status but cancelled (and entered-in-error, which billing never writes).
  HB_ASSIGN_OR_RETURN(auto found, reception::SearchResources(txn, "Invoice",
                                                             {{"identifier", fhir::EscapeToken(system, value)},
                                                              {"status", "draft,issued,balanced"}},
                                                             1));
  if (found.empty()) return std::optional<storage::ResourceVersion>();
  return std::optional<storage::ResourceVersion>(std::move(found[0]));
}

Result<BuiltInvoice> BuildInvoice(storage::WriteTxn& txn, rest::Actor* actor,
                                  const BillingOptions& o, const claims::Catalogs& catalogs,
                                  const std::string& encounter_id, const std::string& per) {
  // The same episode the claim is made of (claims/episode_loader.h).
  HB_ASSIGN_OR_RETURN(claims::Episode episode,
                      claims::LoadEpisode(txn, encounter_id, o.facility_code));
  const std::string today = LocalDate(txn.Now(), o.utc_offset_minutes);
  HB_ASSIGN_OR_RETURN(auto existing,
                      LiveInvoiceBy(txn, payments::Uris().invoice_encounter, encounter_id));
  std::optional<payments::InvoiceState> state;
  if (existing) {
    HB_ASSIGN_OR_RETURN(state, payments::ReadInvoice(existing->json));
  }
  if (state && !state->day.empty()) {  // billed on its day's invoice: refresh that one
    return BuildDay(txn, actor, o, catalogs, std::move(episode), state->day, existing);
  }
  if (!state && (per.empty() ? o.invoice_per : per) == "day") {
    if (!claims::IsInpatient(episode)) {
      const std::string day = StartDay(episode.encounter, o, today);
      HB_ASSIGN_OR_RETURN(
          auto day_invoice,
          LiveInvoiceBy(txn, payments::Uris().invoice_day,
                        std::string(fhir::MemberString(episode.patient, "id")) + "/" + day));
      return BuildDay(txn, actor, o, catalogs, std::move(episode), day, day_invoice);
    }
    if (per == "day") {
      return Status(ErrorCode::kUnprocessable,
                    "Encounter/" + encounter_id +
                        " is an inpatient stay: it is invoiced on its own (deposits, settlement "
                        "at discharge), not per day");
    }
  }
  payments::InvoiceDraft d;
  HB_RETURN_IF_ERROR(PriceInvoice(episode, catalogs, DayNumber(today), d));
  d.encounter_id = encounter_id;
  d.patient_ref = "Patient/" + std::string(fhir::MemberString(episode.patient, "id"));
  d.facility_code = episode.facility.code;
  d.facility_name = o.facility_name;
  d.date = FormatInstant(txn.Now());
  return Store(txn, actor, d, existing);
}

}  // namespace hb::operations
