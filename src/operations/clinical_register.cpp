// RegisterClinicalOperations and EnsureClinicalResources (operations/clinical_support.h).
#include "common/clock.h"
#include "fhir/vn_systems.h"
#include "operations/clinical_operations.h"
#include "reception/json_out.h"
#include "rest/write_ops.h"

namespace hb::operations {

namespace {

constexpr std::string_view kRouteSystem = "http://healthbook.vn/fhir/CodeSystem/ma-duong-dung";

// The catalogue drug as a Medication (id med-<code>), without a batch.
std::string MedicationJson(const clinical::Drug& d) {
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "Medication");
  j.Put("id", "med-" + d.code);
  j.Key("code");
  j.BeginObject();
  j.Key("coding");
  j.BeginArray();
  j.Coding(fhir::vn::Systems().charge_code, d.code, d.name);
  if (d.ingredients.size() == 1) j.Coding("http://www.whocc.no/atc", d.ingredients[0].atc);
  j.EndArray();
  j.Put("text", d.name);
  j.EndObject();
  j.Put("status", "active");
  if (!d.form.empty()) {
    j.Key("form");
    j.BeginObject();
    j.Put("text", d.form);
    j.EndObject();
  }
  j.Key("extension");
  j.BeginArray();
  j.BeginObject();
  j.Put("url", std::string(kVnExtBase) + "route");
  j.Key("valueCoding");
  j.BeginObject();
  j.Put("system", kRouteSystem);
  j.Put("code", d.route_code);
  j.Put("display", d.route);
  j.EndObject();
  j.EndObject();
  j.EndArray();
  j.Key("ingredient");
  j.BeginArray();
  for (const auto& ing : d.ingredients) {
    j.BeginObject();
    if (ing.max_daily) {
      j.Key("extension");
      j.BeginArray();
      j.BeginObject();
      j.Put("url", std::string(kVnExtBase) + "max-daily-dose");
      j.Key("valueQuantity");
      j.BeginObject();
      j.Key("value");
      j.Number(DecimalText(*ing.max_daily));
      j.Put("unit", ing.unit);
      j.Put("system", "http://unitsofmeasure.org");
      j.Put("code", ing.unit);
      j.EndObject();
      j.EndObject();
      j.EndArray();
    }
    WriteIngredientItem(j, ing);
    j.Key("strength");
    j.BeginObject();
    j.Key("numerator");
    j.BeginObject();
    j.Key("value");
    j.Number(DecimalText(ing.strength));
    j.Put("unit", ing.unit);
    j.Put("system", "http://unitsofmeasure.org");
    j.Put("code", ing.unit);
    j.EndObject();
    j.Key("denominator");
    j.BeginObject();
    j.Key("value");
    j.Number("1");
    j.EndObject();
    j.EndObject();
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.Take();
}

std::string ValueSetJson() {
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "ValueSet");
  j.Put("id", "icd10-vn");
  j.Put("url", kIcd10ValueSetUrl);
  j.Put("name", "VnIcd10");
  j.Put("title", "ICD-10 (QĐ 4469/QĐ-BYT): mọi mã");
  j.Put("status", "active");
  j.Put("publisher", "healthbook");
  j.Key("compose");
  j.BeginObject();
  j.Key("include");
  j.BeginArray();
  j.BeginObject();
  j.Put("system", fhir::vn::Systems().icd10_vn);
  j.EndObject();
  j.EndArray();
  j.EndObject();
  j.EndObject();
  return j.Take();
}

std::string CodeSystemJson(const clinical::IcdCatalog& icd) {
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "CodeSystem");
  j.Put("id", "icd-10-vn");
  j.Put("url", fhir::vn::Systems().icd10_vn);
  j.Put("version", "QĐ 4469/QĐ-BYT 2020");
  j.Put("name", "VnIcd10");
  j.Put("title", "Bảng phân loại quốc tế bệnh tật ICD-10 (QĐ 4469/QĐ-BYT)");
  j.Put("status", "active");
  j.Put("publisher", "Bộ Y tế (Ministry of Health of Viet Nam)");
  j.PutBool("caseSensitive", true);
  j.Put("content", "complete");
  j.PutInt("count", static_cast<int64_t>(icd.terms().size()));
  j.Key("property");
  j.BeginArray();
  j.BeginObject();
  j.Put("code", "icd-mark");
  j.Put("uri", kIcdMarkUrl);
  j.Put("description", "dagger (†: the cause) or asterisk (*: the manifestation, never the main diagnosis)");
  j.Put("type", "code");
  j.EndObject();
  j.EndArray();
  j.Key("concept");
  j.BeginArray();
  for (const auto& t : icd.terms()) {
    j.BeginObject();
    j.Put("code", t.code);
    j.Put("display", t.vi);
    if (!t.en.empty()) {
      j.Key("designation");
      j.BeginArray();
      j.BeginObject();
      j.Put("language", "en");
      j.Put("value", t.en);
      j.EndObject();
      j.EndArray();
    }
    if (t.mark != clinical::IcdMark::kNone) {
      j.Key("property");
      j.BeginArray();
      j.BeginObject();
      j.Put("code", "icd-mark");
      j.Put("valueCode", t.mark == clinical::IcdMark::kDagger ? "dagger" : "asterisk");
      j.EndObject();
      j.EndArray();
    }
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.Take();
}

// Writes `json` (with its id) unless the stored version already has the same content.
Status PutIfChanged(storage::WriteTxn& txn, const std::string& json) {
  HB_ASSIGN_OR_RETURN(auto in, rest::PrepareInput(json, ""));
  const std::string& id = in->input.body_id;
  auto cur = txn.Read(in->input.type, id);
  if (cur.ok() && !cur->deleted) {
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc stored, fhir::ParseJson(cur->json));
    if (stored.IsObject()) stored.RemoveMember("meta");
    HB_ASSIGN_OR_RETURN(fhir::JsonDoc fresh, fhir::ParseJson(json));
    if (fhir::Serialize(stored) == fhir::Serialize(fresh)) return Status::Ok();
  }
  return rest::Update(txn, nullptr, in->input, id, std::nullopt).status();
}

}  // namespace

void RegisterClinicalOperations(rest::FhirService& service, ClinicalContextPtr ctx) {
  AddTerminologyOperations(service, ctx);
  AddVisitOperations(service, ctx);
  AddPrescribingRules(service, ctx);
  AddPrescriptionOperations(service, ctx);
  AddPharmacyOperations(service, ctx);
  AddInpatientOperations(service, ctx);
  AddChartOperation(service, ctx);
}

Status EnsureClinicalResources(storage::ResourceStore& store, const ClinicalContext& ctx,
                               const std::vector<std::string_view>& definitions) {
  std::vector<std::string> docs;
  // The ICD-10 CodeSystem (id icd-10-vn, as `healthbook demo` also writes it): only when absent.
  {
    auto txn = store.BeginRead();
    auto cs = txn->Read("CodeSystem", "icd-10-vn");
    if (!cs.ok() || cs->deleted) docs.push_back(CodeSystemJson(ctx.icd));
  }
  docs.push_back(ValueSetJson());
  for (const auto& d : ctx.formulary.drugs()) docs.push_back(MedicationJson(d));
  for (std::string_view d : definitions) docs.push_back(fhir::vn::RebaseSystems(d));
  return store.WriteSync([&docs](storage::WriteTxn& txn) -> Status {
    for (const auto& json : docs) HB_RETURN_IF_ERROR(PutIfChanged(txn, json));
    return Status::Ok();
  });
}

}  // namespace hb::operations
