// Patient matching: candidates from the search index (candidate_search.h), each scored
// (match_score.h), retired duplicates replaced by the record that replaced them, best
// first. The engine behind Patient/$match, $identify and $duplicates.
//
// Order: certain, probable, possible, certainly-not; within a grade by score, then id.
// A candidate retired by $merge (active false, link replaced-by) stands for its
// replacement: the replacement is returned with the better of the two scores, and `via`
// names the retired record. Candidates below `possible` are dropped; `certainly-not`
// ones (a different CCCD) are kept only when their demographics alone would reach
// `possible`, since a namesake born the same day is worth showing as "not this person".
//
// Contract: thread-compatible (one ReadTxn); fails only when the store fails.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "reception/candidate_search.h"
#include "reception/match_score.h"
#include "reception/patient_features.h"
#include "storage/resource_store.h"

namespace hb::reception {

struct MatchOptions {
  int count = 10;
  bool only_certain = false;
  bool keep_certainly_not = true;
  CandidateOptions candidates;
};

struct PatientMatch {
  storage::ResourceVersion patient;
  PatientFeatures features;
  MatchScore score;
  std::string via;  // id of the retired record that led to this one; empty when direct
};

Result<std::vector<PatientMatch>> MatchPatients(storage::ReadTxn& txn, const PatientFeatures& query,
                                                const MatchOptions& options = {});

// Follows `m`'s replaced-by links (a record merged away by $merge or ADT^A40, and merges
// of merges, at most kMaxReplacementHops) to the record that stands for it now: `m->patient` and
// `m->features` become that record's, `m->via` names the first retired one. False when the
// chain ends at a deleted or missing record; an error only when the store fails.
inline constexpr int kMaxReplacementHops = 8;
Result<bool> FollowReplacement(storage::ReadTxn& txn, PatientMatch* m);

// The best grade among `matches` (kNone when empty).
MatchGrade BestGrade(const std::vector<PatientMatch>& matches);

}  // namespace hb::reception
