#include "app/clinical_runtime.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "clinical/eprescription_client.h"
#include "clinical/vn_definitions.h"
#include "common/embedded.h"
#include "operations/clinical_support.h"

HB_EMBEDDED(hb_catalog_icd10)

namespace hb::app {

Status StartClinical(const Config& cfg, const std::string& data_dir, storage::ResourceStore& store,
                     rest::FhirService& fhir, jobs::OutboxWorker& outbox,
                     const claims::Catalogs* catalogs) {
  operations::ClinicalOptions o;
  o.facility_code = cfg.facility_code;
  o.facility_name = cfg.facility_name;
  o.utc_offset_minutes = cfg.reception_utc_offset_minutes;
  o.icd10_csv = hb_catalog_icd10_view();
  o.catalogs = catalogs;
  const std::string extra = data_dir + "/drug-interactions.csv";
  if (std::ifstream in(extra); in) {
    std::stringstream ss;
    ss << in.rdbuf();
    o.extra_interactions_csv = ss.str();
    spdlog::info("drug interactions: the facility's table {} is added to the built-in one", extra);
  }
  if (cfg.eprescription_url.empty()) o.eprescription_topic.clear();
  const std::string topic = o.eprescription_topic;
  HB_ASSIGN_OR_RETURN(operations::ClinicalContextPtr ctx, operations::MakeClinicalContext(std::move(o)));
  operations::RegisterClinicalOperations(fhir, ctx);
  HB_RETURN_IF_ERROR(
      operations::EnsureClinicalResources(store, *ctx, clinical::VnStructureDefinitions()));
  if (!topic.empty()) {
    clinical::EPrescriptionOptions eo;
    eo.url = cfg.eprescription_url;
    eo.path = cfg.eprescription_path;
    eo.token = cfg.eprescription_token;
    eo.timeout = std::chrono::milliseconds(cfg.eprescription_timeout_ms);
    outbox.Register(topic, [eo](const storage::OutboxItem& item) {
      clinical::SendResult r = clinical::SendPrescription(eo, item.payload);
      jobs::DeliveryResult d;
      d.detail = r.detail;
      d.outcome = r.outcome == clinical::SendOutcome::kDelivered ? jobs::Delivery::kDelivered
                  : r.outcome == clinical::SendOutcome::kRefused ? jobs::Delivery::kFailed
                                                                 : jobs::Delivery::kRetry;
      return d;
    });
  } else {
    spdlog::info("e-prescriptions are not sent: clinical.eprescription_url is empty");
  }
  return Status::Ok();
}

}  // namespace hb::app
