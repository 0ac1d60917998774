#include "demo/demo_province.h"

#include "demo/catalogs.h"
#include "demo/clinical.h"
#include "demo/clinical_setup.h"
#include "demo/clinical_catalog.h"
#include "demo/context.h"
#include "demo/facilities.h"
#include "demo/life_course.h"
#include "demo/patients.h"
#include "demo/practitioners.h"

namespace hb::demo {

namespace {
constexpr std::string_view kProvinceCode = "11";  // Điện Biên
}  // namespace

size_t DemoSummary::Count(std::string_view resource_type) const {
  auto it = counts.find(resource_type);
  return it == counts.end() ? 0 : it->second;
}

size_t DemoSummary::Total() const {
  size_t total = 0;
  for (const auto& [type, n] : counts) total += n;
  return total;
}

Status BuildDemoProvince(const DemoOptions& options, const Catalogs& catalogs, const Sink& sink,
                         DemoSummary* summary) {
  if (options.patients < 0)
    return Status(ErrorCode::kInvalidArgument, "demo: patients must be >= 0");
  HB_ASSIGN_OR_RETURN(const Province province,
                      LoadProvince(catalogs.admin_units_csv, kProvinceCode));
  std::vector<std::string_view> codes(DiagnosisCodes().begin(), DiagnosisCodes().end());
  if (options.lifelong) codes.insert(codes.end(), LifeCourseCodes().begin(), LifeCourseCodes().end());
  HB_ASSIGN_OR_RETURN(const auto icd, LoadIcdCodes(catalogs.icd10_csv, codes));

  DemoSummary local;
  DemoSummary& counts = summary ? *summary : local;
  counts.counts.clear();
  Emitter emitter(sink, counts);
  DemoContext ctx{fhir::vn::Systems(), province, icd, emitter, {}, {}, {}, {}, 0, 0, 0, {},
                  options.lifelong, options.seed};

  PlanFacilities(ctx);
  HB_RETURN_IF_ERROR(EmitFacilities(ctx));
  HB_RETURN_IF_ERROR(EmitStaff(ctx, options.seed));
  HB_RETURN_IF_ERROR(EmitClinicalSetup(ctx));  // wards, beds, pharmacy stock (clinical_setup.h)
  for (int i = 1; i <= options.patients; ++i) {
    Rng rng(StreamSeed(options.seed, "patient", static_cast<uint64_t>(i)));
    HB_ASSIGN_OR_RETURN(const PatientRecord patient, EmitPatient(ctx, i, rng));
    HB_RETURN_IF_ERROR(EmitClinicalHistory(ctx, patient, rng));
    HB_RETURN_IF_ERROR(EmitPatientAllergies(ctx, i, patient.id, patient.name));
  }
  return Status::Ok();
}

}  // namespace hb::demo
