// LisOrders: laboratory orders to the LIS, through the outbox (topic "lis-order").
//
// Trigger: the store's commit listener. OnCommit (writer thread) only queues the ids of the
// ServiceRequests written; this object's thread reads each one and decides
// (lis/order_tracking.h). For an order to send it builds the message (lis/order_message.h),
// and in ONE store write queues it in the outbox (key "<id>:NW" or "<id>:CA": idempotent) and
// records on the order that it was queued (and its placer number, when it had none).
//
// Delivery: Deliver() is the outbox sender (jobs/outbox_worker.h, on the worker's thread): it
// sends the message over MLLP (lis/mllp_client.h) and reads the ACK:
//   AA/CA            delivered; the ACK is recorded on the order (extension lis-order: ack,
//                    ackTime) and kept as the outbox item's result;
//   AE/AR/CE/CR      failed for good (to the outbox work list); recorded with the ERR text;
//   no connection, no ACK, an ACK for another message: retried with backoff.
//
// Contract: Start/Stop from the owning thread; OnCommit from the store's writer; Deliver from
// the outbox worker. The store, policy and worker outlive this object.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "access/access_policy.h"
#include "app/lis_transaction.h"
#include "jobs/outbox_worker.h"
#include "lis/mllp_client.h"
#include "storage/resource_store.h"

namespace hb::app {

inline constexpr const char* kLisOrderTopic = "lis-order";

struct LisOrderOptions {
  std::string facility;  // MA_CSKCB of this facility (its laboratory)
  std::string client = "lis";
  std::string version = "2.5.1";  // OML^O21; 2.3 / 2.3.1: ORM^O01
  std::string receiving_application = "LIS";
  lis::MllpClientOptions lis;  // where the LIS listens
};

class LisOrders {
 public:
  LisOrders(storage::ResourceStore& store, const access::AccessPolicy& policy,
            jobs::OutboxWorker& outbox, LisOrderOptions options);
  ~LisOrders();
  LisOrders(const LisOrders&) = delete;
  LisOrders& operator=(const LisOrders&) = delete;

  void Start();
  void Stop();  // finishes the order in hand; idempotent
  void OnCommit(const std::vector<storage::ResourceKey>& keys);
  jobs::DeliveryResult Deliver(const storage::OutboxItem& item);

 private:
  void Loop();
  void Consider(const std::string& id);
  // Re-reads the order and applies `change` to it as an update by the interface's identity.
  Status UpdateOrder(storage::WriteTxn& txn, const std::string& id,
                     const std::function<bool(fhir::JsonValue&, fhir::JsonAlloc&)>& change);

  storage::ResourceStore& store_;
  const access::AccessPolicy& policy_;
  jobs::OutboxWorker& outbox_;
  const LisOrderOptions options_;
  FacilityOrgLookup facility_org_;
  std::shared_ptr<const access::Principal> principal_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> dirty_;  // mu_
  bool stopping_ = false;        // mu_
  std::thread thread_;
};

}  // namespace hb::app
