#include "operations/clinical_support.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "common/clock.h"
#include "fhir/vn_systems.h"
#include "reception/candidate_search.h"
#include "reception/json_out.h"
#include "rest/outcome.h"
#include "rest/write_rules.h"

namespace hb::operations {

namespace {

class FunctionOperation : public rest::Operation {
 public:
  FunctionOperation(std::string name,
                    std::function<bool(rest::OperationLevel, std::string_view)> serves,
                    bool allows_get, ClinicalRun run)
      : name_(std::move(name)),
        definition_("https://fhir.healthbook.vn/OperationDefinition/" + name_),
        serves_(std::move(serves)),
        allows_get_(allows_get),
        run_(std::move(run)) {}
  std::string_view Name() const override { return name_; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return serves_(level, type);
  }
  bool AllowsGet() const override { return allows_get_; }
  std::string_view Definition() const override { return definition_; }
  void Run(rest::OperationCall call, http::Responder respond) const override {
    run_(std::move(call), std::move(respond));
  }

 private:
  std::string name_, definition_;
  std::function<bool(rest::OperationLevel, std::string_view)> serves_;
  bool allows_get_;
  ClinicalRun run_;
};

// value[x] of a Parameters.parameter as text.
std::optional<std::string> ValueText(const fhir::JsonValue& p) {
  for (auto it = p.MemberBegin(); it != p.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (!key.starts_with("value")) continue;
    const fhir::JsonValue& v = it->value;
    if (fhir::IsNumber(v)) return std::string(fhir::NumberText(v));
    if (fhir::IsString(v)) return std::string(fhir::StringView(v));
    if (v.IsBool()) return std::string(v.GetBool() ? "true" : "false");
    if (v.IsObject()) {
      if (key == "valueReference") return std::string(fhir::MemberString(v, "reference"));
      if (key == "valueCoding") return std::string(fhir::MemberString(v, "code"));
      if (key == "valueCodeableConcept") return std::string(CodeOf(&v));
      if (key == "valueQuantity") {
        const fhir::JsonValue* n = fhir::Member(v, "value");
        if (n && fhir::IsNumber(*n)) return std::string(fhir::NumberText(*n));
      }
    }
  }
  return std::nullopt;
}

std::string LocalIso(int64_t micros, int offset_minutes, bool with_time) {
  std::time_t secs = static_cast<std::time_t>(micros / 1000000 + offset_minutes * 60);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  if (!with_time) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf + UtcOffsetText(offset_minutes);
}

}  // namespace

Result<ClinicalContextPtr> MakeClinicalContext(ClinicalOptions options) {
  auto ctx = std::make_shared<ClinicalContext>();
  HB_ASSIGN_OR_RETURN(ctx->icd, clinical::IcdCatalog::Load(options.icd10_csv));
  HB_ASSIGN_OR_RETURN(ctx->formulary,
                      clinical::Formulary::Load(clinical::EmbeddedFormularyCsv(),
                                                clinical::EmbeddedInteractionsCsv(),
                                                options.extra_interactions_csv));
  ctx->options = std::move(options);
  return ClinicalContextPtr(std::move(ctx));
}

Result<ClinicalParams> ClinicalParams::Read(const rest::OperationCall& call) {
  ClinicalParams p;
  if (call.req.method == "GET" || call.req.method == "HEAD") {
    p.from_query_ = true;
    p.query_ = call.ctx.query;
    return p;
  }
  std::string_view body = call.req.body;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) body = R"({"resourceType":"Parameters"})";
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(body));
  if (!doc.IsObject() || fhir::MemberString(doc, "resourceType") != "Parameters") {
    return Status(ErrorCode::kInvalidArgument, "the body must be a Parameters resource");
  }
  p.doc_ = std::make_shared<fhir::JsonDoc>(std::move(doc));
  return p;
}

std::vector<std::string> ClinicalParams::All(std::string_view name) const {
  std::vector<std::string> out;
  if (from_query_) {
    for (const auto& [k, v] : query_) {
      if (k == name) out.push_back(v);
    }
    return out;
  }
  const fhir::JsonValue* ps = fhir::Member(*doc_, "parameter");
  if (!ps || !ps->IsArray()) return out;
  for (const auto& p : ps->GetArray()) {
    if (fhir::MemberString(p, "name") != name) continue;
    if (auto t = ValueText(p)) out.push_back(std::move(*t));
  }
  return out;
}

std::optional<std::string> ClinicalParams::Get(std::string_view name) const {
  auto all = All(name);
  if (all.empty() || all.front().empty()) return std::nullopt;
  return all.front();
}

Result<std::string> ClinicalParams::Required(std::string_view name) const {
  auto v = Get(name);
  if (!v) {
    return Status(ErrorCode::kInvalidArgument,
                  "the parameter '" + std::string(name) + "' is required", "Parameters.parameter");
  }
  return *v;
}

Result<std::optional<double>> ClinicalParams::Number(std::string_view name) const {
  auto v = Get(name);
  if (!v) return std::optional<double>();
  size_t used = 0;
  double d = 0;
  try {
    d = std::stod(*v, &used);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != v->size() || !std::isfinite(d)) {  // "nan", "inf" are no amounts
    return Status(ErrorCode::kInvalidArgument,
                  "the parameter '" + std::string(name) + "' must be a finite number, got '" + *v + "'",
                  "Parameters.parameter");
  }
  return std::optional<double>(d);
}

std::vector<const fhir::JsonValue*> ClinicalParams::Resources(std::string_view name) const {
  std::vector<const fhir::JsonValue*> out;
  if (from_query_) return out;
  const fhir::JsonValue* ps = fhir::Member(*doc_, "parameter");
  if (!ps || !ps->IsArray()) return out;
  for (const auto& p : ps->GetArray()) {
    if (fhir::MemberString(p, "name") != name) continue;
    if (const fhir::JsonValue* r = fhir::Member(p, "resource")) out.push_back(r);
  }
  return out;
}

Result<storage::ResourceVersion> ReadLive(storage::ReadTxn& txn, std::string_view type,
                                          std::string_view id) {
  auto v = txn.Read(type, id);
  if (!v.ok() || v->deleted) {
    if (v.ok() || v.status().code() == ErrorCode::kNotFound) {
      return Status(ErrorCode::kNotFound, std::string(type) + "/" + std::string(id) + " not found");
    }
    return v.status();
  }
  return v;
}

Result<fhir::JsonDoc> ReadLiveDoc(storage::ReadTxn& txn, std::string_view type,
                                  std::string_view id) {
  HB_ASSIGN_OR_RETURN(auto v, ReadLive(txn, type, id));
  return fhir::ParseJson(v.json);
}

Result<std::vector<storage::ResourceVersion>> Find(
    storage::ReadTxn& txn, std::string_view type,
    const std::vector<std::pair<std::string, std::string>>& params, int count) {
  return reception::SearchResources(txn, type, params, count);
}

std::string NowDateTime(int utc_offset_minutes) {
  return LocalIso(NowMicros(), utc_offset_minutes, true);
}

std::string TodayIso(int utc_offset_minutes) {
  return LocalIso(NowMicros(), utc_offset_minutes, false);
}

std::string FacilityCodeOf(storage::ReadTxn& txn, std::string_view org_id,
                           std::string_view fallback) {
  if (org_id.empty()) return std::string(fallback);
  auto org = ReadLiveDoc(txn, "Organization", org_id);
  if (!org.ok()) return std::string(fallback);
  std::string_view code = claims::IdentifierIn(*org, fhir::vn::Systems().facility);
  return std::string(code.empty() ? fallback : code);
}

void WriteIngredientItem(reception::JsonOut& j, const clinical::Ingredient& ing) {
  j.Key("itemCodeableConcept");
  j.BeginObject();
  j.Key("coding");
  j.BeginArray();
  j.Coding("http://www.whocc.no/atc", ing.atc, ing.name);
  j.EndArray();
  j.Put("text", ing.name);
  j.EndObject();
  j.PutBool("isActive", true);
}

std::string DecimalText(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string Quote(std::string_view s) {
  reception::JsonOut j;
  j.Str(s);
  return j.Take();
}

namespace {

Result<fhir::JsonValue> ValueIn(fhir::JsonDoc& doc, std::string_view json) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc part, fhir::ParseJson(json));
  fhir::JsonValue v;
  v.CopyFrom(part, doc.GetAllocator());
  return v;
}

}  // namespace

Status SetMember(fhir::JsonDoc& doc, fhir::JsonValue& obj, std::string_view key,
                 std::string_view json) {
  HB_ASSIGN_OR_RETURN(fhir::JsonValue v, ValueIn(doc, json));
  if (fhir::JsonValue* existing = fhir::Member(obj, key)) {
    *existing = std::move(v);
    return Status::Ok();
  }
  fhir::JsonValue name(key.data(), static_cast<rapidjson::SizeType>(key.size()),
                       doc.GetAllocator());
  obj.AddMember(name, v, doc.GetAllocator());
  return Status::Ok();
}

Status AppendMember(fhir::JsonDoc& doc, fhir::JsonValue& obj, std::string_view key,
                    std::string_view json) {
  HB_ASSIGN_OR_RETURN(fhir::JsonValue v, ValueIn(doc, json));
  fhir::JsonValue* arr = fhir::Member(obj, key);
  if (!arr || !arr->IsArray()) {
    HB_RETURN_IF_ERROR(SetMember(doc, obj, key, "[]"));
    arr = fhir::Member(obj, key);
  }
  arr->PushBack(v, doc.GetAllocator());
  return Status::Ok();
}

Status AddParticipant(fhir::JsonDoc& encounter, const rest::Actor& actor, std::string_view code,
                      std::string_view display) {
  if (!actor.principal || actor.principal->practitioner.empty()) return Status::Ok();
  const std::string ref = "Practitioner/" + actor.principal->practitioner;
  if (const fhir::JsonValue* ps = fhir::Member(encounter, "participant"); ps && ps->IsArray()) {
    for (const auto& p : ps->GetArray()) {
      if (StrAt(p, {"individual", "reference"}) == ref) return Status::Ok();
    }
  }
  reception::JsonOut j;
  j.BeginObject();
  j.Key("type");
  j.BeginArray();
  j.BeginObject();
  j.Key("coding");
  j.BeginArray();
  j.Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code, display);
  j.EndArray();
  j.EndObject();
  j.EndArray();
  j.PutReference("individual", ref);
  j.EndObject();
  return AppendMember(encounter, encounter, "participant", j.Take());
}

std::string RefJson(std::string_view ref, std::string_view display) {
  reception::JsonOut j;
  j.BeginObject();
  j.Put("reference", ref);
  if (!display.empty()) j.Put("display", display);
  j.EndObject();
  return j.Take();
}

std::unique_ptr<rest::Operation> MakeClinicalOperation(
    std::string name, std::function<bool(rest::OperationLevel, std::string_view)> serves,
    bool allows_get, ClinicalRun run) {
  return std::make_unique<FunctionOperation>(std::move(name), std::move(serves), allows_get,
                                             std::move(run));
}

void RespondStatus(const http::Responder& respond, const Status& st) {
  respond(rest::ErrorResponse(st));
}

bool PermitClinical(const rest::OperationCall& call, const http::Responder& respond,
                    std::string_view type, access::Op op) {
  return Permit(call, respond, call.policy->CheckInteraction(*call.principal, type, op),
                type);
}

}  // namespace hb::operations
