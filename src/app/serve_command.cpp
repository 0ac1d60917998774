#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>

#include "app/account_facility.h"
#include "app/claims_runtime.h"
#include "app/clinical_runtime.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/imaging_adapter.h"
#include "app/queue_display.h"
#include "app/lis_service.h"
#include "app/store_factory.h"
#include "app/version.h"
#include "app/web_assets.h"
#include "common/clock.h"
#include "fhir/model.h"
#include "fhir/vn_systems.h"
#include "http/router.h"
#include "jobs/bulk_export.h"
#include "jobs/bulk_import.h"
#include "jobs/outbox_worker.h"
#include "http/server.h"
#include "access/access_policy.h"
#include "access/audit_sink.h"
#include "auth/key_store.h"
#include "auth/scopes.h"
#include "rest/admin_service.h"
#include "rest/auth_service.h"
#include "operations/export.h"
#include "operations/import.h"
#include "operations/operations.h"
#include "operations/billing_support.h"
#include "app/payment_webhook.h"
#include "http/event_hub.h"
#include "http/json_response.h"
#include "rest/fhir_service.h"
#include "rest/outcome.h"


namespace hb::app {

int RunServe(const Config& cfg) {
  auto t0 = std::chrono::steady_clock::now();
  std::string host;
  uint16_t port = 0;
  if (Status st = ParseListen(cfg.listen, &host, &port); !st.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", st.message().c_str());
    return 2;
  }
  http::ServerOptions ho;
  ho.host = host;
  ho.port = port;
  ho.threads = cfg.threads;
  ho.max_body_bytes = static_cast<size_t>(cfg.max_body_bytes);
  ho.access_log = cfg.access_log;
  ho.idle_timeout = std::chrono::seconds(cfg.idle_timeout_s);
  ho.header_timeout = std::chrono::seconds(cfg.header_timeout_s);
  ho.max_header_bytes = static_cast<size_t>(cfg.max_header_bytes);
  ho.max_connections = static_cast<size_t>(cfg.max_connections);
  ho.rate_limit_per_s = static_cast<double>(cfg.rate_limit_per_s);
  ho.rate_limit_burst = static_cast<double>(cfg.rate_limit_burst);
  ho.rate_limit_loopback = cfg.rate_limit_loopback;
  ho.tls_cert_file = cfg.tls_cert;
  ho.tls_key_file = cfg.tls_key;
  ho.cors_origins = cfg.cors_origins;
  ho.cors_max_age = std::chrono::seconds(cfg.cors_max_age_s);
  ho.cors_credentials = cfg.cors_credentials;
  ho.render_error = rest::RenderTransportError;
  // The port is bound before anything else starts, so that `--listen HOST:0` gets a port
  // from the kernel and every URL made below (token audiences, receipt links) names it. No
  // request is served before Run(): the routes are put in place just before it.
  // The server outlives everything declared below only on paths where it never ran; after
  // Run() it is destroyed (its queued handlers released) while the services, the event hub
  // and the store they reach are still alive: `server.reset()` before the return.
  auto routes_slot = std::make_shared<http::Handler>();
  std::optional<http::Server> server;
  server.emplace(ho, [routes_slot](http::Request&& req, http::Responder respond) {
    (*routes_slot)(std::move(req), std::move(respond));
  });
  if (Status st = server->Start(); !st.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", st.message().c_str());
    return 1;
  }
  port = server->port();
  auto dir = OpenDataDir(cfg.data);
  if (!dir.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", dir.status().message().c_str());
    return 1;
  }
  fhir::vn::ConfigureSystemsBase(cfg.identifier_base);
  (void)fhir::Model::R4();  // parse the embedded definitions before serving
  // ICD-10 of QĐ 4469 for token :below/:above/:in searches and FHIRPath memberOf(), even
  // when no CodeSystem resource holds it (search/terminology.h).
  RegisterBuiltinCodeSystems();
  auto store = OpenStore(**dir, cfg);
  if (!store.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", store.status().message().c_str());
    return 1;
  }
  auto keys = auth::KeyStore::Open((*dir)->File("keys"));
  if (!keys.ok()) {
    std::fprintf(stderr, "healthbook: cannot open the signing keys in %s: %s\n",
                 (*dir)->File("keys").c_str(), keys.status().message().c_str());
    return 1;
  }
  if (auto rotated = (*keys)->RotateIfDue(); rotated.ok() && *rotated) {
    spdlog::info("rotated the token signing key");
  }
  auto accounts = OpenAccountStore((*dir)->path(), cfg);
  if (!accounts.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", accounts.status().message().c_str());
    return 1;
  }
  // Read audits: journaled beside the store every 50 ms, into the trail every second.
  access::AuditSink audit(**store, {.journal_path = (*dir)->File("audit.journal")});
  access::AccessPolicy policy;
  rest::AuthOptions ao;
  const bool tls = !cfg.tls_cert.empty() || !cfg.tls_key.empty();
  const std::string scheme = tls ? "https" : "http";
  ao.secure_cookies = tls;
  ao.base_url = cfg.base_url.empty() ? "" : cfg.base_url.substr(0, cfg.base_url.rfind("/fhir"));
  if (!ao.base_url.empty()) ao.token_urls.push_back(ao.base_url + "/auth/token");
  for (const std::string& h : {host, std::string("localhost"), std::string("127.0.0.1")}) {
    ao.token_urls.push_back(scheme + "://" + h + ":" + std::to_string(port) + "/auth/token");
  }
  rest::AuthService auth_service(ao, **keys, **accounts, **store, &audit);
  rest::ServiceOptions so;
  so.base_url = cfg.base_url;
  so.software_version = kVersion;
  so.max_bundle_entries = static_cast<size_t>(cfg.max_bundle_entries);
  rest::FhirService fhir_service(**store, policy, cfg.security_enabled ? &audit : nullptr, so);
  operations::OperationsOptions oo;  // $match, $identify, queues, merge (src/operations)
  oo.utc_offset_minutes = cfg.reception_utc_offset_minutes;
  oo.card_history.base_url = cfg.card_history_url;
  oo.card_history.path = cfg.card_history_path;
  oo.card_history.token = cfg.card_history_token;
  oo.card_history.timeout_ms = cfg.card_history_timeout_ms;
  operations::RegisterOperations(fhir_service, oo);
  // Billing (docs/implementation/billing.md): $invoice (per encounter or per day), $vietqr,
  // $pay, $refund, $receipt, $day-report, $assign; the bank webhooks and invoice streams are routed below. The EventHub feeds
  // every live screen (topic per invoice) and outlives the server.
  http::EventHub events;
  auto billing = std::make_shared<operations::BillingContext>();
  billing->hub = &events;
  billing->options.facility_code = cfg.facility_code;
  billing->options.facility_name = cfg.facility_name;
  billing->options.bank_bin = cfg.bank_bin;
  billing->options.bank_account = cfg.bank_account;
  billing->options.invoice_per = cfg.invoice_per;
  billing->options.utc_offset_minutes = cfg.reception_utc_offset_minutes;
  billing->options.public_base_url =
      ao.base_url.empty() ? scheme + "://" + host + ":" + std::to_string(port) : ao.base_url;
  billing->options.receipt_secret = cfg.receipt_secret;
  if (billing->options.receipt_secret.empty()) {
    auto key = LoadOrCreateSecret((*dir)->File("receipt.key"));
    if (!key.ok()) {
      std::fprintf(stderr, "healthbook: %s\n", key.status().message().c_str());
      return 1;
    }
    billing->options.receipt_secret = *key;
  }
  auto webhook_secrets = ParseWebhookSecrets(cfg.webhook_secrets);
  if (!webhook_secrets.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", webhook_secrets.status().message().c_str());
    return 2;
  }
  operations::RegisterBillingOperations(fhir_service, billing);
  // Waiting-room screens: each committed visit pushes its queue (app/queue_display.h).
  QueueDisplay queue_display(**store, events, cfg.reception_utc_offset_minutes);
  (*store)->AddCommitListener([&queue_display](const std::vector<storage::ResourceKey>& keys) {
    queue_display.OnCommit(keys);
  });
  // Deliveries to other systems (jobs/outbox_worker.h): each integration registers the
  // sender of its topic here; the worker starts with the server and stops before the store.
  jobs::OutboxWorker outbox(**store);
  // Health-insurance claims (app/claims_runtime.h): $claim-xml, $claim-submit, and the claims
  // queued at discharge for the national and provincial portals.
  auto claims = ClaimsRuntime::Create(cfg, (*dir)->path(), **store, fhir_service, outbox);
  billing->catalogs = claims->catalogs();  // one price list for invoices and claims
  // The clinical workspace (app/clinical_runtime.h): orders priced from the same price list.
  if (Status st = StartClinical(cfg, (*dir)->path(), **store, fhir_service, outbox,
                                claims->catalogs());
      !st.ok()) {
    std::fprintf(stderr, "healthbook: clinical workspace: %s\n", st.message().c_str());
    audit.Close();
    (*store)->Close();
    return 1;
  }
  // Bulk data export ($export kick-off, /bulkstatus and /bulkfiles): jobs write NDJSON files
  // under the data folder's exports/.
  jobs::BulkExporter exporter(**store, (*dir)->File("exports"));
  operations::RegisterExport(fhir_service, exporter);
  // Bulk data import ($import kick-off, /importstatus and /importfiles): reads files under the
  // data folder's import/, keeps each job's error file under imports/.
  jobs::BulkImportJobs importer(**store, (*dir)->File("imports"));
  operations::RegisterImport(fhir_service, importer, (*dir)->File("import"));
  // Every operation the CapabilityStatement lists has its OperationDefinition, served at
  // /fhir/OperationDefinition (rest/operation_definitions.h); a missing one is a build error.
  if (Status st = fhir_service.CheckOperationDefinitions(); !st.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", st.message().c_str());
    audit.Close();
    (*store)->Close();
    return 1;
  }
  // The PACS link (app/imaging_adapter.h), when imaging.orthanc_url is set: it hears of
  // committed ServiceRequests (worklist) through the store's commit listener.
  std::unique_ptr<ImagingAdapter> imaging;
  if (!cfg.imaging_orthanc_url.empty()) {
    imaging = std::make_unique<ImagingAdapter>(ImagingOptionsFrom(cfg), **store, fhir_service);
    (*store)->AddCommitListener(
        [adapter = imaging.get()](const std::vector<storage::ResourceKey>& keys) {
          adapter->OnCommit(keys);
        });
  }
  // HL7 v2 with the laboratory (app/lis_service.h), when --mllp / lis.mllp_listen is set:
  // results and registrations in over MLLP, lab orders out through the outbox.
  std::unique_ptr<LisService> lis;
  if (!cfg.mllp_listen.empty() || !cfg.lis_order_host.empty()) {
    auto started = LisService::Start(cfg, **store, policy, outbox);
    if (!started.ok()) {
      std::fprintf(stderr, "healthbook: %s\n", started.status().message().c_str());
      audit.Close();
      (*store)->Close();
      return 1;
    }
    lis = std::move(started).value();
  }
  access::Principal unchecked;  // security off (benchmarks only): the operator, unaudited
  unchecked.subject = "operator";
  unchecked.role = access::Role::kSystem;
  unchecked.scopes = auth::ParseScopes("system/*.cruds").value();
  if (!cfg.security_enabled) {
    spdlog::warn("SECURITY IS OFF: every request acts as the operator and nothing is audited. "
                 "This is for measuring its cost only.");
  }

  http::Router router;
  // Everything under /fhir needs a credential, but the CapabilityStatement.
  router.AddPrefix("*", "/fhir", [&](http::Request&& req, http::Responder respond) {
    if (!cfg.security_enabled) {
      return fhir_service.Handle(std::move(req), unchecked, std::move(respond));
    }
    auto who = auth_service.Authenticate(req);
    if (!who.ok()) {
      http::Response r = rest::ErrorResponse(who.status());
      if (r.status == 401) r.headers.push_back({"WWW-Authenticate", "Bearer realm=\"healthbook\""});
      return respond(std::move(r));
    }
    fhir_service.Handle(std::move(req), std::move(who).value(), std::move(respond));
  });
  router.Add("GET", "/fhir/metadata", [&](http::Request&& req, http::Responder respond) {
    fhir_service.Handle(std::move(req), access::Principal{}, std::move(respond));
  });
  router.Add("GET", "/.well-known/smart-configuration",
             [&](http::Request&& req, http::Responder respond) {
               auth_service.SmartConfiguration(std::move(req), std::move(respond));
             });
  router.Add("GET", "/.well-known/jwks.json", [&](http::Request&& req, http::Responder respond) {
    auth_service.Jwks(std::move(req), std::move(respond));
  });
  router.Add("POST", "/auth/token", [&](http::Request&& req, http::Responder respond) {
    auth_service.Token(std::move(req), std::move(respond));
  });
  router.Add("POST", "/auth/login", [&](http::Request&& req, http::Responder respond) {
    auth_service.Login(std::move(req), std::move(respond));
  });
  rest::AdminService admin_service(**accounts, &audit);
  admin_service.SetAccountCheck([&](const storage::Account& a) -> Result<std::string> {
    auto txn = (*store)->BeginRead();
    return CheckAccountFacility(*txn, a.role, a.facility);
  });
  router.AddPrefix("*", "/admin/accounts", [&](http::Request&& req, http::Responder respond) {
    auto who = auth_service.Authenticate(req);
    if (!who.ok()) return respond(rest::ErrorResponse(who.status()));
    admin_service.Handle(std::move(req), *who, std::move(respond));
  });
  router.Add("POST", "/auth/logout", [&](http::Request&& req, http::Responder respond) {
    auth_service.Logout(std::move(req), std::move(respond));
  });
  PaymentRoutes payment_routes;
  payment_routes.store = store->get();
  payment_routes.billing = billing;
  payment_routes.webhook_secrets = *webhook_secrets;
  payment_routes.authenticate = [&](const http::Request& req) -> Status {
    return cfg.security_enabled ? auth_service.Authenticate(req).status() : Status::Ok();
  };
  AddPaymentRoutes(router, std::move(payment_routes));
  router.Add("GET", "/api/queue/stream", [&](http::Request&& req, http::Responder respond) {
    auto who = auth_service.Authenticate(req);
    if (!who.ok()) return respond(rest::ErrorResponse(who.status()));
    queue_display.Subscribe(*who, req, std::move(respond));
  });
  operations::Authenticate bulk_auth = [&](const http::Request& req) {
    return auth_service.Authenticate(req);
  };
  router.AddPrefix("*", "/bulkstatus/", [&](http::Request&& req, http::Responder respond) {
    operations::HandleBulkStatus(exporter, bulk_auth, std::move(req), std::move(respond));
  });
  router.AddPrefix("GET", "/bulkfiles/", [&](http::Request&& req, http::Responder respond) {
    operations::HandleBulkFile(exporter, bulk_auth, std::move(req), std::move(respond));
  });
  router.AddPrefix("*", "/importstatus/", [&](http::Request&& req, http::Responder respond) {
    operations::HandleImportStatus(importer, bulk_auth, std::move(req), std::move(respond));
  });
  router.AddPrefix("GET", "/importfiles/", [&](http::Request&& req, http::Responder respond) {
    operations::HandleImportFile(importer, bulk_auth, std::move(req), std::move(respond));
  });
  router.Add("GET", "/health", [](http::Request&&, http::Responder respond) {
    respond(http::JsonResponse(200, R"({"status":"pass","service":"healthbook"})"));
  });
  // The web application, embedded at build time (cmake/web_app.cmake), at every path no
  // other route claims: files by name, client routes get index.html, and the API prefixes a
  // 404 of their own. /config.json tells the app this server's identifier systems and the
  // facility's UTC offset (the day and time of day it shows).
  std::vector<http::SiteFile> web_files = EmbeddedWebFiles();
  if (!EmbeddedWebAppBuilt()) {
    spdlog::warn("the web application was not built into this binary (no npm at build time?): "
                 "serving the placeholder page at /");
  }
  std::string web_config;
  for (char c : fhir::vn::Systems().base) {
    if (c == '"' || c == '\\') web_config.push_back('\\');
    web_config.push_back(c);
  }
  web_config = R"({"identifier_base":")" + web_config + R"(","utc_offset_minutes":)" +
               std::to_string(cfg.reception_utc_offset_minutes) + R"(,"version":")" + kVersion +
               "\"}\n";
  char web_config_tag[32];
  std::snprintf(web_config_tag, sizeof web_config_tag, "\"%zx\"",
                std::hash<std::string>{}(web_config));
  web_files.push_back({"/config.json", web_config, "", web_config_tag});
  http::SiteOptions site_options;
  site_options.reserved_prefixes = {"/fhir", "/auth", "/.well-known", "/health", "/api", "/admin"};
  router.AddPrefix("GET", "/",
                   http::WebSite(std::move(web_files), site_options, rest::RenderTransportError));

  // Security headers on every response; a strict Content-Security-Policy for the pages.
  http::Handler routes = router.AsHandler(rest::RenderTransportError);
  http::Handler with_headers = [routes](http::Request&& req, http::Responder respond) {
    routes(std::move(req), [respond = std::move(respond)](http::Response r) {
      r.headers.push_back({"X-Content-Type-Options", "nosniff"});
      r.headers.push_back({"Referrer-Policy", "no-referrer"});
      if (r.content_type.starts_with("text/html")) {
        r.headers.push_back({"X-Frame-Options", "DENY"});
        r.headers.push_back({"Content-Security-Policy",
                             "default-src 'self'; script-src 'self'; "
                             "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                             "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"});
      }
      respond(std::move(r));
    });
  };
  *routes_slot = std::move(with_headers);
  server->StopOnSignals();
  outbox.Start();
  claims->Start(outbox);
  if (imaging) imaging->Start();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
  spdlog::info("healthbook {} ready in {} ms: data {}, web {}://{}:{}/ , FHIR {}://{}:{}/fhir",
               kVersion, ms, (*dir)->path(), scheme, host, server->port(), scheme, host,
               server->port());
  server->Run();
  if (lis) lis->Stop();  // the ACKs still owed go out before the store closes
  if (imaging) imaging->Stop();
  claims->Stop();
  outbox.Stop();
  exporter.Stop();
  importer.Stop();
  queue_display.Stop();
  audit.Close();  // the trail's last records go in before the store closes
  (*store)->Close();
  server.reset();  // before the hub, the services and the store it served (see above)
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace hb::app
