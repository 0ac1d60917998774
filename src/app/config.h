// Configuration: the embedded defaults (resources/config/default.json),
// overridden by HEALTHBOOK_<SECTION>_<NAME> environment variables, then by
// command-line flags (applied by the commands themselves).
//
// Contract: Load() is called once at start-up on the main thread; the Config
// is a plain value afterwards. Fails with kInvalidArgument naming the setting
// when an environment value does not parse.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace hb::app {

struct Config {
  // server
  std::string listen;
  unsigned threads = 0;
  std::string base_url;
  int64_t max_body_bytes = 0;
  bool access_log = true;
  int idle_timeout_s = 75;
  int header_timeout_s = 10;
  int64_t max_header_bytes = 65536;
  int64_t max_connections = 10000;
  int64_t rate_limit_per_s = 200;
  int64_t rate_limit_burst = 400;
  bool rate_limit_loopback = false;
  std::string tls_cert;
  std::string tls_key;
  std::vector<std::string> cors_origins;
  int cors_max_age_s = 600;
  bool cors_credentials = false;
  // store
  std::string data;
  // The store: "" (the one recorded in the data folder, else SQLite in it),
  // "sqlite:PATH" or "postgresql://user@host:port/db" (app/store_factory.h).
  std::string store;
  bool synchronous_full = true;
  int max_group = 512;
  // fhir
  std::string identifier_base;
  int max_bundle_entries = 10000;
  // reception (docs/implementation/reception.md)
  int reception_utc_offset_minutes = 420;
  std::string card_history_url;  // empty: the card-history lookup is off
  std::string card_history_path;
  std::string card_history_token;
  int card_history_timeout_ms = 3000;
  // claims (docs/implementation/claims-xml.md)
  std::string claims_price_list_dir;  // empty: <data>/claims/price-list
  std::string claims_key_file;        // empty: <data>/claims/facility-key.pem (made on first start)
  std::string claims_cert_file;
  std::string claims_key_password;
  std::string claims_pkcs11_module;   // set: sign on a PKCS#11 token
  std::string claims_pkcs11_token;
  std::string claims_pkcs11_key;
  std::string claims_pkcs11_pin;
  bool claims_queue = true;
  std::string claims_national_url, claims_national_username, claims_national_password,
      claims_national_schema;
  std::string claims_provincial_url, claims_provincial_username, claims_provincial_password,
      claims_provincial_schema;
  std::string claims_province_code;
  int claims_timeout_s = 30;
  // security
  bool security_enabled = true;
  // log
  std::string log_level;
  // lis: HL7 v2 over MLLP (docs/implementation/hl7v2-mapping.md); off while mllp_listen is empty
  std::string mllp_listen;
  std::string lis_facility;
  std::string lis_client;
  unsigned lis_threads = 2;
  int64_t lis_max_frame_bytes = 16 << 20;
  int lis_idle_timeout_s = 600;
  int64_t lis_max_connections = 256;
  std::vector<std::string> lis_authorities;  // NAMESPACE=MA_CSKCB
  std::string lis_order_host;                // outbound orders; off while empty
  int lis_order_port = 0;
  std::string lis_order_version;
  std::string lis_order_application;
  int lis_order_ack_timeout_s = 30;
  // payments (docs/implementation/billing.md)
  std::string facility_code;
  std::string facility_name;
  // clinical.* (docs/implementation/clinical.md): the national e-prescription system.
  std::string eprescription_url;  // empty: prescriptions are not sent
  std::string eprescription_path = "/api/v1/don-thuoc";
  std::string eprescription_token;
  int64_t eprescription_timeout_ms = 10000;
  std::string bank_bin;
  std::string bank_account;
  std::string receipt_secret;
  std::vector<std::string> webhook_secrets;  // BANK:SECRET
  std::string invoice_per = "encounter";     // "encounter" | "day"
  // imaging: the PACS link (docs/implementation/imaging.md); off while orthanc_url is empty
  std::string imaging_orthanc_url;
  std::string imaging_username;
  std::string imaging_password;
  std::string imaging_public_url;
  std::string imaging_worklist_dir;
  std::string imaging_station_ae;
  std::string imaging_utc_offset;
  int imaging_poll_ms = 500;
};

Result<Config> LoadConfig();
// Splits "host:port"; fails with kInvalidArgument on a malformed value.
Status ParseListen(const std::string& listen, std::string* host, uint16_t* port);

}  // namespace hb::app
