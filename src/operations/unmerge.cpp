// POST Patient/$unmerge: Parameters `source-patient` and `target-patient` (the pair of an
// earlier $merge), or `provenance` (valueReference to its record) -> Parameters
// `outcome`, `source` and `target` as restored, `provenance` (the record of the undo),
// `updated`, `warnings`.
//
// Undoes exactly what the merge recorded (reception/merge_record.h): every reference it
// re-pointed that still points at the target is set back to what it said, the links it
// added are removed and the source's `active` is restored. A reference changed by someone
// since is left alone and named in `warnings`. Each step is a new version; the merge and
// its undo stay in the history. A merge is undone once.
#include "operations/factories.h"
#include "operations/merge_support.h"
#include "reception/candidate_search.h"
#include "reception/merge_record.h"
#include "rest/outcome.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

struct UnmergeResult {
  reception::MergeRecord undone;  // what the undo wrote
  std::string merge_id;
  storage::ResourceVersion source, target, provenance;
  std::vector<std::string> warnings;
};

// The merge to undo: the one named, or the latest merge of the pair.
Result<storage::ResourceVersion> FindMerge(storage::ReadTxn& txn, const ParametersIn& in,
                                           const std::optional<MergePair>& pair) {
  HB_ASSIGN_OR_RETURN(auto named, in.Reference("provenance"));
  if (named) {
    HB_ASSIGN_OR_RETURN(std::string id, IdFromReference(*named, "Provenance", "provenance"));
    auto v = txn.Read("Provenance", id);
    if (!v.ok() || v->deleted)
      return Status(ErrorCode::kNotFound, "Provenance/" + id + " does not exist");
    return std::move(v).value();
  }
  HB_ASSIGN_OR_RETURN(auto found,
                      reception::SearchResources(txn, "Provenance",
                                                 {{"entity", "Patient/" + pair->source_id},
                                                  {"target", "Patient/" + pair->target_id}},
                                                 1000));
  for (auto it = found.rbegin(); it != found.rend(); ++it) {  // newest first
    if (reception::ProvenanceActivity(it->json) == "merge") return std::move(*it);
  }
  return Status(ErrorCode::kNotFound, "no merge of Patient/" + pair->source_id + " into Patient/" +
                                          pair->target_id + " is recorded");
}

Status DoUnmerge(storage::WriteTxn& txn, rest::Actor& actor, const ParametersIn& in,
                 const std::optional<MergePair>& pair, UnmergeResult* out) {
  HB_ASSIGN_OR_RETURN(auto merge, FindMerge(txn, in, pair));
  HB_ASSIGN_OR_RETURN(reception::MergeRecord rec, reception::ParseMergeProvenance(merge.json));
  if (pair && (rec.source_id != pair->source_id || rec.target_id != pair->target_id)) {
    return Status(ErrorCode::kInvalidArgument,
                  "Provenance/" + merge.id + " records another merge (Patient/" + rec.source_id +
                      " into Patient/" + rec.target_id + ")");
  }
  if (!pair) {  // named by its record: the caller must see both patients all the same
    for (const std::string* id : {&rec.source_id, &rec.target_id}) {
      HB_ASSIGN_OR_RETURN(auto facts, txn.Facts("Patient", *id));
      access::AccessNote note;
      HB_RETURN_IF_ERROR(actor.policy->CheckRecord(*actor.principal, "Patient", access::Op::kRead,
                                                   facts, txn, &note));
    }
  }
  HB_ASSIGN_OR_RETURN(
      auto undos,
      reception::SearchResources(txn, "Provenance", {{"entity", "Provenance/" + merge.id}}, 1));
  if (!undos.empty()) {
    return Status(ErrorCode::kConflict, "the merge Provenance/" + merge.id +
                                            " was already undone (Provenance/" + undos[0].id + ")");
  }
  out->merge_id = merge.id;
  reception::MergeRecord& undo = out->undone;
  undo.source_id = rec.source_id;
  undo.target_id = rec.target_id;
  for (const auto& c : rec.changes) {
    auto cur = txn.Read(c.type, c.id);
    if (!cur.ok() || cur->deleted) {
      out->warnings.push_back(c.type + "/" + c.id + " no longer exists: nothing to restore");
      continue;
    }
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(cur->json));
    HB_ASSIGN_OR_RETURN(rest::ResourceInput in, rest::PrepareNested(doc, doc.GetAllocator(), ""));
    auto left = reception::Restore(in.facts, doc.GetAllocator(), rec.target_id, c.sites);
    for (const auto& s : left) {
      out->warnings.push_back(c.type + "/" + c.id + ": " + s.location +
                              " was changed since the merge and is left as it is");
    }
    if (left.size() == c.sites.size()) continue;
    HB_ASSIGN_OR_RETURN(auto written, rest::Update(txn, nullptr, in, c.id, cur->version));
    undo.changes.push_back({c.type, c.id, written.version.version, {}});
    const std::string what = c.type + "/" + c.id;
    AuditChange(actor, "unmerge", what, rec.source_id);
    AuditChange(actor, "unmerge", what, rec.target_id);
  }
  HB_ASSIGN_OR_RETURN(auto source, txn.Read("Patient", rec.source_id));
  HB_ASSIGN_OR_RETURN(auto target, txn.Read("Patient", rec.target_id));
  HB_ASSIGN_OR_RETURN(std::string s, reception::Unlink(source.json, rec.target_id, "replaced-by",
                                                       true, rec.source_active));
  HB_ASSIGN_OR_RETURN(out->source, UpdateResource(txn, nullptr, s, rec.source_id, source.version));
  HB_ASSIGN_OR_RETURN(std::string t,
                      reception::Unlink(target.json, rec.source_id, "replaces", false, {}));
  HB_ASSIGN_OR_RETURN(out->target, UpdateResource(txn, nullptr, t, rec.target_id, target.version));
  undo.source_version = out->source.version;
  undo.target_version = out->target.version;
  AuditChange(actor, "unmerge", "Patient/" + rec.source_id, rec.source_id);
  AuditChange(actor, "unmerge", "Patient/" + rec.target_id, rec.target_id);
  std::string prov =
      reception::MergeProvenanceJson(undo, "unmerge", merge.id, WhoOf(*actor.principal), txn.Now());
  HB_ASSIGN_OR_RETURN(out->provenance, CreateResource(txn, nullptr, prov));
  actor.audit.push_back(access::MakeAudit(*actor.principal, "C", "unmerge", 0, rec.source_id,
                                          "Provenance/" + out->provenance.id));
  return Status::Ok();
}

class UnmergeOperation : public rest::Operation {
 public:
  explicit UnmergeOperation(ContextPtr ctx) : ctx_(std::move(ctx)) {}
  std::string_view Name() const override { return "unmerge"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kType && type == "Patient";
  }
  std::string_view Definition() const override {
    return "https://fhir.healthbook.vn/OperationDefinition/Patient-unmerge";
  }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    if (!Permit(call, respond, CheckDataSteward(call, access::Op::kUpdate))) return;
    auto parsed = ParametersIn::FromBody(call.req.body);
    if (!parsed.ok()) return RespondError(respond, parsed.status());
    auto in = std::make_shared<ParametersIn>(std::move(parsed).value());
    std::optional<MergePair> pair;
    if (!in->Has("provenance") || in->Has("source-patient")) {
      auto p = ReadMergePair(*in);
      if (!p.ok()) return RespondError(respond, p.status());
      pair = *p;
      auto txn = call.store->BeginRead();
      if (Status st = CheckPatients(call, *txn, *pair); !st.ok()) return RespondError(respond, st);
    }
    auto result = std::make_shared<UnmergeResult>();
    WriteAsCaller(
        call,
        [in, pair, result](storage::WriteTxn& txn, rest::Actor& actor) {
          return DoUnmerge(txn, actor, *in, pair, result.get());
        },
        [call_ctx = call.ctx, result, respond = std::move(respond)](Status st) {
          if (!st.ok()) return respond(rest::ErrorResponse(st));
          ParametersOut out;
          out.Resource("outcome", rest::InformationOutcomeJson(
                                      "undid the merge Provenance/" + result->merge_id + "; " +
                                      std::to_string(result->undone.changes.size()) +
                                      " resource(s) pointed back"));
          out.Resource("source", result->source.json);
          out.Resource("target", result->target.json);
          out.Resource("provenance", result->provenance.json);
          for (const auto& c : result->undone.changes) {
            out.Reference("updated",
                          c.type + "/" + c.id + "/_history/" + std::to_string(c.version));
          }
          for (const auto& w : result->warnings) out.String("warnings", w);
          respond(rest::JsonResponse(200, out.Finish(), call_ctx));
        });
  }

 private:
  ContextPtr ctx_;
};

}  // namespace

std::unique_ptr<rest::Operation> MakeUnmerge(ContextPtr ctx) {
  return std::make_unique<UnmergeOperation>(std::move(ctx));
}

}  // namespace hb::operations
