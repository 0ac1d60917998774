// POST Patient/$match (https://hl7.org/fhir/R4/patient-operation-match.html): Parameters
// `resource` (a Patient), `onlyCertainMatches`, `count` -> a searchset Bundle, best first,
// each entry with search.mode match, search.score and the match-grade extension. Matching
// is reception/patient_matcher.h; every result passes the caller's need-to-know check.
#include "common/clock.h"
#include "common/ids.h"
#include "fhir/outcome.h"
#include "fhir/validator.h"
#include "operations/factories.h"
#include "reception/patient_matcher.h"
#include "reception/uris.h"
#include "rest/read_access.h"

namespace hb::operations {

namespace {

using reception::MatchGrade;

constexpr int kDefaultCount = 10;
constexpr int kMaxCount = 100;

std::string BundleJson(const rest::OperationCall& call,
                       const std::vector<reception::PatientMatch>& matches, std::string_view note) {
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Bundle");
  j.Put("id", NewResourceId());
  j.Key("meta");
  j.BeginObject();
  j.Put("lastUpdated", FormatInstant(NowMicros()));
  j.EndObject();
  j.Put("type", "searchset");
  j.PutInt("total", static_cast<int64_t>(matches.size()));
  j.Key("link");
  j.BeginArray();
  j.BeginObject();
  j.Put("relation", "self");
  j.Put("url", call.ctx.base_url + "/Patient/$match");
  j.EndObject();
  j.EndArray();
  if (!matches.empty() || !note.empty()) {
    j.Key("entry");
    j.BeginArray();
    for (const auto& m : matches) {
      j.BeginObject();
      j.Put("fullUrl", call.ctx.base_url + "/Patient/" + m.patient.id);
      j.Key("resource");
      j.Raw(m.patient.json);
      j.Key("search");
      j.BeginObject();
      j.Key("extension");
      j.BeginArray();
      j.BeginObject();
      j.Put("url", reception::kMatchGradeExtension);
      j.Put("valueCode", reception::GradeCode(m.score.grade));
      j.EndObject();
      j.EndArray();
      j.Put("mode", "match");
      j.Key("score");
      j.Number(reception::ScoreText(m.score.score));
      j.EndObject();
      j.EndObject();
    }
    if (!note.empty()) {
      j.BeginObject();
      fhir::OutcomeIssue issue;
      issue.severity = "warning";
      issue.code = "multiple-matches";
      issue.diagnostics = note;
      j.Key("resource");
      j.Raw(fhir::OperationOutcomeJson(issue));
      j.Key("search");
      j.BeginObject();
      j.Put("mode", "outcome");
      j.EndObject();
      j.EndObject();
    }
    j.EndArray();
  }
  j.EndObject();
  return j.Take();
}

class MatchOperation : public rest::Operation {
 public:
  explicit MatchOperation(ContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "match"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kType && type == "Patient";
  }
  std::string_view Definition() const override {
    return "http://hl7.org/fhir/OperationDefinition/Patient-match";
  }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    if (!Permit(call, respond,
                call.policy->CheckInteraction(*call.principal, "Patient", access::Op::kSearch))) {
      return;
    }
    auto in = ParametersIn::FromBody(call.req.body);
    if (!in.ok()) return RespondError(respond, in.status());
    fhir::JsonValue* patient = in->Resource("resource");
    if (!patient || fhir::MemberString(*patient, "resourceType") != "Patient") {
      return RespondError(
          respond, Status(ErrorCode::kInvalidArgument, "parameter 'resource' must hold a Patient",
                          "Parameters.parameter"));
    }
    fhir::ValidateOptions vo;
    vo.root_location = "Parameters.parameter.resource";
    if (Status st = fhir::ValidateResource(*patient, nullptr, vo); !st.ok()) {
      return RespondError(respond, st);
    }
    auto only = in->Bool("onlyCertainMatches");
    auto count = in->Integer("count");
    if (!only.ok()) return RespondError(respond, only.status());
    if (!count.ok()) return RespondError(respond, count.status());
    reception::PatientFeatures q = reception::FeaturesOf(*patient);
    if (!q.HasIdentifiers() && (q.full_name.empty() || !q.birth.known()) && q.phones.empty()) {
      return RespondError(respond,
                          Status(ErrorCode::kInvalidArgument,
                                 "the Patient to match needs an identifier (CCCD, CMND, insurance "
                                 "card), a name with a birth date, or a phone number"));
    }
    const bool only_certain = only->value_or(false);
    reception::MatchOptions mo;
    mo.count = static_cast<int>(std::clamp<int64_t>(count->value_or(kDefaultCount), 1, kMaxCount));
    mo.only_certain = only_certain;
    mo.keep_certainly_not = !only_certain;
    if (only_certain) mo.count = kMaxCount;  // to tell one certain match from several
    auto txn = call.store->BeginRead();
    auto matches = reception::MatchPatients(*txn, q, mo);
    if (!matches.ok()) return RespondError(respond, matches.status());
    rest::ReadAccess access(*call.principal, *call.policy, call.sink, "match");
    access.Filter(*txn, *matches,
                  [](const reception::PatientMatch& m) -> const storage::ResourceVersion& {
                    return m.patient;
                  });
    txn.reset();
    access.Commit();
    std::string note;
    if (only_certain && matches->size() > 1) {
      // R4: with onlyCertainMatches, several candidates mean none is certain enough.
      note = std::to_string(matches->size()) +
             " records match this patient certainly: they are probably duplicates of one "
             "person (see Patient/$duplicates and $merge)";
      matches->clear();
    }
    RespondJson(call, respond, 200, BundleJson(call, *matches, note));
  }

 private:
  ContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeMatch(ContextPtr ctx) {
  return std::make_unique<MatchOperation>(std::move(ctx));
}

}  // namespace hb::operations
