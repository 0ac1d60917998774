#include "operations/coverage_record.h"

#include "fhir/search_escape.h"
#include "fhir/vn_systems.h"
#include "operations/op_support.h"
#include "reception/candidate_search.h"

namespace hb::operations {

Result<std::string> PayorId(storage::ReadTxn& txn) {
  HB_ASSIGN_OR_RETURN(
      auto found,
      reception::SearchResources(
          txn, "Organization",
          {{"type", "http://terminology.hl7.org/CodeSystem/organization-type|ins"}}, 1));
  return found.empty() ? std::string() : found[0].id;
}

Result<RecordedCoverage> FindCoverage(storage::ReadTxn& txn, const reception::InsuranceCard& card,
                                      const reception::InsuranceCheck& check,
                                      std::string_view patient_id) {
  HB_ASSIGN_OR_RETURN(
      auto found,
      reception::SearchResources(txn, "Coverage",
                                 {{"identifier",
                                   fhir::EscapeToken(fhir::vn::Systems().bhyt_card, card.card_number)},
                                  {"beneficiary", "Patient/" + std::string(patient_id)}},
                                 50));
  RecordedCoverage r;
  for (auto& v : found) {
    if (reception::SameCoverage(v.json, card, check)) {
      r.json = std::move(v.json);
      r.id = v.id;
      r.stored = true;
      break;
    }
  }
  return r;
}

Result<RecordedCoverage> RecordCoverage(storage::WriteTxn& txn, rest::Actor* actor,
                                        const reception::InsuranceCard& card,
                                        const reception::InsuranceCheck& check,
                                        std::string_view patient_id,
                                        std::string_view patient_display, std::string assigned_id) {
  HB_ASSIGN_OR_RETURN(RecordedCoverage r, FindCoverage(txn, card, check, patient_id));
  if (r.stored) return r;
  HB_ASSIGN_OR_RETURN(std::string payor, PayorId(txn));
  r.json = reception::CoverageJson(card, check, patient_id, patient_display, payor);
  const size_t audit_mark = actor ? actor->audit.size() : 0;
  storage::ResourceVersion stored;
  Status st = txn.Nested([&]() -> Status {
    HB_ASSIGN_OR_RETURN(stored, CreateResource(txn, actor, r.json, assigned_id));
    return Status::Ok();
  });
  if (st.code() == ErrorCode::kForbidden) {
    if (actor) actor->audit.resize(audit_mark);
    return r;  // not stored: the caller records it once the visit starts
  }
  HB_RETURN_IF_ERROR(st);
  r.json = std::move(stored.json);
  r.id = stored.id;
  r.stored = true;
  r.created = true;
  return r;
}

}  // namespace hb::operations
