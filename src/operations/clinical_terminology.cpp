// ICD-10 for the diagnosis pickers (docs/implementation/clinical.md, "Terminology"):
//   GET ValueSet/$expand?url=http://healthbook.vn/fhir/ValueSet/icd10-vn&filter=TEXT&count=N
//     -> ValueSet.expansion.contains, ranked (clinical/icd_catalog.h), Vietnamese display,
//        English designation, dagger/asterisk mark as an extension;
//   GET CodeSystem/$lookup?system=...&code=... -> Parameters name, display, designation.
#include <algorithm>

#include "claims/price_list.h"
#include "fhir/vn_systems.h"
#include "operations/clinical_operations.h"
#include "search/text_fold.h"
#include "reception/json_out.h"
#include "rest/responses.h"

namespace hb::operations {

namespace {

constexpr int kDefaultCount = 20;
constexpr int kMaxCount = 200;

bool IsIcdSystem(std::string_view s) {
  return s == fhir::vn::Systems().icd10_vn || s == kIcd10AltSystem;
}

std::string_view MarkCode(clinical::IcdMark m) {
  return m == clinical::IcdMark::kDagger     ? "dagger"
         : m == clinical::IcdMark::kAsterisk ? "asterisk"
                                             : "";
}

// The orderable services of the price list (MA_NHOM 1 lab, 2 imaging, 3 functional tests,
// 8 surgery, 18 procedures) valid today at the caller's facility.
void ExpandServices(const ClinicalContextPtr& ctx, const rest::OperationCall& call,
                    const http::Responder& respond, const std::string& filter, int count) {
  const claims::PriceList* prices =
      ctx->options.catalogs ? ctx->options.catalogs->prices : nullptr;
  if (!prices) {
    return RespondStatus(respond, Status(ErrorCode::kUnavailable,
                                         "no price list is loaded (claims.price_list_dir)"));
  }
  std::string facility;
  {
    auto txn = call.store->BeginRead();
    facility = FacilityCodeOf(*txn, call.principal->facility_org, ctx->options.facility_code);
  }
  const std::string today = TodayIso(ctx->options.utc_offset_minutes);
  const int day = std::stoi(today.substr(0, 4) + today.substr(5, 2) + today.substr(8, 2));
  const std::string folded = search::FoldText(filter);
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "ValueSet");
  j.Put("url", kServiceValueSetUrl);
  j.Put("status", "active");
  j.Put("title", "Danh mục dịch vụ kỹ thuật chỉ định được (bảng giá của cơ sở)");
  j.Key("expansion");
  j.BeginObject();
  j.Put("timestamp", NowDateTime(ctx->options.utc_offset_minutes));
  j.Key("contains");
  j.BeginArray();
  int n = 0;
  for (const claims::PriceItem* item : prices->ValidOn(facility, day)) {
    if (item->kind != claims::ItemKind::kService || n >= count) continue;
    std::string_view category = item->group == 1   ? "lab"
                                : item->group == 2 ? "imaging"
                                : (item->group == 3 || item->group == 8 || item->group == 18)
                                    ? "procedure"
                                    : "";
    if (category.empty()) continue;  // examinations, bed days: not ordered
    if (!folded.empty() && search::FoldText(item->local_code).find(folded) != 0 &&
        search::FoldText(item->name).find(folded) == std::string::npos) {
      continue;
    }
    ++n;
    j.BeginObject();
    j.Key("extension");
    j.BeginArray();
    j.BeginObject();
    j.Put("url", std::string(kVnExtBase) + "unit-price");
    j.Key("valueMoney");
    j.BeginObject();
    j.Key("value");
    j.Number(item->price.ToString());
    j.Put("currency", "VND");
    j.EndObject();
    j.EndObject();
    j.Extension(std::string(kVnExtBase) + "service-category", "valueCode", category);
    j.EndArray();
    j.Put("system", fhir::vn::Systems().charge_code);
    j.Put("code", item->local_code);
    j.Put("display", item->name);
    j.EndObject();
  }
  j.EndArray();
  j.PutInt("total", n);
  j.EndObject();
  j.EndObject();
  respond(rest::JsonResponse(200, j.Take(), call.ctx));
}

void Expand(const ClinicalContextPtr& ctx, rest::OperationCall call, http::Responder respond) {
  auto in = ClinicalParams::Read(call);
  if (!in.ok()) return RespondStatus(respond, in.status());
  std::string url = in->Get("url").value_or("");
  if (url == kServiceValueSetUrl) {
    auto count = in->Number("count");
    if (!count.ok()) return RespondStatus(respond, count.status());
    int c = count->has_value() ? static_cast<int>(std::clamp(**count, 1.0, double(kMaxCount)))
                               : kMaxCount;
    return ExpandServices(ctx, call, respond, in->Get("filter").value_or(""),
                          std::clamp(c, 1, kMaxCount));
  }
  if (url != kIcd10ValueSetUrl) {
    return RespondStatus(
        respond, Status(ErrorCode::kNotFound,
                        "this server expands the ValueSets " + std::string(kIcd10ValueSetUrl) + " and " +
                            std::string(kServiceValueSetUrl) +
                            (url.empty() ? " (give it as 'url')" : ", not " + url)));
  }
  std::string filter = in->Get("filter").value_or("");
  auto count_in = in->Number("count");
  if (!count_in.ok()) return RespondStatus(respond, count_in.status());
  int count = count_in->has_value()
                  ? static_cast<int>(std::clamp(**count_in, 1.0, double(kMaxCount)))
                  : kDefaultCount;
  if (count < 1) count = 1;
  if (count > kMaxCount) count = kMaxCount;
  auto terms = ctx->icd.Search(filter, static_cast<size_t>(count));
  const std::string& system = fhir::vn::Systems().icd10_vn;
  reception::JsonOut j;
  j.BeginObject();
  j.Put("resourceType", "ValueSet");
  j.Put("url", kIcd10ValueSetUrl);
  j.Put("status", "active");
  j.Put("name", "VnIcd10");
  j.Put("title", "ICD-10 (QĐ 4469/QĐ-BYT)");
  j.Key("expansion");
  j.BeginObject();
  j.Put("timestamp", NowDateTime(ctx->options.utc_offset_minutes));
  j.PutInt("total", static_cast<int64_t>(terms.size()));
  j.Key("parameter");
  j.BeginArray();
  j.BeginObject();
  j.Put("name", "filter");
  j.Put("valueString", filter);
  j.EndObject();
  j.BeginObject();
  j.Put("name", "count");
  j.PutInt("valueInteger", count);
  j.EndObject();
  j.EndArray();
  j.Key("contains");
  j.BeginArray();
  for (const auto* t : terms) {
    j.BeginObject();
    if (!MarkCode(t->mark).empty()) {
      j.Key("extension");
      j.BeginArray();
      j.Extension(kIcdMarkUrl, "valueCode", MarkCode(t->mark));
      j.EndArray();
    }
    j.Put("system", system);
    j.Put("code", t->code);
    j.Put("display", t->vi);
    if (!t->en.empty()) {
      j.Key("designation");
      j.BeginArray();
      j.BeginObject();
      j.Put("language", "en");
      j.Put("value", t->en);
      j.EndObject();
      j.EndArray();
    }
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.EndObject();
  respond(rest::JsonResponse(200, j.Take(), call.ctx));
}

void Lookup(const ClinicalContextPtr& ctx, rest::OperationCall call, http::Responder respond) {
  auto in = ClinicalParams::Read(call);
  if (!in.ok()) return RespondStatus(respond, in.status());
  std::string system = in->Get("system").value_or("");
  auto code = in->Required("code");
  if (!code.ok()) return RespondStatus(respond, code.status());
  if (!IsIcdSystem(system)) {
    return RespondStatus(respond, Status(ErrorCode::kNotFound,
                                         "this server looks up ICD-10 codes only (system " +
                                             fhir::vn::Systems().icd10_vn + ")"));
  }
  const clinical::IcdTerm* t = ctx->icd.Find(*code);
  if (!t) {
    return RespondStatus(respond, Status(ErrorCode::kNotFound,
                                         "mã " + *code + " không có trong ICD-10 (QĐ 4469)"));
  }
  ParametersOut out;
  out.String("name", "ICD-10 (QĐ 4469/QĐ-BYT)");
  out.String("version", "QĐ 4469/QĐ-BYT 2020");
  out.String("display", t->vi);
  out.Code("code", t->code);
  out.BeginPart("designation");
  out.Code("language", "en");
  out.String("value", t->en);
  out.EndPart();
  if (!MarkCode(t->mark).empty()) {
    out.BeginPart("property");
    out.Code("code", "icd-mark");
    out.Code("value", MarkCode(t->mark));
    out.EndPart();
  }
  respond(rest::JsonResponse(200, out.Finish(), call.ctx));
}

}  // namespace

void AddTerminologyOperations(rest::FhirService& service, ClinicalContextPtr ctx) {
  service.AddOperation(MakeClinicalOperation(
      "expand",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kType && t == "ValueSet";
      },
      true, [ctx](rest::OperationCall c, http::Responder r) { Expand(ctx, std::move(c), std::move(r)); }));
  service.AddOperation(MakeClinicalOperation(
      "lookup",
      [](rest::OperationLevel l, std::string_view t) {
        return l == rest::OperationLevel::kType && t == "CodeSystem";
      },
      true, [ctx](rest::OperationCall c, http::Responder r) { Lookup(ctx, std::move(c), std::move(r)); }));
}

}  // namespace hb::operations
