// Delivery of claims through the outbox (storage/resource_store.h, jobs/outbox_worker.h).
//
// Queueing: when an insured Encounter is finished, its claim is built, validated and
// signed for each configured portal (in that portal's schema version) and queued, in one
// transaction with its Task (claim_task.h), on topic "claims.national" or
// "claims.provincial" with key MA_LK: a second queueing of the same episode changes
// nothing, and a claim is never lost between the discharge and the portal. Discharges are
// found by polling the finished encounters updated since the last look (a crash between a
// discharge and its queueing is caught up at the next start). A claim that fails
// validation is not queued; its Task is "failed / invalid" with the errors.
//
// Sending: one outbox sender per portal (PortalClient): accepted -> delivered, Task
// completed with maGiaoDich; rejected -> the outbox's failed list, Task failed with maLoi;
// anything else -> retried with backoff, Task in-progress with the cause.
//
// Resubmission (after a correction): Queue(encounter, /*resubmit=*/true) rebuilds the file
// and puts the same outbox item (same MA_LK) back with the new payload.
//
// Check-in (XML0): when an insured visit begins (an Encounter arrived, triaged or
// in-progress), its check-in file is built, validated, signed and queued on topic
// "claims.checkin" (key MA_LK) for the national gateway's checkInKcbQd3176, with its Task
// "claim-in-<Encounter id>" (code claim-checkin). Only with a national portal configured.
//
// Thread-safety: Queue and Scan may run on any thread; Start/Stop from one.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "claims/claim_service.h"
#include "claims/claim_task.h"
#include "claims/portal_client.h"
#include "jobs/outbox_worker.h"
#include "storage/resource_store.h"

namespace hb::claims {

// Writes a resource (JSON with its id) as PUT would, inside `txn`; supplied by app/, which
// owns the REST write path (validation, indexing).
using ResourceSaver = std::function<Status(storage::WriteTxn& txn, const std::string& json)>;

inline constexpr std::string_view kNationalTopic = "claims.national";
inline constexpr std::string_view kProvincialTopic = "claims.provincial";
inline constexpr std::string_view kCheckInTopic = "claims.checkin";

struct QueueResult {
  std::string portal;
  std::string outcome;  // queued | requeued | already-queued | invalid
  std::string ma_lk;
  ClaimErrors errors;
};

class ClaimDelivery {
 public:
  ClaimDelivery(storage::ResourceStore& store, const ClaimService& service, ResourceSaver saver,
                std::vector<PortalOptions> portals);
  ~ClaimDelivery();

  // (topic, sender) for each portal, to register on the outbox worker.
  std::vector<std::pair<std::string, jobs::Sender>> Senders();
  // Builds and queues the claim of one encounter. kUnprocessable when it is not claimable
  // (not insured, not ended), kNotFound when unknown.
  Result<std::vector<QueueResult>> Queue(std::string_view encounter_id, bool resubmit);
  // Queues every finished encounter updated at or after `since_micros` that has no claim
  // Task yet for some portal, and the check-in of every visit begun since then that has
  // none; returns how many files were queued.
  Result<int> Scan(int64_t since_micros);
  // Builds and queues the check-in (XML0) of a visit that has begun; "queued",
  // "already-queued" or "invalid" (with the errors). kUnprocessable when not insured,
  // kUnavailable without a national portal.
  Result<QueueResult> QueueCheckIn(std::string_view encounter_id);

  // Scans at start, then every `poll` or when woken; `wake` is called after something was
  // queued (the outbox worker's Wake).
  void Start(std::chrono::milliseconds poll, std::function<void()> wake);
  void Stop();
  // An encounter changed (the store's commit listener): look for discharges now.
  void Wake();

 private:
  struct Portal {
    std::string topic;
    std::unique_ptr<PortalClient> client;
  };
  jobs::DeliveryResult Deliver(Portal& portal, const storage::OutboxItem& item, bool checkin);
  Result<int> ScanCheckIns(int64_t since_micros);
  Status UpdateTask(const std::string& portal, const std::string& encounter_id,
                    const std::function<void(ClaimTask&)>& change);
  void Loop(std::chrono::milliseconds poll);

  storage::ResourceStore& store_;
  const ClaimService& service_;
  ResourceSaver saver_;
  std::vector<Portal> portals_;
  std::function<void()> wake_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace hb::claims
