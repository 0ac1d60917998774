// POST Patient/$merge: Parameters `source-patient` and `target-patient` (valueReference),
// optional `preview` -> Parameters `outcome`, `result` (the target), `source` (the retired
// source), `provenance` (the merge record), `updated` (each re-pointed resource version).
//
// The source keeps every element it had; it becomes inactive with a link replaced-by the
// target, the target gets a link replaces the source, and every resource that references
// the source is written again pointing at the target (its earlier versions stay in the
// history). All of it is one transaction with its audit records, and the Provenance it
// leaves (reception/merge_record.h) is what Patient/$unmerge undoes. With preview=true,
// nothing is written: the answer lists what would change.
#include "operations/factories.h"
#include "operations/merge_support.h"
#include "reception/match_score.h"
#include "reception/merge_record.h"
#include "reception/patient_features.h"
#include "rest/outcome.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

struct MergeResult {
  reception::MergeRecord record;
  storage::ResourceVersion source, target, provenance;
};

Status RefuseMerged(const reception::PatientFeatures& s, const reception::PatientFeatures& t) {
  if (!s.replaced_by.empty()) {
    return Status(ErrorCode::kConflict, "Patient/" + s.id + " was already merged into Patient/" +
                                            s.replaced_by + " (undo it with $unmerge)");
  }
  if (!t.replaced_by.empty()) {
    return Status(ErrorCode::kConflict, "Patient/" + t.id + " was itself merged into Patient/" +
                                            t.replaced_by + ": merge into that record");
  }
  return Status::Ok();
}

Status DoMerge(storage::WriteTxn& txn, rest::Actor& actor, const MergePair& pair,
               MergeResult* out) {
  HB_ASSIGN_OR_RETURN(auto source, txn.Read("Patient", pair.source_id));
  HB_ASSIGN_OR_RETURN(auto target, txn.Read("Patient", pair.target_id));
  if (source.deleted || target.deleted) {
    return Status(ErrorCode::kDeleted, "a patient to merge was deleted");
  }
  HB_ASSIGN_OR_RETURN(auto sf, reception::FeaturesOfJson(source.json));
  HB_ASSIGN_OR_RETURN(auto tf, reception::FeaturesOfJson(target.json));
  HB_RETURN_IF_ERROR(RefuseMerged(sf, tf));
  reception::MergeRecord& rec = out->record;
  rec.source_id = pair.source_id;
  rec.target_id = pair.target_id;
  HB_ASSIGN_OR_RETURN(auto refs, ReferencingResources(txn, pair, pair.source_id));
  for (const auto& v : refs) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(v.json));
    HB_ASSIGN_OR_RETURN(rest::ResourceInput in, rest::PrepareNested(doc, doc.GetAllocator(), ""));
    auto sites = reception::Repoint(in.facts, doc.GetAllocator(), pair.source_id, pair.target_id);
    if (sites.empty()) continue;
    HB_ASSIGN_OR_RETURN(auto written, rest::Update(txn, nullptr, in, v.id, v.version));
    rec.changes.push_back({v.type, v.id, written.version.version, std::move(sites)});
    const std::string what = v.type + "/" + v.id;
    AuditChange(actor, "merge", what, pair.source_id);
    AuditChange(actor, "merge", what, pair.target_id);
  }
  HB_ASSIGN_OR_RETURN(std::string retired,
                      reception::RetireSource(source.json, pair.target_id, &rec.source_active));
  HB_ASSIGN_OR_RETURN(out->source,
                      UpdateResource(txn, nullptr, retired, pair.source_id, source.version));
  HB_ASSIGN_OR_RETURN(std::string linked, reception::LinkTarget(target.json, pair.source_id));
  HB_ASSIGN_OR_RETURN(out->target,
                      UpdateResource(txn, nullptr, linked, pair.target_id, target.version));
  rec.source_version = out->source.version;
  rec.target_version = out->target.version;
  AuditChange(actor, "merge", "Patient/" + pair.source_id, pair.source_id);
  AuditChange(actor, "merge", "Patient/" + pair.target_id, pair.target_id);
  std::string prov =
      reception::MergeProvenanceJson(rec, "merge", "", WhoOf(*actor.principal), txn.Now());
  HB_ASSIGN_OR_RETURN(out->provenance, CreateResource(txn, nullptr, prov));
  actor.audit.push_back(access::MakeAudit(*actor.principal, "C", "merge", 0, pair.target_id,
                                          "Provenance/" + out->provenance.id));
  return Status::Ok();
}

std::string Outcome(std::string_view text) { return rest::InformationOutcomeJson(text); }

class MergeOperation : public rest::Operation {
 public:
  explicit MergeOperation(ContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "merge"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kType && type == "Patient";
  }
  std::string_view Definition() const override {
    return "http://hl7.org/fhir/OperationDefinition/Patient-merge";
  }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    if (!Permit(call, respond, CheckDataSteward(call, access::Op::kUpdate))) return;
    auto in = ParametersIn::FromBody(call.req.body);
    if (!in.ok()) return RespondError(respond, in.status());
    auto pair = ReadMergePair(*in);
    if (!pair.ok()) return RespondError(respond, pair.status());
    auto preview = in->Bool("preview");
    if (!preview.ok()) return RespondError(respond, preview.status());
    {
      auto txn = call.store->BeginRead();
      if (Status st = CheckPatients(call, *txn, *pair); !st.ok()) {
        return RespondError(respond, st);
      }
      if (preview->value_or(false)) return Preview(call, respond, *txn, *pair);
    }
    auto result = std::make_shared<MergeResult>();
    WriteAsCaller(
        call,
        [result, pair = *pair](storage::WriteTxn& txn, rest::Actor& actor) {
          return DoMerge(txn, actor, pair, result.get());
        },
        [call_ctx = call.ctx, result, respond = std::move(respond)](Status st) {
          if (!st.ok()) return respond(rest::ErrorResponse(st));
          ParametersOut out;
          out.Resource("outcome", Outcome("merged Patient/" + result->record.source_id +
                                          " into Patient/" + result->record.target_id + "; " +
                                          std::to_string(result->record.changes.size()) +
                                          " resource(s) re-pointed"));
          out.Resource("result", result->target.json);
          out.Resource("source", result->source.json);
          out.Resource("provenance", result->provenance.json);
          for (const auto& c : result->record.changes) {
            out.Reference("updated",
                          c.type + "/" + c.id + "/_history/" + std::to_string(c.version));
          }
          respond(rest::JsonResponse(200, out.Finish(), call_ctx));
        });
  }

 private:
  void Preview(const rest::OperationCall& call, const http::Responder& respond,
               storage::ReadTxn& txn, const MergePair& pair) const {
    auto source = txn.Read("Patient", pair.source_id);
    auto target = txn.Read("Patient", pair.target_id);
    auto sf = reception::FeaturesOfJson(source->json);
    auto tf = reception::FeaturesOfJson(target->json);
    if (!sf.ok() || !tf.ok()) return RespondError(respond, sf.ok() ? tf.status() : sf.status());
    if (Status st = RefuseMerged(*sf, *tf); !st.ok()) return RespondError(respond, st);
    auto refs = ReferencingResources(txn, pair, pair.source_id);
    if (!refs.ok()) return RespondError(respond, refs.status());
    reception::MatchScore score = reception::ScoreMatch(*sf, *tf);
    ParametersOut out;
    out.Resource("outcome", Outcome("preview: merging Patient/" + pair.source_id +
                                    " into Patient/" + pair.target_id + " would re-point " +
                                    std::to_string(refs->size()) + " resource(s)"));
    out.Resource("result", target->json);
    if (score.grade != reception::MatchGrade::kNone) {
      out.Code("match-grade", reception::GradeCode(score.grade));
    }
    out.Decimal("score", reception::ScoreText(score.score));
    for (const auto& v : *refs) out.Reference("updated", v.type + "/" + v.id);
    RespondJson(call, respond, 200, out.Finish());
  }

  ContextPtr ctx_;
};

}  // namespace

Status MergePatientRecords(storage::WriteTxn& txn, rest::Actor& actor, const MergePair& pair,
                           reception::MergeRecord* record) {
  MergeResult result;
  HB_RETURN_IF_ERROR(DoMerge(txn, actor, pair, &result));
  if (record != nullptr) *record = std::move(result.record);
  return Status::Ok();
}

std::unique_ptr<rest::Operation> MakeMerge(ContextPtr ctx) {
  return std::make_unique<MergeOperation>(std::move(ctx));
}

}  // namespace hb::operations
