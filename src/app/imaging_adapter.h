// The PACS link's composition: follows Orthanc's change feed and keeps the DICOM worklist,
// on a background thread of `healthbook serve` (docs/implementation/imaging.md).
//
// The imaging module holds the pure mappings and the two I/O edges (Orthanc client, worklist
// files); it may not use rest/, so the glue lives here: every write goes through
// rest::FhirService as the integration principal "client:imaging-orthanc" (system role), so
// validation, conditional updates, reference rewriting and the audit trail are the ones every
// client gets. Reads of orders go to the store directly (no patient data leaves the server).
//
// Thread-safety: construct, then Start/Stop from the owning thread; OnCommit from the
// store's writer thread (it only queues ids and wakes the worker). Ownership: borrows the
// store and the service, which must outlive Stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "imaging/orthanc_client.h"
#include "imaging/study_bundle.h"
#include "rest/fhir_service.h"
#include "storage/resource_store.h"

namespace hb::app {

struct Config;

struct ImagingOptions {
  imaging::OrthancOptions orthanc;
  imaging::PacsLinks pacs;
  std::string worklist_dir;  // empty: no worklist files
  std::string station_ae;
  std::string utc_offset = "+07:00";
  std::chrono::milliseconds poll = std::chrono::milliseconds(500);
};

// The options from the configuration (imaging.*); orthanc.url is empty when imaging is off.
ImagingOptions ImagingOptionsFrom(const Config& cfg);

class ImagingAdapter {
 public:
  ImagingAdapter(ImagingOptions options, storage::ResourceStore& store, rest::FhirService& fhir);
  ~ImagingAdapter();
  ImagingAdapter(const ImagingAdapter&) = delete;
  ImagingAdapter& operator=(const ImagingAdapter&) = delete;

  void Start();
  void Stop();  // finishes the study in hand; idempotent
  // From the store's commit listener: ServiceRequests among `keys` are re-checked.
  void OnCommit(const std::vector<storage::ResourceKey>& keys);

 private:
  struct Reply {
    int status = 0;
    std::string body;
  };
  Reply Fhir(std::string method, std::string target, std::string body = {});
  void Loop();
  bool Prepare();        // Endpoint written, cursor loaded, worklist re-synced
  Status PollChanges();  // until Orthanc says done
  Status ImportStudy(const std::string& orthanc_id);
  std::string FindOne(const std::string& type, const std::string& identifier);
  void SyncOrder(const std::string& id);
  void SyncAllOrders();

  const ImagingOptions options_;
  storage::ResourceStore& store_;
  rest::FhirService& fhir_;
  imaging::OrthancClient orthanc_;  // used by the worker thread only
  int64_t cursor_ = 0;
  bool prepared_ = false;
  std::string last_error_;  // logged once until it changes, not every poll

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::set<std::string> dirty_orders_;
  std::thread thread_;
};

}  // namespace hb::app
