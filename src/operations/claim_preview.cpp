// GET Encounter/{id}/$claim-preview?schema=4750|3176 (claim_operations.h): the claim of an
// episode as tables for people to read before or after it goes (the claims work list's
// preview), with every problem the builder and the validator find. Not signed, nothing is
// queued. Answer (application/json):
//   {"ma_lk":"11011_e1","schema":"4750",
//    "tables":[{"table":"XML1","columns":[{"name":"MA_LK","description":"…"}],"rows":[["…"]]}],
//    "errors":[{"table","row","field","rule","value","vi","en"}]}
// The column descriptions are the official ones of QĐ 4750 (resources/catalogs/claims/qd4750).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "operations/claim_operations.h"
#include "operations/op_support.h"
#include "rest/outcome.h"

namespace hb::operations {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string PreviewJson(const claims::ClaimPreview& p) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Str(w, "ma_lk", p.record.ma_lk);
  Str(w, "schema", claims::SchemaName(p.record.version));
  w.Key("tables");
  w.StartArray();
  for (const claims::TableRows& t : p.record.tables) {
    w.StartObject();
    Str(w, "table", t.def->loaihoso);
    w.Key("columns");
    w.StartArray();
    for (const claims::FieldDef& f : t.def->fields) {
      w.StartObject();
      Str(w, "name", f.name);
      Str(w, "description", f.description);
      w.EndObject();
    }
    w.EndArray();
    w.Key("rows");
    w.StartArray();
    for (const auto& row : t.rows) {
      w.StartArray();
      for (const std::string& v : row)
        w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("errors");
  w.StartArray();
  for (const claims::ClaimError& e : p.errors) {
    w.StartObject();
    Str(w, "table", e.table);
    w.Key("row");
    w.Int(e.row);
    Str(w, "field", e.field);
    Str(w, "rule", e.rule);
    Str(w, "value", e.value);
    Str(w, "vi", e.message_vi);
    Str(w, "en", e.message_en);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

class ClaimPreviewOperation : public EncounterClaimOperation {
 public:
  explicit ClaimPreviewOperation(std::shared_ptr<const ClaimOperationsContext> ctx)
      : EncounterClaimOperation(std::move(ctx), "claim-preview", /*allows_get=*/true) {}

 protected:
  void RunGranted(rest::OperationCall call, http::Responder respond,
                  const ClaimGrant& grant) const override {
    auto v = RequestedSchema(call, ctx());
    if (!v.ok()) return respond(rest::ErrorResponse(v.status()));
    auto txn = call.store->BeginRead();
    auto preview = ctx().service->Preview(*txn, call.id, *v);
    txn.reset();
    if (!preview.ok()) return respond(rest::ErrorResponse(preview.status()));
    AuditClaim(call, "R", grant);
    http::Response r;
    r.status = 200;
    r.content_type = "application/json; charset=utf-8";
    r.body = PreviewJson(*preview);
    respond(std::move(r));
  }
};

}  // namespace

std::unique_ptr<rest::Operation> MakeClaimPreview(
    std::shared_ptr<const ClaimOperationsContext> ctx) {
  return std::make_unique<ClaimPreviewOperation>(std::move(ctx));
}

}  // namespace hb::operations
