#include "reception/candidate_search.h"

#include <unordered_set>

#include "fhir/search_escape.h"
#include "fhir/vn_systems.h"
#include "search/query_parser.h"

namespace hb::reception {

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

}  // namespace

Result<std::vector<storage::ResourceVersion>> SearchResources(storage::ReadTxn& txn,
                                                              std::string_view type,
                                                              const Params& params, int count,
                                                              int64_t offset) {
  HB_ASSIGN_OR_RETURN(search::SearchQuery q,
                      search::ParseSearch(type, params, {.strict = true, .max_count = 100000}));
  q.count = count;
  q.offset = offset;
  q.total = false;
  HB_ASSIGN_OR_RETURN(storage::SearchResult r, txn.Search(q));
  return std::move(r.matches);
}

namespace {

// Someone among `found` shares an identifier, or the exact name and birth date.
bool FoundThePerson(const PatientFeatures& q, const std::vector<Candidate>& found) {
  auto shares = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    for (const auto& x : a) {
      for (const auto& y : b) {
        if (x == y) return true;
      }
    }
    return false;
  };
  for (const auto& c : found) {
    const PatientFeatures& f = c.features;
    if (shares(q.cccd, f.cccd) || shares(q.cmnd, f.cmnd) || shares(q.bhyt, f.bhyt) ||
        shares(q.bhxh, f.bhxh)) {
      return true;
    }
    if (q.birth.complete() && f.full_name == q.full_name && f.birth.ToIso() == q.birth.ToIso()) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::vector<Candidate>> FindCandidates(storage::ReadTxn& txn, const PatientFeatures& q,
                                              const CandidateOptions& o) {
  std::vector<Candidate> out;
  std::unordered_set<std::string> seen;
  if (!q.id.empty()) seen.insert(q.id);  // a stored patient is not its own candidate
  auto run = [&](const Params& params, int cap) -> Status {
    HB_ASSIGN_OR_RETURN(auto found, SearchResources(txn, "Patient", params, cap));
    for (auto& v : found) {
      if (!seen.insert(v.id).second) continue;
      HB_ASSIGN_OR_RETURN(PatientFeatures f, FeaturesOfJson(v.json));
      out.push_back({std::move(v), std::move(f)});
    }
    return Status::Ok();
  };
  const auto& sys = fhir::vn::Systems();
  std::vector<std::pair<std::string, std::string>> ids;
  for (const auto& v : q.cccd) ids.emplace_back(sys.cccd, v), ids.emplace_back(sys.cmnd, v);
  for (const auto& v : q.cmnd) ids.emplace_back(sys.cmnd, v), ids.emplace_back(sys.cccd, v);
  for (const auto& v : q.bhyt) ids.emplace_back(sys.bhyt_card, v);
  for (const auto& v : q.bhxh) ids.emplace_back(sys.bhxh, v);
  // One query per identifier: the store plans an OR of token values as a scan of the
  // parameter's whole index (65 ms at 100,000 patients, against 0.1 ms for one value).
  for (const auto& [system, value] : ids) {
    HB_RETURN_IF_ERROR(run({{"identifier", fhir::EscapeToken(system, value)}}, o.identifier_cap));
  }
  if (!q.full_name.empty()) {
    Params p{{"name", fhir::EscapeSearchValue(q.full_name)}};
    if (q.birth.known()) p.emplace_back("birthdate", std::to_string(q.birth.year));
    HB_RETURN_IF_ERROR(run(p, o.name_cap));
  }
  if (q.birth.complete() && !(o.skip_birth_date_when_found && FoundThePerson(q, out))) {
    HB_RETURN_IF_ERROR(run({{"birthdate", q.birth.ToIso()}}, o.birth_date_cap));
  }
  for (const auto& phone : q.phones) {
    HB_RETURN_IF_ERROR(run({{"phone", fhir::EscapeSearchValue(phone)}}, o.phone_cap));
  }
  return out;
}

}  // namespace hb::reception
