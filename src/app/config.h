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
