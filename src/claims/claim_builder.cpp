#include "claims/claim_builder.h"

#include "claims/episode_facts.h"
#include "claims/fhir_read.h"
#include "claims/table_mappers.h"

namespace hb::claims {

std::string MakeMaLk(std::string_view facility_code, std::string_view encounter_id) {
  std::string k(facility_code);
  k += '_';
  k += encounter_id;
  return k;
}

namespace {

Status RequireInsured(const Episode& e, const Costing& c) {
  if (c.benefit.insured) return Status::Ok();
  return Status(ErrorCode::kUnprocessable,
                "Encounter/" + std::string(e.encounter_id()) +
                    ": the patient has no valid health-insurance card (Coverage) for this "
                    "episode, so there is nothing to claim / không có thẻ BHYT hợp lệ");
}

}  // namespace

Result<ClaimRecord> BuildClaim(const Episode& e, const Catalogs& cat, SchemaVersion version,
                               ClaimErrors* problems) {
  if (Str(e.encounter, {"period", "end"}).empty()) {
    return Status(ErrorCode::kUnprocessable,
                  "Encounter/" + std::string(e.encounter_id()) +
                      " has not ended (no period.end): claims are made at discharge / "
                      "chưa kết thúc đợt điều trị");
  }
  const Costing costing = ComputeCosting(e, cat, problems);
  HB_RETURN_IF_ERROR(RequireInsured(e, costing));
  const EpisodeFacts facts = ComputeFacts(e, costing);
  ClaimRecord r;
  r.version = version;
  r.facility = e.facility.code;
  r.ma_lk = MakeMaLk(e.facility.code, e.encounter_id());
  const MapInput in{e, costing, facts, r.ma_lk};
  // Order matters twice: the tables go in LOAIHOSO order, and XML8 summarises XML4 and XML5.
  MapXml1Summary(in, r);
  MapXml2Drugs(in, r);
  MapXml3Services(in, r);
  MapXml4Results(in, r);
  MapXml5Progress(in, r);
  MapXml7Discharge(in, r);
  MapXml8RecordSummary(in, r);
  MapXml13Referral(in, r);
  MapXml14FollowUp(in, r);
  return r;
}

Result<ClaimRecord> BuildCheckIn(const Episode& e, const Catalogs& cat, SchemaVersion version,
                                 ClaimErrors* problems) {
  const Costing costing = ComputeCosting(e, cat, problems);
  HB_RETURN_IF_ERROR(RequireInsured(e, costing));
  const EpisodeFacts facts = ComputeFacts(e, costing);
  ClaimRecord r;
  r.version = version;
  r.facility = e.facility.code;
  r.ma_lk = MakeMaLk(e.facility.code, e.encounter_id());
  MapXml0CheckIn(MapInput{e, costing, facts, r.ma_lk}, r);
  return r;
}

}  // namespace hb::claims
