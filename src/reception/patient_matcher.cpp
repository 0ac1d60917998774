#include "reception/patient_matcher.h"

#include <algorithm>
#include <unordered_map>

namespace hb::reception {

namespace {

int Rank(MatchGrade g) {
  switch (g) {
    case MatchGrade::kCertain:
      return 0;
    case MatchGrade::kProbable:
      return 1;
    case MatchGrade::kPossible:
      return 2;
    case MatchGrade::kCertainlyNot:
      return 3;
    case MatchGrade::kNone:
      return 4;
  }
  return 4;
}

bool Better(const PatientMatch& a, const PatientMatch& b) {
  if (Rank(a.score.grade) != Rank(b.score.grade)) {
    return Rank(a.score.grade) < Rank(b.score.grade);
  }
  if (a.score.score != b.score.score) return a.score.score > b.score.score;
  return a.patient.id < b.patient.id;
}

}  // namespace

Result<bool> FollowReplacement(storage::ReadTxn& txn, PatientMatch* m) {
  for (int hop = 0; hop < kMaxReplacementHops && !m->features.replaced_by.empty(); ++hop) {
    auto next = txn.Read("Patient", m->features.replaced_by);
    if (!next.ok()) {
      if (next.status().code() == ErrorCode::kNotFound) return false;
      return next.status();
    }
    if (next->deleted) return false;
    HB_ASSIGN_OR_RETURN(PatientFeatures f, FeaturesOfJson(next->json));
    if (m->via.empty()) m->via = m->patient.id;
    m->patient = std::move(next).value();
    m->features = std::move(f);
  }
  return true;
}

MatchGrade BestGrade(const std::vector<PatientMatch>& matches) {
  MatchGrade best = MatchGrade::kNone;
  for (const auto& m : matches) {
    if (Rank(m.score.grade) < Rank(best)) best = m.score.grade;
  }
  return best;
}

Result<std::vector<PatientMatch>> MatchPatients(storage::ReadTxn& txn, const PatientFeatures& q,
                                                const MatchOptions& o) {
  HB_ASSIGN_OR_RETURN(auto candidates, FindCandidates(txn, q, o.candidates));
  std::vector<PatientMatch> out;
  std::unordered_map<std::string, size_t> by_id;
  for (auto& c : candidates) {
    PatientMatch m;
    m.features = std::move(c.features);
    m.patient = std::move(c.version);
    m.score = ScoreMatch(q, m.features);
    if (m.score.grade == MatchGrade::kNone) continue;
    if (m.score.grade == MatchGrade::kCertainlyNot &&
        (!o.keep_certainly_not || m.score.weight < kWeights.possible_at)) {
      continue;
    }
    if (m.score.grade != MatchGrade::kCertainlyNot && !m.features.replaced_by.empty()) {
      HB_ASSIGN_OR_RETURN(bool live, FollowReplacement(txn, &m));
      if (!live) continue;
      // The replacement may agree better on its own (it carries the merged record's data).
      MatchScore own = ScoreMatch(q, m.features);
      if (Rank(own.grade) < Rank(m.score.grade) ||
          (own.grade == m.score.grade && own.score > m.score.score)) {
        m.score = std::move(own);
      }
    }
    if (!q.id.empty() && m.patient.id == q.id) continue;
    auto [it, fresh] = by_id.emplace(m.patient.id, out.size());
    if (fresh) {
      out.push_back(std::move(m));
    } else if (Better(m, out[it->second])) {
      out[it->second] = std::move(m);
    }
  }
  std::sort(out.begin(), out.end(), Better);
  if (o.only_certain) {
    out.erase(
        std::remove_if(out.begin(), out.end(),
                       [](const PatientMatch& m) { return m.score.grade != MatchGrade::kCertain; }),
        out.end());
  }
  if (static_cast<int>(out.size()) > o.count) out.resize(static_cast<size_t>(o.count));
  return out;
}

}  // namespace hb::reception
