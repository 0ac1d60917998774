#include "app/lis_service.h"

#include <spdlog/spdlog.h>

#include "lis/order_message.h"

namespace hb::app {

namespace {

Result<std::unique_ptr<LisOrders>> StartOrders(const Config& cfg, storage::ResourceStore& store,
                                               const access::AccessPolicy& policy,
                                               jobs::OutboxWorker& outbox) {
  if (cfg.lis_order_port <= 0 || cfg.lis_order_port > 65535) {
    return Status(ErrorCode::kInvalidArgument, "lis.order_port must be set with lis.order_host");
  }
  if (cfg.lis_order_version != "2.3" && cfg.lis_order_version != "2.3.1" &&
      cfg.lis_order_version != "2.4" && cfg.lis_order_version != "2.5" &&
      cfg.lis_order_version != "2.5.1") {
    return Status(ErrorCode::kInvalidArgument,
                  "lis.order_version '" + cfg.lis_order_version + "' is not 2.3 ... 2.5.1");
  }
  LisOrderOptions o;
  o.facility = cfg.lis_facility;
  o.client = cfg.lis_client;
  o.version = cfg.lis_order_version;
  o.receiving_application = cfg.lis_order_application;
  o.lis.host = cfg.lis_order_host;
  o.lis.port = static_cast<uint16_t>(cfg.lis_order_port);
  o.lis.reply_timeout = std::chrono::seconds(cfg.lis_order_ack_timeout_s);
  auto orders = std::make_unique<LisOrders>(store, policy, outbox, std::move(o));
  LisOrders* raw = orders.get();
  store.AddCommitListener(
      [raw](const std::vector<storage::ResourceKey>& keys) { raw->OnCommit(keys); });
  outbox.Register(kLisOrderTopic,
                  [raw](const storage::OutboxItem& item) { return raw->Deliver(item); });
  raw->Start();
  spdlog::info("lab orders to the LIS at {}:{} as {} (v{})", cfg.lis_order_host, cfg.lis_order_port,
               lis::OrderMessageType(cfg.lis_order_version), cfg.lis_order_version);
  return orders;
}

}  // namespace

Result<std::unique_ptr<LisService>> LisService::Start(const Config& cfg,
                                                      storage::ResourceStore& store,
                                                      const access::AccessPolicy& policy,
                                                      jobs::OutboxWorker& outbox) {
  if (cfg.lis_facility.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "the laboratory interface needs the facility it belongs to: set lis.facility "
                  "(HEALTHBOOK_LIS_FACILITY) to its MA_CSKCB code");
  }
  std::unique_ptr<LisService> s(new LisService());
  if (!cfg.lis_order_host.empty()) {
    HB_ASSIGN_OR_RETURN(s->orders_, StartOrders(cfg, store, policy, outbox));
  }
  if (cfg.mllp_listen.empty()) return s;
  std::string host;
  uint16_t port = 0;
  if (Status st = ParseListen(cfg.mllp_listen, &host, &port); !st.ok()) {
    return Status(st.code(), "--mllp: " + st.message());
  }
  LisInboundOptions in;
  in.facility = cfg.lis_facility;
  in.client = cfg.lis_client;
  for (const std::string& pair : cfg.lis_authorities) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
      return Status(ErrorCode::kInvalidArgument,
                    "lis.authorities: '" + pair + "' is not NAMESPACE=MA_CSKCB");
    }
    in.authorities[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  HB_ASSIGN_OR_RETURN(in.local_codes, LoadLocalCodeMap(store, cfg.lis_facility));
  s->inbound_ = std::make_unique<LisInbound>(store, policy, std::move(in));
  lis::MllpServerOptions mo;
  mo.host = host;
  mo.port = port;
  mo.threads = cfg.lis_threads;
  mo.max_frame_bytes = static_cast<size_t>(cfg.lis_max_frame_bytes);
  mo.idle_timeout = std::chrono::seconds(cfg.lis_idle_timeout_s);
  mo.max_connections = static_cast<size_t>(cfg.lis_max_connections);
  LisInbound* inbound = s->inbound_.get();
  s->server_ = std::make_unique<lis::MllpServer>(
      mo, [inbound](std::string message, const lis::MllpPeer& peer, lis::MllpReply reply) {
        inbound->Handle(std::move(message), peer, std::move(reply));
      });
  HB_RETURN_IF_ERROR(s->server_->Start());
  spdlog::info("HL7 v2 over MLLP on {}:{} for facility {} (ORU^R01, ADT^A01/A04/A08)", host,
               s->server_->port(), cfg.lis_facility);
  return s;
}

LisService::~LisService() { Stop(); }

void LisService::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (server_) {
    server_->Stop();
    lis::MllpStats m = server_->Stats();
    LisInboundStats i = inbound_->Stats();
    spdlog::info(
        "mllp: stopped; {} connections, {} messages: {} stored, {} resent, {} AE, {} AR; "
        "{} junk, {} truncated, {} refused",
        m.connections, m.messages, i.accepted, i.duplicates, i.errors, i.rejected, m.junk,
        m.truncated, m.refused);
  }
  if (orders_) orders_->Stop();
}

}  // namespace hb::app
