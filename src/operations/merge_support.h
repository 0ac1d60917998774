// What $merge and $unmerge share: the two patients of the request, the resources that
// reference a patient, and the audit records of the changes they write.
//
// Re-pointed records are written without the caller's per-record checks (a merge must move
// every record of the duplicate, whichever facility wrote it; who may merge is checked
// once, by CheckDataSteward and the read check on both patients), so each change is
// audited here explicitly: one record per resource and patient, interaction "merge" or
// "unmerge", in the same transaction.
#pragma once

#include <string>
#include <vector>

#include "operations/op_support.h"
#include "reception/merge_record.h"

namespace hb::operations {

// A merge references at most this many resources (beyond: 422, merge in a batch job).
inline constexpr int kMaxMergeResources = 5000;

struct MergePair {
  std::string source_id, target_id;
};

// `source-patient` and `target-patient` (valueReference), distinct.
Result<MergePair> ReadMergePair(const ParametersIn& in);

// The current resources (other than the two patients) that reference Patient/<id>
// through any reference search parameter, over every type the store holds.
Result<std::vector<storage::ResourceVersion>> ReferencingResources(storage::ReadTxn& txn,
                                                                   const MergePair& pair,
                                                                   std::string_view id);

// Reads both patients (current, not deleted) and checks the caller may read them.
Status CheckPatients(const rest::OperationCall& call, storage::ReadTxn& txn, const MergePair& pair);

// What $merge writes once its checks passed, inside `txn`: the source retired and linked,
// the target linked, every referencing resource re-pointed, the Provenance and the audit
// records. For callers that checked their own right to merge (the HL7 v2 ADT^A40 feed).
// kConflict when either patient was already merged.
Status MergePatientRecords(storage::WriteTxn& txn, rest::Actor& actor, const MergePair& pair,
                           reception::MergeRecord* record);

// Audit record of `interaction` (merge / unmerge) changing `what` for `patient`.
void AuditChange(rest::Actor& actor, std::string_view interaction, std::string_view what,
                 std::string_view patient);

// Who did it, for the Provenance.
reception::ProvenanceAgent WhoOf(const access::Principal& p);

}  // namespace hb::operations
