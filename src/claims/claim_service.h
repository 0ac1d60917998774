// The whole path from an Encounter to a file the portal accepts, shared by the CLI, the
// $claim-xml operation and the outbox: load the episode (episode_loader.h), build the
// tables (claim_builder.h), write the envelope (envelope.h), validate what was written
// (validator.h) and sign it (signer.h). A claim that fails validation is never signed.
//
// Ownership: the service owns its catalogues and signer. Thread-safety: Make may run
// concurrently from any thread (each call uses the transaction it is given).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "claims/claim_error.h"
#include "claims/claim_record.h"
#include "claims/code_lists.h"
#include "claims/costing.h"
#include "claims/icd10.h"
#include "claims/price_list.h"
#include "claims/signer.h"
#include "claims/table_schema.h"
#include "storage/resource_store.h"

namespace hb::claims {

struct ClaimServiceOptions {
  std::string price_list_dir;
  std::string_view icd10_csv;  // resources/catalogs/icd10-vn-qd4469.csv
  SignerOptions signer;
};

struct ClaimFile {
  std::string ma_lk;
  std::string facility;
  std::string xml;     // signed; empty when `errors` is not
  ClaimErrors errors;  // why the episode cannot make a valid file
};

// A claim as tables, for people to read before it goes (the work list's preview): the
// record as built, and every problem the builder and the validator find in it.
struct ClaimPreview {
  ClaimRecord record;
  ClaimErrors errors;
};

class ClaimService {
 public:
  static Result<std::unique_ptr<ClaimService>> Open(const ClaimServiceOptions& options);
  // For tests and benchmarks: catalogues and signer supplied by the caller.
  ClaimService(PriceList prices, Icd10 icd, std::unique_ptr<Signer> signer);

  // kNotFound/kUnprocessable from loading and building (no encounter, not insured, not
  // ended); an invalid claim is a ClaimFile with errors. `ngaylap` is yyyyMMdd (empty:
  // today in Viet Nam).
  Result<ClaimFile> Make(storage::ReadTxn& txn, std::string_view encounter_id,
                         SchemaVersion version, std::string_view ngaylap = {}) const;

  // The check-in file (XML0 alone) of a visit that has begun: built, validated, signed.
  // kUnprocessable when the patient has no card to claim on.
  Result<ClaimFile> MakeCheckIn(storage::ReadTxn& txn, std::string_view encounter_id,
                                SchemaVersion version) const;
  // The tables without the envelope or the signature. Failure modes as Make.
  Result<ClaimPreview> Preview(storage::ReadTxn& txn, std::string_view encounter_id,
                               SchemaVersion version) const;

  const Catalogs& catalogs() const { return catalogs_; }
  const Signer& signer() const { return *signer_; }

 private:
  // The envelope of one record, validated from its bytes, signed when valid.
  Result<ClaimFile> Seal(const ClaimRecord& r, ClaimErrors problems, SchemaVersion version,
                         const std::string& day) const;

  PriceList prices_;
  Icd10 icd_;
  std::unique_ptr<Signer> signer_;
  Catalogs catalogs_;
};

// Today in Viet Nam, yyyyMMdd.
std::string TodayVn();

}  // namespace hb::claims
