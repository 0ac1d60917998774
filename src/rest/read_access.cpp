#include "rest/read_access.h"

#include <algorithm>

#include "fhir/json.h"

namespace hb::rest {

namespace {

// The patient-data types of the resources `json` contains (its `contained`), each once,
// other than `own`.
std::vector<std::string> ContainedPatientDataTypes(std::string_view json, std::string_view own) {
  std::vector<std::string> out;
  if (json.find("\"contained\"") == std::string_view::npos) return out;  // the common case
  auto doc = fhir::ParseJson(json);
  if (!doc.ok()) return out;
  const fhir::JsonValue* contained = fhir::Member(*doc, "contained");
  if (contained == nullptr || !contained->IsArray()) return out;
  for (const auto& c : contained->GetArray()) {
    std::string_view type = fhir::MemberString(c, "resourceType");
    if (type.empty() || type == own || !access::IsPatientData(type)) continue;
    if (std::find(out.begin(), out.end(), type) == out.end()) out.emplace_back(type);
  }
  return out;
}

}  // namespace

Status ReadAccess::Check(storage::ReadTxn& txn, const storage::ResourceVersion& v) {
  if (!access::IsPatientData(v.type)) return Status::Ok();
  // A resource carries the resources it contains: the patients' Consents are also checked
  // for each of their types, so that a Consent withholding Observations withholds a report
  // that holds an Observation inline (read, search, `_contained` containers, includes alike).
  // Only the Consents: who may see the record at all is decided by its own type (a
  // receptionist still finds a Patient that holds a RelatedPerson inline).
  return CheckRecordAs(txn, v, {v.type}, v.type + "/" + v.id,
                       ContainedPatientDataTypes(v.json, v.type));
}

Status ReadAccess::CheckType(std::string_view type) {
  Status st = policy_.CheckInteraction(p_, type, access::Op::kRead);
  if (!st.ok() && refused_types_.insert(std::string(type)).second) Refused(type, st);
  return st;
}

Status ReadAccess::CheckContained(storage::ReadTxn& txn, const storage::ResourceVersion& container,
                                  std::string_view type, std::string_view contained_id) {
  if (!access::IsPatientData(container.type) && !access::IsPatientData(type)) {
    return Status::Ok();
  }
  std::vector<std::string_view> types = {container.type};
  if (type != container.type) types.push_back(type);
  return CheckRecordAs(txn, container, types,
                       container.type + "/" + container.id + "#" + std::string(contained_id));
}

Status ReadAccess::CheckRecordAs(storage::ReadTxn& txn, const storage::ResourceVersion& record,
                                 const std::vector<std::string_view>& types,
                                 const std::string& what,
                                 const std::vector<std::string>& consent_types) {
  auto facts = txn.Facts(record.type, record.id);
  if (!facts.ok()) return facts.status();
  access::AccessNote note;
  Status st = Status::Ok();
  for (std::string_view type : types) {
    st = policy_.CheckRecord(p_, type, access::Op::kRead, *facts, txn, &note);
    if (!st.ok()) break;
  }
  for (size_t i = 0; st.ok() && i < consent_types.size(); ++i) {
    st = policy_.CheckConsent(p_, consent_types[i], *facts, txn, &note);
  }
  int outcome = st.ok() ? 0 : 4;
  std::string reason = st.ok() ? std::string() : st.message();
  if (facts->patients.empty()) {
    records_.push_back(access::MakeAudit(p_, "R", interaction_, outcome, "", what, reason,
                                         note.break_glass));
  }
  for (const auto& patient : facts->patients) {
    records_.push_back(access::MakeAudit(p_, "R", interaction_, outcome, patient, what, reason,
                                         note.break_glass));
  }
  return st;
}

void ReadAccess::Refused(std::string_view what, const Status& why) {
  records_.push_back(access::MakeAudit(p_, "R", interaction_, 4, "", what, why.message()));
}

void ReadAccess::Commit() {
  if (!sink_) return;
  for (auto& r : records_) sink_->Add(std::move(r));
  records_.clear();
}

}  // namespace hb::rest
