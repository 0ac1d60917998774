// What the clinical operations share (docs/implementation/clinical.md): their context (the
// ICD-10 catalogue, the drug formulary, the facility), a Parameters reader that keeps
// repeated parameters, small readers of stored resources, and the factory of operations
// defined by a function.
//
//   GET  ValueSet/$expand, CodeSystem/$lookup        clinical_terminology.cpp
//   POST Encounter/$validate-diagnoses, Encounter/{id}/$close-visit     clinical_visit.cpp
//   POST MedicationRequest/$check, write rules (vitals, orders, prescriptions)  clinical_rules.cpp
//   GET  MedicationRequest/$print, Encounter/{id}/$prescription        clinical_prescription.cpp
//   POST Medication/$receive, MedicationRequest/{id}/$dispense, Medication/$stock-count,
//   GET  Medication/$stock                                              clinical_pharmacy.cpp
//   POST Encounter/{id}/$admit, $transfer, $discharge; GET Location/$occupancy  clinical_inpatient.cpp
//   GET  Patient/{id}/$chart                                            clinical_chart.cpp
//
// Thread-safety: the context is immutable after registration.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "claims/costing.h"
#include "claims/fhir_read.h"
#include "clinical/formulary.h"
#include "clinical/icd_catalog.h"
#include "fhir/json.h"
#include "operations/op_support.h"
#include "reception/json_out.h"
#include "rest/fhir_service.h"
#include "rest/responses.h"

namespace hb::operations {

struct ClinicalOptions {
  std::string facility_code = "11001";  // MA_CSKCB used when a caller's facility has none
  std::string facility_name;
  int utc_offset_minutes = 420;
  std::string_view icd10_csv;            // resources/catalogs/icd10-vn-qd4469.csv
  std::string extra_interactions_csv;    // <data>/drug-interactions.csv, may be empty
  std::string eprescription_topic = "eprescription";  // outbox topic; empty: not sent
  const claims::Catalogs* catalogs = nullptr;  // the price list orders are priced from; may be null
};

struct ClinicalContext {
  ClinicalOptions options;
  clinical::IcdCatalog icd;
  clinical::Formulary formulary;
};
using ClinicalContextPtr = std::shared_ptr<const ClinicalContext>;

Result<ClinicalContextPtr> MakeClinicalContext(ClinicalOptions options);
// The operations and the write rules (rest/write_rules.h) of the clinical workspace.
void RegisterClinicalOperations(rest::FhirService& service, ClinicalContextPtr ctx);
// Writes the reference resources the screens read when missing or changed: the ICD-10
// CodeSystem and its ValueSet, the drug catalogue as Medication resources (med-<code>),
// and the Vietnamese StructureDefinitions of resources/fhir/vn (`definitions`: their JSON).
Status EnsureClinicalResources(storage::ResourceStore& store, const ClinicalContext& ctx,
                               const std::vector<std::string_view>& definitions);

// A Parameters body (or a GET query) with repeated parameters kept.
class ClinicalParams {
 public:
  static Result<ClinicalParams> Read(const rest::OperationCall& call);
  // value[x] of every parameter `name` as text (strings, codes, dates, numbers, references).
  std::vector<std::string> All(std::string_view name) const;
  std::optional<std::string> Get(std::string_view name) const;
  Result<std::string> Required(std::string_view name) const;
  // A number (valueDecimal, valueInteger, valueQuantity.value or a query value).
  Result<std::optional<double>> Number(std::string_view name) const;
  // The `resource` of each parameter `name`.
  std::vector<const fhir::JsonValue*> Resources(std::string_view name) const;

 private:
  std::shared_ptr<fhir::JsonDoc> doc_;
  std::vector<std::pair<std::string, std::string>> query_;
  bool from_query_ = false;
};

// The current, live resource; kNotFound (naming it) when absent or deleted.
Result<storage::ResourceVersion> ReadLive(storage::ReadTxn& txn, std::string_view type,
                                          std::string_view id);
Result<fhir::JsonDoc> ReadLiveDoc(storage::ReadTxn& txn, std::string_view type,
                                  std::string_view id);
// Search with parameters (search syntax), up to `count` matches.
Result<std::vector<storage::ResourceVersion>> Find(
    storage::ReadTxn& txn, std::string_view type,
    const std::vector<std::pair<std::string, std::string>>& params, int count = 1000);
// Nested member lookup (claims/fhir_read.h, shared): At(r, {"a", "b"}), its string, and the
// code of a CodeableConcept's first coding with `system` (any when empty).
using claims::At;
inline std::string_view StrAt(const fhir::JsonValue& v,
                              std::initializer_list<std::string_view> path) {
  return claims::Str(v, path);
}
inline std::string_view CodeOf(const fhir::JsonValue* concept_value, std::string_view system = {}) {
  return claims::CodeIn(concept_value, system);
}
// Now as a FHIR dateTime at the facilities' offset; today as YYYY-MM-DD.
std::string NowDateTime(int utc_offset_minutes);
std::string TodayIso(int utc_offset_minutes);
// The MA_CSKCB of an Organization (Systems().facility identifier); `fallback` when none.
std::string FacilityCodeOf(storage::ReadTxn& txn, std::string_view org_id,
                           std::string_view fallback);
// Medication.ingredient's itemCodeableConcept (ATC) and isActive, inside an open object.
void WriteIngredientItem(reception::JsonOut& j, const clinical::Ingredient& ing);
// Decimal text for a quantity ("2", "1.5").
std::string DecimalText(double v);
// A JSON string literal (quotes included, escaped).
std::string Quote(std::string_view s);

// Editing a parsed resource: `json` is a JSON value as text (numbers kept as FHIR decimals).
Status SetMember(fhir::JsonDoc& doc, fhir::JsonValue& obj, std::string_view key,
                 std::string_view json);
Status AppendMember(fhir::JsonDoc& doc, fhir::JsonValue& obj, std::string_view key,
                    std::string_view json);
// Adds the caller's practitioner (if any, and not there yet) to Encounter.participant with
// a v3-ParticipationType code (ATND attender, ADM admitter, DIS discharger).
Status AddParticipant(fhir::JsonDoc& encounter, const rest::Actor& actor, std::string_view code,
                      std::string_view display);
// A `reference` object as JSON text: {"reference": ref, "display": display}.
std::string RefJson(std::string_view ref, std::string_view display = {});

// An operation defined by its name, where it is served and a function.
using ClinicalRun = std::function<void(rest::OperationCall call, http::Responder respond)>;
std::unique_ptr<rest::Operation> MakeClinicalOperation(
    std::string name, std::function<bool(rest::OperationLevel, std::string_view)> serves,
    bool allows_get, ClinicalRun run);

// Answers `status` as an OperationOutcome (error) or the work's own response.
void RespondStatus(const http::Responder& respond, const Status& st);

// Checks that the caller may do `op` on `type` (the policy's scope and role rules).
bool PermitClinical(const rest::OperationCall& call, const http::Responder& respond,
                    std::string_view type, access::Op op);

// A write operation: reads the call's Parameters, checks `op` on `type`, runs `work` on the
// store's writer as the caller (one transaction), then answers 200 with `answer(out)`, or the
// error as an OperationOutcome.
template <typename Out>
using ClinicalWork = std::function<Status(storage::WriteTxn&, rest::Actor&, const ClinicalParams&,
                                          const std::string& id, Out*)>;
template <typename Out>
void RunClinicalWrite(rest::OperationCall call, http::Responder respond, std::string_view type,
                      access::Op op, ClinicalWork<Out> work,
                      std::function<std::string(const Out&)> answer) {
  if (!PermitClinical(call, respond, type, op)) return;
  auto in = ClinicalParams::Read(call);
  if (!in.ok()) return RespondStatus(respond, in.status());
  auto params = std::make_shared<ClinicalParams>(std::move(in).value());
  auto out = std::make_shared<Out>();
  WriteAsCaller(
      call,
      [params, out, work = std::move(work), id = call.id](storage::WriteTxn& txn,
                                                          rest::Actor& actor) {
        return work(txn, actor, *params, id, out.get());
      },
      [out, answer = std::move(answer), call_ctx = call.ctx,
       respond = std::move(respond)](Status st) {
        if (!st.ok()) return RespondStatus(respond, st);
        respond(rest::JsonResponse(200, answer(*out), call_ctx));
      });
}


}  // namespace hb::operations
