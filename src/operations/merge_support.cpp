#include "operations/merge_support.h"

#include "rest/read_access.h"

namespace hb::operations {

Result<MergePair> ReadMergePair(const ParametersIn& in) {
  MergePair p;
  for (auto [name, out] : {std::pair<const char*, std::string*>{"source-patient", &p.source_id},
                           {"target-patient", &p.target_id}}) {
    HB_ASSIGN_OR_RETURN(auto ref, in.Reference(name));
    if (!ref) {
      return Status(ErrorCode::kInvalidArgument,
                    "parameter '" + std::string(name) + "' (valueReference) is required",
                    "Parameters.parameter");
    }
    HB_ASSIGN_OR_RETURN(*out, IdFromReference(*ref, "Patient", name));
  }
  if (p.source_id == p.target_id) {
    return Status(ErrorCode::kInvalidArgument, "source-patient and target-patient are the same");
  }
  return p;
}

Result<std::vector<storage::ResourceVersion>> ReferencingResources(storage::ReadTxn& txn,
                                                                   const MergePair& pair,
                                                                   std::string_view id) {
  std::vector<storage::ResourceVersion> out;
  HB_ASSIGN_OR_RETURN(auto types, txn.Types());
  const std::vector<storage::ResourceKey> from{{"Patient", std::string(id)}};
  for (const auto& type : types) {
    search::IncludeSpec spec;
    spec.source_type = type;
    spec.param = "*";
    spec.reverse = true;
    HB_ASSIGN_OR_RETURN(auto found, txn.Include(spec, from, kMaxMergeResources + 1));
    for (auto& v : found) {
      if (v.type == "Patient" && (v.id == pair.source_id || v.id == pair.target_id)) continue;
      out.push_back(std::move(v));
    }
    if (static_cast<int>(out.size()) > kMaxMergeResources) {
      return Status(ErrorCode::kUnprocessable,
                    "Patient/" + std::string(id) + " is referenced by more than " +
                        std::to_string(kMaxMergeResources) + " resources: too many for one merge");
    }
  }
  return out;
}

Status CheckPatients(const rest::OperationCall& call, storage::ReadTxn& txn,
                     const MergePair& pair) {
  rest::ReadAccess access(*call.principal, *call.policy, call.sink, "merge");
  Status st;
  for (const std::string* id : {&pair.source_id, &pair.target_id}) {
    auto v = txn.Read("Patient", *id);
    if (!v.ok()) {
      st = Status(ErrorCode::kNotFound, "Patient/" + *id + " does not exist");
      break;
    }
    if (v->deleted) {
      st = Status(ErrorCode::kDeleted, "Patient/" + *id + " was deleted");
      break;
    }
    st = access.Check(txn, *v);
    if (!st.ok()) break;
  }
  access.Commit();
  return st;
}

void AuditChange(rest::Actor& actor, std::string_view interaction, std::string_view what,
                 std::string_view patient) {
  actor.audit.push_back(access::MakeAudit(*actor.principal, "U", interaction, 0, patient, what));
}

reception::ProvenanceAgent WhoOf(const access::Principal& p) {
  reception::ProvenanceAgent w;
  if (!p.practitioner.empty()) {
    w.reference = "Practitioner/" + p.practitioner;
  } else if (!p.facility_org.empty()) {
    w.reference = "Organization/" + p.facility_org;
  }
  w.display = p.subject.empty() ? std::string("operator") : p.subject;
  return w;
}

}  // namespace hb::operations
