#include "app/claims_runtime.h"

#include <spdlog/spdlog.h>

#include "app/claims_command.h"
#include "operations/claim_operations.h"
#include "rest/write_ops.h"

namespace hb::app {

namespace {

std::vector<claims::PortalOptions> Portals(const Config& cfg) {
  std::vector<claims::PortalOptions> out;
  auto add = [&](claims::PortalKind kind, const char* name, const std::string& url,
                 const std::string& user, const std::string& password, const std::string& schema) {
    if (url.empty()) return;
    claims::PortalOptions o;
    o.kind = kind;
    o.name = name;
    o.base_url = url;
    while (!o.base_url.empty() && o.base_url.back() == '/') o.base_url.pop_back();
    o.username = user;
    o.password = password;
    if (!claims::ParseSchemaVersion(schema, &o.schema)) {
      spdlog::warn("claims: {}_schema '{}' is neither 4750 nor 3176; using 4750", name, schema);
    }
    o.province_code = cfg.claims_province_code;
    o.timeout = std::chrono::seconds(cfg.claims_timeout_s);
    out.push_back(std::move(o));
  };
  add(claims::PortalKind::kNational, "national", cfg.claims_national_url,
      cfg.claims_national_username, cfg.claims_national_password, cfg.claims_national_schema);
  add(claims::PortalKind::kProvincial, "provincial", cfg.claims_provincial_url,
      cfg.claims_provincial_username, cfg.claims_provincial_password, cfg.claims_provincial_schema);
  return out;
}

// Task records are written as PUT would write them (validated and indexed).
Status SaveResource(storage::WriteTxn& txn, const std::string& json) {
  HB_ASSIGN_OR_RETURN(auto in, rest::PrepareInput(json, ""));
  return rest::Update(txn, nullptr, in->input, in->input.body_id, std::nullopt).status();
}

}  // namespace

std::unique_ptr<ClaimsRuntime> ClaimsRuntime::Create(const Config& cfg, const std::string& data,
                                                     storage::ResourceStore& store,
                                                     rest::FhirService& fhir,
                                                     jobs::OutboxWorker& outbox) {
  auto rt = std::unique_ptr<ClaimsRuntime>(new ClaimsRuntime());
  rt->queue_ = cfg.claims_queue;
  auto ctx = std::make_shared<operations::ClaimOperationsContext>();
  if (Status st = PrepareClaimsData(cfg, data, /*demo_price_list=*/false); !st.ok()) {
    spdlog::warn("claims: {}", st.message());
  }
  auto service = OpenClaimService(cfg, data);
  if (!service.ok()) {
    spdlog::warn("claims are off: {}", service.status().message());
  } else {
    rt->service_ = std::move(service).value();
    ctx->service = rt->service_.get();
    spdlog::info("claims: signing as {}", rt->service_->signer().subject());
    auto portals = Portals(cfg);
    if (!portals.empty()) {
      rt->delivery_ = std::make_unique<claims::ClaimDelivery>(store, *rt->service_, SaveResource,
                                                              std::move(portals));
      for (auto& [topic, sender] : rt->delivery_->Senders()) outbox.Register(topic, sender);
      ctx->delivery = rt->delivery_.get();
      store.AddCommitListener(
          [d = rt->delivery_.get()](const std::vector<storage::ResourceKey>& keys) {
            for (const auto& k : keys) {
              if (k.type == "Encounter") return d->Wake();
            }
          });
    }
  }
  operations::RegisterClaimOperations(fhir, ctx);
  return rt;
}

void ClaimsRuntime::Start(jobs::OutboxWorker& outbox) {
  if (delivery_ && queue_) delivery_->Start(std::chrono::seconds(30), [&outbox] { outbox.Wake(); });
}

void ClaimsRuntime::Stop() {
  if (delivery_) delivery_->Stop();
}

}  // namespace hb::app
