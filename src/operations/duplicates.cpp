// GET Patient/$duplicates?_count=N[&_cursor=K][&_scan=M]: probable duplicate records, as
// Parameters: one `pair` per pair (parts `patient` twice, `score`, `grade`, `reason`...),
// then `scanned` and, when patients remain, `next-cursor` (pass it as _cursor).
//
// Patients are scanned in storage order from _cursor, at most _scan of them per call
// (default 1000), each matched like a new registration would be (through the index, never a
// scan per patient); pairs graded certain (a shared identifier) or probable are listed once,
// up to _count (default 20). For operators and facility administrators; a pair is listed
// only when the caller may read both records.
#include <unordered_set>

#include "operations/factories.h"
#include "reception/candidate_search.h"
#include "reception/patient_matcher.h"
#include "rest/read_access.h"

namespace hb::operations {

namespace {

constexpr int kPage = 200;

struct Pair {
  storage::ResourceVersion a, b;
  reception::MatchScore score;
};

int64_t Clamp(const Result<std::optional<int64_t>>& v, int64_t fallback, int64_t lo, int64_t hi) {
  return std::clamp<int64_t>(v.ok() && v->has_value() ? **v : fallback, lo, hi);
}

class DuplicatesOperation : public rest::Operation {
 public:
  explicit DuplicatesOperation(ContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "duplicates"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kType && type == "Patient";
  }
  bool AllowsGet() const override { return true; }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Patient-duplicates";
  }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    if (!Permit(call, respond, CheckDataSteward(call, access::Op::kSearch))) return;
    auto in = ReadParameters(call);
    if (!in.ok()) return RespondError(respond, in.status());
    for (const char* name : {"_count", "_cursor", "_scan"}) {
      if (auto v = in->Integer(name); !v.ok()) return RespondError(respond, v.status());
    }
    const int64_t count = Clamp(in->Integer("_count"), 20, 1, 200);
    const int64_t scan = Clamp(in->Integer("_scan"), 1000, 1, 20000);
    int64_t cursor = Clamp(in->Integer("_cursor"), 0, 0, INT64_MAX);
    auto txn = call.store->BeginRead();
    rest::ReadAccess access(*call.principal, *call.policy, call.sink, "duplicates");
    std::vector<Pair> pairs;
    std::unordered_set<std::string> seen;
    int64_t scanned = 0;
    bool more = true;
    reception::MatchOptions mo;
    mo.count = 5;
    mo.keep_certainly_not = false;
    while (more && scanned < scan && static_cast<int64_t>(pairs.size()) < count) {
      auto page = reception::SearchResources(*txn, "Patient", {}, kPage, cursor);
      if (!page.ok()) return RespondError(respond, page.status());
      more = static_cast<int>(page->size()) == kPage;
      for (auto& p : *page) {
        if (scanned >= scan || static_cast<int64_t>(pairs.size()) >= count) {
          more = true;
          break;
        }
        ++scanned;
        ++cursor;
        auto f = reception::FeaturesOfJson(p.json);
        if (!f.ok() || !f->replaced_by.empty()) continue;
        auto matches = reception::MatchPatients(*txn, *f, mo);
        if (!matches.ok()) return RespondError(respond, matches.status());
        for (auto& m : *matches) {
          if (m.score.grade != reception::MatchGrade::kCertain &&
              m.score.grade != reception::MatchGrade::kProbable) {
            continue;
          }
          const std::string key = std::min(p.id, m.patient.id) + "|" + std::max(p.id, m.patient.id);
          if (m.patient.id == p.id || !seen.insert(key).second) continue;
          if (!access.Check(*txn, p).ok() || !access.Check(*txn, m.patient).ok()) continue;
          pairs.push_back({p, std::move(m.patient), std::move(m.score)});
        }
      }
    }
    txn.reset();
    access.Commit();
    ParametersOut out;
    for (const auto& pr : pairs) {
      out.BeginPart("pair");
      out.Reference("patient", "Patient/" + pr.a.id, PatientDisplay(pr.a.json));
      out.Reference("patient", "Patient/" + pr.b.id, PatientDisplay(pr.b.json));
      out.Decimal("score", reception::ScoreText(pr.score.score));
      out.Code("grade", reception::GradeCode(pr.score.grade));
      for (const auto& r : pr.score.reasons) out.String("reason", r);
      out.EndPart();
    }
    out.Integer("scanned", scanned);
    if (more) out.Integer("next-cursor", cursor);
    RespondJson(call, respond, 200, out.Finish());
  }

 private:
  ContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeDuplicates(ContextPtr ctx) {
  return std::make_unique<DuplicatesOperation>(std::move(ctx));
}

}  // namespace hb::operations
