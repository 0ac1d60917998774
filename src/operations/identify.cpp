// POST Patient/$identify: Parameters `qr` (the text a scanner typed) -> Parameters with
// `identity` (the card's fields), `patient` (the certainly matched Patient, or the one
// registered now), `created`, `candidates` (only probable matches: nothing is registered
// then), `coverage` and `insurance` (the insurance check), `warnings`.
//
// Registering goes through the normal write path (validated, indexed, audited) on the
// store's writer, and the match is run again there first, so scanning one card twice, or
// from two desks at once, never registers two patients. A BHYT card is looked up in the
// national card-history service first when one is configured (on its own thread).
#include "operations/coverage_record.h"
#include "operations/factories.h"
#include "reception/card_history.h"
#include "reception/card_identity.h"
#include "reception/patient_matcher.h"
#include "rest/read_access.h"

namespace hb::operations {

namespace {

using reception::MatchGrade;

struct IdentifyState {
  rest::OperationCall call;
  http::Responder respond;
  ContextPtr ctx;
  reception::CardIdentity card;
  reception::PatientFeatures features;
  std::optional<reception::CardHistoryResult> history;
  std::vector<std::string> warnings;        // lookup and storage notes
  std::vector<std::string> match_warnings;  // of the last decision
  std::unique_ptr<rest::ReadAccess> access;
  // What was decided.
  std::optional<storage::ResourceVersion> patient;
  bool created = false;
  std::vector<reception::PatientMatch> candidates;
  std::optional<reception::InsuranceCard> insurance;
  std::optional<reception::InsuranceCheck> check;
  std::optional<RecordedCoverage> coverage;
};
using StatePtr = std::shared_ptr<IdentifyState>;

reception::MatchOptions Options() {
  reception::MatchOptions o;
  o.count = 5;
  o.keep_certainly_not = false;
  return o;
}

void IdentityParts(ParametersOut& out, const reception::CardIdentity& c) {
  out.BeginPart("identity");
  out.Code("kind", c.kind == identity::CardKind::kCccd ? "cccd" : "bhyt");
  if (c.cccd_card) {
    out.String("id", c.cccd_card->id);
    if (c.cccd_card->old_id) out.String("old_id", *c.cccd_card->old_id);
  }
  if (c.bhyt_card) out.String("card_number", c.bhyt_card->card_number);
  out.String("name", c.name);
  if (c.birth.year) out.Date("birth_date", c.birth.ToIso());
  out.Code("gender", identity::GenderCode(c.gender));
  if (!c.address.empty()) out.String("address", c.address);
  if (c.cccd_card) out.Date("issue_date", c.cccd_card->issue_date.ToIso());
  if (const auto& b = c.bhyt_card) {
    out.String("registered_facility", b->facility_code);
    if (b->facility_name) out.String("registered_facility_name", *b->facility_name);
    out.Date("valid_from", b->valid_from.ToIso());
    if (b->valid_to) out.Date("valid_to", b->valid_to->ToIso());
    out.Code("beneficiary_group", b->parts.group);
    out.Integer("benefit_level", b->parts.benefit_level);
    out.String("province", b->parts.province);
    out.String("social_insurance_number", b->parts.social_insurance_number);
  }
  out.EndPart();
}

void InsuranceParts(ParametersOut& out, const reception::InsuranceCheck& c) {
  out.BeginPart("insurance");
  out.Bool("valid", c.valid);
  if (c.in_network) out.Bool("in-network", *c.in_network);
  out.Integer("benefit-level", c.benefit_level);
  out.Integer("benefit-percent", c.benefit_percent);
  out.Code("beneficiary-group", c.beneficiary_group);
  out.Date("date", c.visit_date);
  out.Code("source", c.source);
  for (const auto& p : c.problems) out.String("problem", p);
  out.EndPart();
}

void Respond(const StatePtr& s) {
  if (s->access) s->access->Commit();
  ParametersOut out;
  IdentityParts(out, s->card);
  if (s->patient) out.Resource("patient", s->patient->json);
  out.Bool("created", s->created);
  for (const auto& m : s->candidates) {
    out.BeginPart("candidates");
    out.Resource("resource", m.patient.json);
    out.Decimal("score", reception::ScoreText(m.score.score));
    out.Code("grade", reception::GradeCode(m.score.grade));
    for (const auto& r : m.score.reasons) out.String("reason", r);
    out.EndPart();
  }
  if (s->coverage) out.Resource("coverage", s->coverage->json);
  if (s->check) InsuranceParts(out, *s->check);
  std::vector<std::string> warnings = s->card.warnings;
  warnings.insert(warnings.end(), s->match_warnings.begin(), s->match_warnings.end());
  warnings.insert(warnings.end(), s->warnings.begin(), s->warnings.end());
  if (s->check)
    warnings.insert(warnings.end(), s->check->warnings.begin(), s->check->warnings.end());
  for (const auto& w : warnings) out.String("warnings", w);
  RespondJson(s->call, s->respond, 200, out.Finish());
}

// The insurance card to check: the scanned BHYT card, or the matched Patient's card.
void PrepareInsurance(const StatePtr& s) {
  if (s->card.bhyt_card) {
    s->insurance = reception::CardOf(*s->card.bhyt_card);
  } else if (s->patient) {
    if (auto doc = fhir::ParseJson(s->patient->json); doc.ok()) {
      s->insurance = reception::CardOfPatient(*doc);
    }
  }
  if (!s->insurance) return;
  const identity::CardDate today = Today(*s->ctx);
  const std::string& facility = s->call.principal->facility;
  s->check = s->history ? reception::CheckWithHistory(&*s->insurance, *s->history, today, facility)
                        : reception::CheckInsurance(*s->insurance, today, facility);
}

enum class Found { kPatient, kCandidates, kNothing };

// Decides from `matches`: a certain patient, or probable candidates, or nothing (a new
// patient is to be registered). Only what is returned passes the access check (and is
// audited as read).
Result<Found> Decide(const StatePtr& s, storage::ReadTxn& txn,
                     std::vector<reception::PatientMatch> matches) {
  s->match_warnings.clear();
  s->candidates.clear();
  s->patient.reset();
  const MatchGrade best = reception::BestGrade(matches);
  if (best == MatchGrade::kCertain) {
    int certain = 0;
    for (const auto& m : matches) certain += m.score.grade == MatchGrade::kCertain;
    if (certain > 1) {
      s->match_warnings.push_back(std::to_string(certain) +
                                  " records match this card certainly: duplicates to merge");
    }
    if (!matches[0].via.empty()) {
      s->match_warnings.push_back("the card matched Patient/" + matches[0].via +
                                  ", merged into Patient/" + matches[0].patient.id);
    }
    HB_RETURN_IF_ERROR(s->access->Check(txn, matches[0].patient));
    s->patient = std::move(matches[0].patient);
    return Found::kPatient;
  }
  if (best != MatchGrade::kProbable) return Found::kNothing;
  s->access->Filter(txn, matches,
                    [](const reception::PatientMatch& m) -> const storage::ResourceVersion& {
                      return m.patient;
                    });
  s->candidates = std::move(matches);
  return Found::kCandidates;
}

std::unique_ptr<rest::ReadAccess> NewAccess(const rest::OperationCall& call) {
  return std::make_unique<rest::ReadAccess>(*call.principal, *call.policy, call.sink, "identify");
}

void Register(const StatePtr& s) {
  WriteAsCaller(
      s->call,
      [s](storage::WriteTxn& txn, rest::Actor& actor) -> Status {
        s->access = NewAccess(s->call);  // what the first look read is decided again here
        HB_ASSIGN_OR_RETURN(auto matches, reception::MatchPatients(txn, s->features, Options()));
        HB_ASSIGN_OR_RETURN(Found found, Decide(s, txn, std::move(matches)));
        if (found == Found::kNothing) {
          std::string json = reception::NewPatientJson(s->card, s->call.principal->facility_org);
          HB_ASSIGN_OR_RETURN(s->patient, CreateResource(txn, &actor, json));
          s->created = true;
        }
        if (!s->patient) return Status::Ok();  // candidates only: nothing is written
        PrepareInsurance(s);
        if (!s->check) return Status::Ok();
        HB_ASSIGN_OR_RETURN(s->coverage,
                            RecordCoverage(txn, &actor, *s->insurance, *s->check, s->patient->id,
                                           PatientDisplay(s->patient->json)));
        if (!s->coverage->stored) {
          s->warnings.push_back(
              "the insurance check is not stored yet (no care relationship with this facility "
              "yet): pass it as `coverage` to Encounter/$start-visit");
        }
        return Status::Ok();
      },
      [s](Status st) {
        if (!st.ok()) {
          if (s->access) s->access->Commit();
          return RespondError(s->respond, st);
        }
        Respond(s);
      });
}

void Continue(const StatePtr& s) {
  auto txn = s->call.store->BeginRead();
  auto matches = reception::MatchPatients(*txn, s->features, Options());
  if (!matches.ok()) return RespondError(s->respond, matches.status());
  auto found = Decide(s, *txn, std::move(matches).value());
  if (!found.ok()) {
    txn.reset();
    s->access->Commit();  // the refusal is audited
    return RespondError(s->respond, found.status());
  }
  if (*found == Found::kNothing) {
    txn.reset();
    return Register(s);
  }
  if (s->patient) {
    PrepareInsurance(s);
    if (s->check) {
      // A known patient: the insurance check is the only write, and only when new today.
      auto existing = FindCoverage(*txn, *s->insurance, *s->check, s->patient->id);
      if (!existing.ok()) return RespondError(s->respond, existing.status());
      if (!existing->stored) {
        txn.reset();
        return Register(s);
      }
      s->coverage = std::move(existing).value();
    }
  }
  txn.reset();
  Respond(s);
}

class IdentifyOperation : public rest::Operation {
 public:
  explicit IdentifyOperation(ContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "identify"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kType && type == "Patient";
  }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Patient-identify";
  }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    if (!Permit(call, respond, CheckReception(call, "Patient", access::Op::kCreate))) return;
    auto in = ParametersIn::FromBody(call.req.body);
    if (!in.ok()) return RespondError(respond, in.status());
    auto qr = RequiredText(*in, "qr");
    if (!qr.ok()) return RespondError(respond, qr.status());
    auto card = identity::ParseCardQr(*qr);
    if (!card.ok()) return RespondError(respond, card.status());
    auto s = std::make_shared<IdentifyState>();
    s->ctx = ctx_;
    s->card = reception::IdentityOf(std::move(card).value());
    s->features = reception::FeaturesOf(s->card);
    s->access = NewAccess(call);
    s->call = std::move(call);
    s->respond = std::move(respond);
    if (s->card.bhyt_card && ctx_->card_history->enabled()) {
      reception::CardHistoryQuery q{s->card.bhyt, s->card.name, ""};
      const auto& b = s->card.birth;
      char birth[16];
      if (b.complete()) {
        std::snprintf(birth, sizeof birth, "%02d/%02d/%04d", b.day, b.month, b.year);
      } else {
        std::snprintf(birth, sizeof birth, "%04d", b.year);
      }
      q.birth = birth;
      ctx_->card_history->LookupAsync(std::move(q), [s](Result<reception::CardHistoryResult> r) {
        if (r.ok()) {
          s->history = std::move(r).value();
        } else {
          s->warnings.push_back(r.status().message() + " (checked from the card alone)");
        }
        Continue(s);
      });
      return;
    }
    Continue(s);
  }

 private:
  ContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeIdentify(ContextPtr ctx) {
  return std::make_unique<IdentifyOperation>(std::move(ctx));
}

}  // namespace hb::operations
