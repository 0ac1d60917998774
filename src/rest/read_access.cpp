#include "rest/read_access.h"

namespace hb::rest {

Status ReadAccess::Check(storage::ReadTxn& txn, const storage::ResourceVersion& v) {
  if (!access::IsPatientData(v.type)) return Status::Ok();
  std::string what = v.type + "/" + v.id;
  auto facts = txn.Facts(v.type, v.id);
  if (!facts.ok()) return facts.status();
  access::AccessNote note;
  Status st = policy_.CheckRecord(p_, v.type, access::Op::kRead, *facts, txn, &note);
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
