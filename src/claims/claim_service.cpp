#include "claims/claim_service.h"

#include <chrono>

#include "claims/claim_builder.h"
#include "claims/envelope.h"
#include "claims/episode_loader.h"
#include "claims/fhir_read.h"
#include "claims/validator.h"

namespace hb::claims {

std::string TodayVn() {
  const auto now = std::chrono::duration_cast<std::chrono::minutes>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return TableDateTimeFromMinutes(now).substr(0, 8);
}

ClaimService::ClaimService(PriceList prices, Icd10 icd, std::unique_ptr<Signer> signer)
    : prices_(std::move(prices)), icd_(std::move(icd)), signer_(std::move(signer)) {
  catalogs_.codes = &CodeLists::Embedded();
  catalogs_.prices = &prices_;
  catalogs_.icd = &icd_;
}

Result<std::unique_ptr<ClaimService>> ClaimService::Open(const ClaimServiceOptions& o) {
  HB_ASSIGN_OR_RETURN(PriceList prices, PriceList::LoadDir(o.price_list_dir));
  HB_ASSIGN_OR_RETURN(Icd10 icd, Icd10::Load(o.icd10_csv));
  HB_ASSIGN_OR_RETURN(std::unique_ptr<Signer> signer, Signer::Open(o.signer));
  return std::make_unique<ClaimService>(std::move(prices), std::move(icd), std::move(signer));
}

Result<ClaimFile> ClaimService::Make(storage::ReadTxn& txn, std::string_view encounter_id,
                                     SchemaVersion version, std::string_view ngaylap) const {
  HB_ASSIGN_OR_RETURN(Episode e, LoadEpisode(txn, encounter_id));
  ClaimErrors problems;
  HB_ASSIGN_OR_RETURN(ClaimRecord r, BuildClaim(e, catalogs_, version, &problems));
  return Seal(r, std::move(problems), version, ngaylap.empty() ? TodayVn() : std::string(ngaylap));
}

Result<ClaimFile> ClaimService::Seal(const ClaimRecord& r, ClaimErrors problems,
                                     SchemaVersion version, const std::string& day) const {
  ClaimFile out;
  out.errors = std::move(problems);
  out.ma_lk = r.ma_lk;
  out.facility = r.facility;
  std::string xml = EnvelopeXml({&r}, r.facility, day);
  // Validate the bytes that will be sent, not the tables they were made from.
  FileCheck check = ValidateFile(xml, catalogs_, &version);
  for (ClaimError& err : check.errors) out.errors.push_back(std::move(err));
  if (!out.errors.empty()) return out;
  HB_ASSIGN_OR_RETURN(out.xml, signer_->Sign(xml));
  return out;
}

Result<ClaimFile> ClaimService::MakeCheckIn(storage::ReadTxn& txn, std::string_view encounter_id,
                                            SchemaVersion version) const {
  HB_ASSIGN_OR_RETURN(Episode e, LoadEpisode(txn, encounter_id));
  ClaimErrors pricing;  // charges are not the check-in's business (it names the first one)
  HB_ASSIGN_OR_RETURN(ClaimRecord r, BuildCheckIn(e, catalogs_, version, &pricing));
  return Seal(r, {}, version, TodayVn());
}

Result<ClaimPreview> ClaimService::Preview(storage::ReadTxn& txn, std::string_view encounter_id,
                                           SchemaVersion version) const {
  HB_ASSIGN_OR_RETURN(Episode e, LoadEpisode(txn, encounter_id));
  ClaimPreview out;
  HB_ASSIGN_OR_RETURN(out.record, BuildClaim(e, catalogs_, version, &out.errors));
  for (ClaimError& err : ValidateRecord(out.record, catalogs_))
    out.errors.push_back(std::move(err));
  return out;
}

}  // namespace hb::claims
