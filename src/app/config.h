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
  bool synchronous_full = true;
  int max_group = 512;
  // fhir
  std::string identifier_base;
  int max_bundle_entries = 10000;
  // security
  bool security_enabled = true;
  // log
  std::string log_level;
};

Result<Config> LoadConfig();
// Splits "host:port"; fails with kInvalidArgument on a malformed value.
Status ParseListen(const std::string& listen, std::string* host, uint16_t* port);

}  // namespace hb::app
