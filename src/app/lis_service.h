// LisService: the laboratory interface of `healthbook serve` (HL7 v2). Inbound, when --mllp
// HOST:PORT (lis.mllp_listen) is set: the facility's ConceptMap of local lab codes and the
// inbound pipeline (app/lis_inbound.h) behind an MLLP listener (lis/mllp_server.h). Outbound,
// when lis.order_host is set: lab orders to the LIS through the outbox (app/lis_orders.h).
//
// Contract: Start() on the main thread after the store is open and before the outbox worker
// starts (it registers the order sender and a commit listener); fails with the reason (bad
// address, address in use, no facility configured). Stop() before the store closes: stops
// accepting, waits (bounded) for the ACKs still owed, finishes the order in hand. Not
// thread-safe.
#pragma once

#include <memory>

#include "access/access_policy.h"
#include "app/config.h"
#include "app/lis_inbound.h"
#include "app/lis_orders.h"
#include "jobs/outbox_worker.h"
#include "lis/mllp_server.h"
#include "storage/resource_store.h"

namespace hb::app {

class LisService {
 public:
  static Result<std::unique_ptr<LisService>> Start(const Config& cfg, storage::ResourceStore& store,
                                                   const access::AccessPolicy& policy,
                                                   jobs::OutboxWorker& outbox);
  ~LisService();
  void Stop();

 private:
  LisService() = default;
  std::unique_ptr<LisInbound> inbound_;  // null: no listener
  std::unique_ptr<lis::MllpServer> server_;
  std::unique_ptr<LisOrders> orders_;  // null: no orders sent
  bool stopped_ = false;
};

}  // namespace hb::app
