#include "reception/match_score.h"

#include <algorithm>
#include <cstdlib>

namespace hb::reception {

namespace {

bool Intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  }
  return false;
}

// Both sides carry numbers of this kind and none is shared.
bool Contradicts(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return !a.empty() && !b.empty() && !Intersects(a, b);
}

// Which identifier, if any, both records share.
const char* SharedIdentifier(const PatientFeatures& q, const PatientFeatures& c) {
  if (Intersects(q.cccd, c.cccd)) return "cccd equal";
  if (Intersects(q.cmnd, c.cmnd)) return "cmnd equal";
  // CMNDs issued 2012-2016 had 12 digits, which the CCCD kept as its number.
  if (Intersects(q.cmnd, c.cccd) || Intersects(q.cccd, c.cmnd)) return "cmnd equals cccd";
  if (Intersects(q.bhyt, c.bhyt)) return "insurance card equal";
  if (Intersects(q.bhxh, c.bhxh)) return "social-insurance number equal";
  return nullptr;
}

bool SubsetOf(const std::vector<std::string>& small, const std::vector<std::string>& big) {
  for (const auto& s : small) {
    if (std::find(big.begin(), big.end(), s) == big.end()) return false;
  }
  return true;
}

double NameWeight(const PatientFeatures& q, const PatientFeatures& c, const MatchWeights& w,
                  std::vector<std::string>* why) {
  if (q.full_name.empty() || c.full_name.empty()) return 0;
  auto note = [&](const char* r, double v) {
    why->push_back(r);
    return v;
  };
  if (q.full_name == c.full_name) return note("name exact", w.name_exact);
  std::vector<std::string> qa = q.given, ca = c.given;
  qa.push_back(q.family);
  ca.push_back(c.family);
  std::sort(qa.begin(), qa.end());
  std::sort(ca.begin(), ca.end());
  if (qa == ca) return note("name reordered", w.name_reordered);
  const bool same_ends = q.family == c.family && !q.given.empty() && !c.given.empty() &&
                         q.given.back() == c.given.back();
  if (same_ends && (SubsetOf(q.given, c.given) || SubsetOf(c.given, q.given))) {
    return note("name without a middle name", w.name_missing_middle);
  }
  const size_t len = std::min(q.full_name.size(), c.full_name.size());
  const int allowed = len >= 10 ? 2 : 1;
  if (len >= 6 && EditDistance(q.full_name, c.full_name, allowed) <= allowed) {
    return note("name with a typing error", w.name_typo);
  }
  if (same_ends) return note("family and last given name", w.name_family_and_last);
  return note("name differs", w.name_differs);
}

// The years differ by one, or in one digit (1990 / 1980).
bool YearTypo(int a, int b) {
  if (std::abs(a - b) == 1) return true;
  int diff = 0;
  for (int i = 0; i < 4; ++i, a /= 10, b /= 10) diff += (a % 10) != (b % 10);
  return diff == 1;
}

double BirthWeight(const BirthDate& q, const BirthDate& c, const MatchWeights& w,
                   std::vector<std::string>* why) {
  if (!q.known() || !c.known()) return 0;
  auto note = [&](const char* r, double v) {
    why->push_back(r);
    return v;
  };
  if (q.complete() && c.complete()) {
    if (q.year == c.year && q.month == c.month && q.day == c.day) {
      return note("birth date exact", w.birth_exact);
    }
    if (q.year == c.year && q.month == c.day && q.day == c.month) {
      return note("birth day and month swapped", w.birth_swapped);
    }
    if (q.year == c.year && q.month == c.month) {
      return note("birth year and month", w.birth_year_month);
    }
    if (q.month == c.month && q.day == c.day && YearTypo(q.year, c.year)) {
      return note("birth date with a year error", w.birth_year_typo);
    }
    if (q.year == c.year) return note("birth year", w.birth_year);
    return note("birth date differs", w.birth_differs);
  }
  // One side is known only to the year or month: compare at that precision.
  bool equal = q.year == c.year && (q.month == 0 || c.month == 0 || q.month == c.month);
  if (equal) return note("birth date equal at its precision", w.birth_coarser_equal);
  return note("birth date differs", w.birth_differs);
}

bool KnownGender(const std::string& g) { return g == "male" || g == "female"; }

}  // namespace

std::string_view GradeCode(MatchGrade grade) {
  switch (grade) {
    case MatchGrade::kCertain:
      return "certain";
    case MatchGrade::kProbable:
      return "probable";
    case MatchGrade::kPossible:
      return "possible";
    case MatchGrade::kCertainlyNot:
      return "certainly-not";
    case MatchGrade::kNone:
      return "";
  }
  return "";
}

int EditDistance(std::string_view a, std::string_view b, int limit) {
  const size_t n = a.size(), m = b.size();
  if (static_cast<int>(n > m ? n - m : m - n) > limit) return limit + 1;
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], limit + 1);
}

MatchScore ScoreMatch(const PatientFeatures& q, const PatientFeatures& c, const MatchWeights& w) {
  MatchScore s;
  double& W = s.weight;
  W += NameWeight(q, c, w, &s.reasons);
  W += BirthWeight(q.birth, c.birth, w, &s.reasons);
  if (KnownGender(q.gender) && KnownGender(c.gender)) {
    bool eq = q.gender == c.gender;
    s.reasons.push_back(eq ? "gender equal" : "gender differs");
    W += eq ? w.gender_equal : w.gender_differs;
  }
  if (!q.commune.empty() && !c.commune.empty()) {
    bool eq = q.commune == c.commune;
    s.reasons.push_back(eq ? "commune equal" : "commune differs");
    W += eq ? w.commune_equal : w.commune_differs;
  }
  if (Intersects(q.phones, c.phones)) {
    s.reasons.push_back("phone equal");
    W += w.phone_equal;
  }
  if (Contradicts(q.bhxh, c.bhxh)) {
    s.reasons.push_back("social-insurance numbers differ");
    W += w.bhxh_differs;
  }
  if (Contradicts(q.cmnd, c.cmnd)) {
    s.reasons.push_back("cmnd numbers differ");
    W += w.cmnd_differs;
  }
  const bool cccd_conflict = Contradicts(q.cccd, c.cccd);
  if (const char* shared = SharedIdentifier(q, c)) {
    s.identifier_match = true;
    s.reasons.insert(s.reasons.begin(), shared);
    if (!cccd_conflict) {
      s.score = 1;
      s.grade = MatchGrade::kCertain;
      return s;
    }
    // Another identifier agrees but the CCCDs do not: a data error for a person to
    // resolve, never an automatic match.
    s.reasons.push_back("cccd numbers differ");
    s.score = w.probable_at / w.full_scale;
    s.grade = MatchGrade::kProbable;
    return s;
  }
  if (cccd_conflict) {
    s.reasons.insert(s.reasons.begin(), "cccd numbers differ");
    s.score = 0;
    s.grade = MatchGrade::kCertainlyNot;
    return s;
  }
  s.score = std::min(std::clamp(W, 0.0, w.full_scale) / w.full_scale, 0.99);
  s.grade = W >= w.probable_at   ? MatchGrade::kProbable
            : W >= w.possible_at ? MatchGrade::kPossible
                                 : MatchGrade::kNone;
  return s;
}

}  // namespace hb::reception
