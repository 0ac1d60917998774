#include "reception/card_history.h"

#include "fhir/json.h"
#include "reception/json_out.h"

namespace hb::reception {

namespace {

using fhir::JsonValue;
using fhir::MemberString;

std::string_view Text(const JsonValue& obj, std::string_view name) {
  return MemberString(obj, name);
}

std::optional<identity::CardDate> SlashedDate(std::string_view text) {
  if (text.empty()) return std::nullopt;
  auto d = identity::ParseSlashedDate(text, "card-history date", false);
  if (!d.ok()) return std::nullopt;
  return *d;
}

}  // namespace

CardVerdict VerdictOf(std::string_view code) {
  for (std::string_view ok : {"000", "001", "002", "004"}) {
    if (code == ok) return CardVerdict::kValid;
  }
  for (std::string_view bad : {"003", "010", "050", "110", "120"}) {
    if (code == bad) return CardVerdict::kInvalid;
  }
  for (std::string_view differs : {"051", "052", "053", "060", "061", "070"}) {
    if (code == differs) return CardVerdict::kDetailsDiffer;
  }
  return CardVerdict::kServiceError;
}

std::string CardHistoryRequestJson(const CardHistoryQuery& q) {
  JsonOut j;
  j.BeginObject();
  j.Put(kFields.card, q.card_number);
  j.Put(kFields.name, q.name);
  j.Put(kFields.birth, q.birth);
  j.EndObject();
  return j.Take();
}

Result<CardHistoryResult> ParseCardHistoryResponse(std::string_view json) {
  auto doc = fhir::ParseJson(json);
  if (!doc.ok() || !doc->IsObject()) {
    return Status(ErrorCode::kUnavailable,
                  "the card-history service answered something that is "
                  "not a JSON object");
  }
  CardHistoryResult r;
  r.code = std::string(Text(*doc, kFields.code));
  r.message = std::string(Text(*doc, kFields.message));
  r.verdict = VerdictOf(r.code);
  r.card_number = std::string(Text(*doc, kFields.card));
  r.valid_from = SlashedDate(Text(*doc, kFields.valid_from));
  r.valid_to = SlashedDate(Text(*doc, kFields.valid_to));
  r.registered_facility = std::string(Text(*doc, kFields.facility));
  std::string_view new_card = Text(*doc, kFields.new_card);
  if (!new_card.empty()) {
    // A reissued card: the new one is what covers visits from now on.
    r.card_number = std::string(new_card);
    r.valid_from = SlashedDate(Text(*doc, kFields.new_valid_from));
    r.valid_to = SlashedDate(Text(*doc, kFields.new_valid_to));
    if (r.code == "003") r.verdict = CardVerdict::kValid;
  }
  if (const JsonValue* visits = fhir::Member(*doc, kFields.visits); visits && visits->IsArray()) {
    for (const auto& v : visits->GetArray()) {
      if (!v.IsObject()) continue;
      r.visits.push_back(
          {std::string(Text(v, kFields.visit_facility)), std::string(Text(v, kFields.visit_in)),
           std::string(Text(v, kFields.visit_out)), std::string(Text(v, kFields.visit_diagnosis))});
    }
  }
  return r;
}

InsuranceCheck CheckWithHistory(InsuranceCard* card, const CardHistoryResult& h,
                                const identity::CardDate& visit, std::string_view facility) {
  if (h.verdict == CardVerdict::kValid || h.verdict == CardVerdict::kDetailsDiffer) {
    if (!h.card_number.empty() && h.card_number != card->card_number) {
      auto parts = identity::ParseBhytCardNumber(h.card_number, "card-history card number");
      if (parts.ok()) {
        card->card_number = h.card_number;
        card->parts = *parts;
      }
    }
    if (h.valid_from) card->valid_from = h.valid_from;
    if (h.valid_to) card->valid_to = h.valid_to;
    if (!h.registered_facility.empty()) card->registered_facility = h.registered_facility;
  }
  InsuranceCheck c = CheckInsurance(*card, visit, facility);
  c.source = "card-history";
  std::string said = "card-history " + h.code + (h.message.empty() ? "" : ": " + h.message);
  switch (h.verdict) {
    case CardVerdict::kValid:
      break;
    case CardVerdict::kInvalid:
      c.problems.push_back(said);
      c.valid = false;
      break;
    case CardVerdict::kDetailsDiffer:
      c.warnings.push_back(said);
      break;
    case CardVerdict::kServiceError:
      c.source = "card";
      c.warnings.push_back(said + " (checked from the card alone)");
      break;
  }
  if (!h.visits.empty()) {
    const CardHistoryVisit& last = h.visits.front();
    c.warnings.push_back("card history: " + std::to_string(h.visits.size()) +
                         " earlier visit(s); the latest at " + last.facility + " from " +
                         last.admitted);
  }
  return c;
}

}  // namespace hb::reception
