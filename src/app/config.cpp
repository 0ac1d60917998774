#include "app/config.h"

#include <rapidjson/document.h>

#include <charconv>
#include <cstdlib>
#include <limits>
#include <type_traits>
#include <utility>

#include "common/clock.h"
#include "common/embedded.h"

HB_EMBEDDED(hb_default_config)

namespace hb::app {

namespace {

class Reader {
 public:
  explicit Reader(const rapidjson::Document& d) : d_(d) {}
  const rapidjson::Value& Get(const char* section, const char* name) {
    return d_[section][name];
  }
  // The environment override for section.name, if any.
  static const char* Env(const char* section, const char* name) {
    std::string key = "HEALTHBOOK_";
    for (const char* p = section; *p; ++p) key += static_cast<char>(std::toupper(*p));
    key += '_';
    for (const char* p = name; *p; ++p) key += static_cast<char>(std::toupper(*p));
    return std::getenv(key.c_str());
  }
  Status String(const char* s, const char* n, std::string* out) {
    const char* env = Env(s, n);
    *out = env ? env : Get(s, n).GetString();
    return Status::Ok();
  }
  Status Int(const char* s, const char* n, int64_t* out) {
    const char* env = Env(s, n);
    if (!env) {
      *out = Get(s, n).GetInt64();
      return Status::Ok();
    }
    std::string_view v(env);
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
    if (ec != std::errc() || p != v.data() + v.size()) {
      return Status(ErrorCode::kInvalidArgument,
                    std::string("setting ") + s + "." + n + ": '" + env + "' is not an integer");
    }
    return Status::Ok();
  }
  // An integer setting of a narrower type (int, unsigned): a value outside it is refused
  // rather than wrapped.
  template <typename T>
    requires(!std::is_same_v<T, int64_t>)
  Status Int(const char* s, const char* n, T* out) {
    int64_t v = 0;
    HB_RETURN_IF_ERROR(Int(s, n, &v));
    if (!std::in_range<T>(v)) {
      return Status(ErrorCode::kInvalidArgument,
                    std::string("setting ") + s + "." + n + ": " + std::to_string(v) +
                        " is out of range (" + std::to_string(std::numeric_limits<T>::min()) +
                        " to " + std::to_string(std::numeric_limits<T>::max()) + ")");
    }
    *out = static_cast<T>(v);
    return Status::Ok();
  }
  Status Bool(const char* s, const char* n, bool* out) {
    const char* env = Env(s, n);
    if (!env) {
      *out = Get(s, n).GetBool();
      return Status::Ok();
    }
    std::string_view v(env);
    if (v == "true" || v == "1") {
      *out = true;
    } else if (v == "false" || v == "0") {
      *out = false;
    } else {
      return Status(ErrorCode::kInvalidArgument,
                    std::string("setting ") + s + "." + n + ": '" + env + "' is not true/false");
    }
    return Status::Ok();
  }
  // A JSON array of strings; the environment gives a comma-separated list.
  Status StringList(const char* s, const char* n, std::vector<std::string>* out) {
    out->clear();
    if (const char* env = Env(s, n)) {
      std::string_view rest(env);
      while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out->emplace_back(item);
      }
      return Status::Ok();
    }
    for (const auto& item : Get(s, n).GetArray()) out->emplace_back(item.GetString());
    return Status::Ok();
  }

 private:
  const rapidjson::Document& d_;
};

}  // namespace

Result<Config> LoadConfig() {
  rapidjson::Document d;
  std::string_view text = hb_default_config_view();
  d.Parse(text.data(), text.size());
  if (d.HasParseError()) return Status(ErrorCode::kInternal, "embedded default config is broken");
  Reader r(d);
  Config c;
  HB_RETURN_IF_ERROR(r.String("server", "listen", &c.listen));
  HB_RETURN_IF_ERROR(r.Int("server", "threads", &c.threads));
  HB_RETURN_IF_ERROR(r.String("server", "base_url", &c.base_url));
  HB_RETURN_IF_ERROR(r.Int("server", "max_body_bytes", &c.max_body_bytes));
  HB_RETURN_IF_ERROR(r.Bool("server", "access_log", &c.access_log));
  HB_RETURN_IF_ERROR(r.Int("server", "idle_timeout_s", &c.idle_timeout_s));
  HB_RETURN_IF_ERROR(r.Int("server", "header_timeout_s", &c.header_timeout_s));
  HB_RETURN_IF_ERROR(r.Int("server", "max_header_bytes", &c.max_header_bytes));
  HB_RETURN_IF_ERROR(r.Int("server", "max_connections", &c.max_connections));
  HB_RETURN_IF_ERROR(r.Int("server", "rate_limit_per_s", &c.rate_limit_per_s));
  HB_RETURN_IF_ERROR(r.Int("server", "rate_limit_burst", &c.rate_limit_burst));
  HB_RETURN_IF_ERROR(r.Bool("server", "rate_limit_loopback", &c.rate_limit_loopback));
  HB_RETURN_IF_ERROR(r.String("server", "tls_cert", &c.tls_cert));
  HB_RETURN_IF_ERROR(r.String("server", "tls_key", &c.tls_key));
  HB_RETURN_IF_ERROR(r.StringList("server", "cors_origins", &c.cors_origins));
  HB_RETURN_IF_ERROR(r.Int("server", "cors_max_age_s", &c.cors_max_age_s));
  HB_RETURN_IF_ERROR(r.Bool("server", "cors_credentials", &c.cors_credentials));
  HB_RETURN_IF_ERROR(r.String("store", "data", &c.data));
  HB_RETURN_IF_ERROR(r.String("store", "url", &c.store));
  HB_RETURN_IF_ERROR(r.Bool("store", "synchronous_full", &c.synchronous_full));
  HB_RETURN_IF_ERROR(r.Int("store", "max_group", &c.max_group));
  HB_RETURN_IF_ERROR(r.String("fhir", "identifier_base", &c.identifier_base));
  HB_RETURN_IF_ERROR(r.Int("fhir", "max_bundle_entries", &c.max_bundle_entries));
  HB_RETURN_IF_ERROR(r.Int("reception", "utc_offset_minutes", &c.reception_utc_offset_minutes));
  if (!IsValidUtcOffset(c.reception_utc_offset_minutes)) {
    return Status(ErrorCode::kInvalidArgument,
                  "reception.utc_offset_minutes must be a UTC offset from -840 to 840 minutes "
                  "(Vietnam: 420), got " + std::to_string(c.reception_utc_offset_minutes));
  }
  HB_RETURN_IF_ERROR(r.String("reception", "card_history_url", &c.card_history_url));
  HB_RETURN_IF_ERROR(r.String("reception", "card_history_path", &c.card_history_path));
  HB_RETURN_IF_ERROR(r.String("reception", "card_history_token", &c.card_history_token));
  HB_RETURN_IF_ERROR(r.Int("reception", "card_history_timeout_ms", &c.card_history_timeout_ms));
  HB_RETURN_IF_ERROR(r.String("claims", "price_list_dir", &c.claims_price_list_dir));
  HB_RETURN_IF_ERROR(r.String("claims", "key_file", &c.claims_key_file));
  HB_RETURN_IF_ERROR(r.String("claims", "cert_file", &c.claims_cert_file));
  HB_RETURN_IF_ERROR(r.String("claims", "key_password", &c.claims_key_password));
  HB_RETURN_IF_ERROR(r.String("claims", "pkcs11_module", &c.claims_pkcs11_module));
  HB_RETURN_IF_ERROR(r.String("claims", "pkcs11_token", &c.claims_pkcs11_token));
  HB_RETURN_IF_ERROR(r.String("claims", "pkcs11_key", &c.claims_pkcs11_key));
  HB_RETURN_IF_ERROR(r.String("claims", "pkcs11_pin", &c.claims_pkcs11_pin));
  HB_RETURN_IF_ERROR(r.Bool("claims", "queue", &c.claims_queue));
  HB_RETURN_IF_ERROR(r.String("claims", "national_url", &c.claims_national_url));
  HB_RETURN_IF_ERROR(r.String("claims", "national_username", &c.claims_national_username));
  HB_RETURN_IF_ERROR(r.String("claims", "national_password", &c.claims_national_password));
  HB_RETURN_IF_ERROR(r.String("claims", "national_schema", &c.claims_national_schema));
  HB_RETURN_IF_ERROR(r.String("claims", "provincial_url", &c.claims_provincial_url));
  HB_RETURN_IF_ERROR(r.String("claims", "provincial_username", &c.claims_provincial_username));
  HB_RETURN_IF_ERROR(r.String("claims", "provincial_password", &c.claims_provincial_password));
  HB_RETURN_IF_ERROR(r.String("claims", "provincial_schema", &c.claims_provincial_schema));
  HB_RETURN_IF_ERROR(r.String("claims", "province_code", &c.claims_province_code));
  HB_RETURN_IF_ERROR(r.Int("claims", "timeout_s", &c.claims_timeout_s));
  HB_RETURN_IF_ERROR(r.Bool("security", "enabled", &c.security_enabled));
  HB_RETURN_IF_ERROR(r.String("log", "level", &c.log_level));
  HB_RETURN_IF_ERROR(r.String("lis", "mllp_listen", &c.mllp_listen));
  HB_RETURN_IF_ERROR(r.String("lis", "facility", &c.lis_facility));
  HB_RETURN_IF_ERROR(r.String("lis", "client", &c.lis_client));
  HB_RETURN_IF_ERROR(r.Int("lis", "threads", &c.lis_threads));
  HB_RETURN_IF_ERROR(r.Int("lis", "max_frame_bytes", &c.lis_max_frame_bytes));
  HB_RETURN_IF_ERROR(r.Int("lis", "idle_timeout_s", &c.lis_idle_timeout_s));
  HB_RETURN_IF_ERROR(r.Int("lis", "max_connections", &c.lis_max_connections));
  HB_RETURN_IF_ERROR(r.StringList("lis", "authorities", &c.lis_authorities));
  HB_RETURN_IF_ERROR(r.String("lis", "order_host", &c.lis_order_host));
  HB_RETURN_IF_ERROR(r.Int("lis", "order_port", &c.lis_order_port));
  HB_RETURN_IF_ERROR(r.String("lis", "order_version", &c.lis_order_version));
  HB_RETURN_IF_ERROR(r.String("lis", "order_application", &c.lis_order_application));
  HB_RETURN_IF_ERROR(r.Int("lis", "order_ack_timeout_s", &c.lis_order_ack_timeout_s));
  HB_RETURN_IF_ERROR(r.String("payments", "facility_code", &c.facility_code));
  HB_RETURN_IF_ERROR(r.String("payments", "facility_name", &c.facility_name));
  HB_RETURN_IF_ERROR(r.String("clinical", "eprescription_url", &c.eprescription_url));
  HB_RETURN_IF_ERROR(r.String("clinical", "eprescription_path", &c.eprescription_path));
  HB_RETURN_IF_ERROR(r.String("clinical", "eprescription_token", &c.eprescription_token));
  HB_RETURN_IF_ERROR(r.Int("clinical", "eprescription_timeout_ms", &c.eprescription_timeout_ms));
  HB_RETURN_IF_ERROR(r.String("payments", "bank_bin", &c.bank_bin));
  HB_RETURN_IF_ERROR(r.String("payments", "bank_account", &c.bank_account));
  HB_RETURN_IF_ERROR(r.String("payments", "receipt_secret", &c.receipt_secret));
  HB_RETURN_IF_ERROR(r.StringList("payments", "webhook_secrets", &c.webhook_secrets));
  HB_RETURN_IF_ERROR(r.String("payments", "invoice_per", &c.invoice_per));
  if (c.invoice_per != "encounter" && c.invoice_per != "day") {
    return Status(ErrorCode::kInvalidArgument,
                  "payments.invoice_per must be 'encounter' or 'day', got '" + c.invoice_per + "'");
  }
  HB_RETURN_IF_ERROR(r.String("imaging", "orthanc_url", &c.imaging_orthanc_url));
  HB_RETURN_IF_ERROR(r.String("imaging", "username", &c.imaging_username));
  HB_RETURN_IF_ERROR(r.String("imaging", "password", &c.imaging_password));
  HB_RETURN_IF_ERROR(r.String("imaging", "public_url", &c.imaging_public_url));
  HB_RETURN_IF_ERROR(r.String("imaging", "worklist_dir", &c.imaging_worklist_dir));
  HB_RETURN_IF_ERROR(r.String("imaging", "station_ae", &c.imaging_station_ae));
  HB_RETURN_IF_ERROR(r.String("imaging", "utc_offset", &c.imaging_utc_offset));
  HB_RETURN_IF_ERROR(r.Int("imaging", "poll_ms", &c.imaging_poll_ms));
  return c;
}

Status ParseListen(const std::string& listen, std::string* host, uint16_t* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status(ErrorCode::kInvalidArgument,
                  "--listen '" + listen + "' must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  std::string_view p(listen);
  p.remove_prefix(colon + 1);
  unsigned n = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n);
  if (ec != std::errc() || end != p.data() + p.size() || n > 65535) {
    return Status(ErrorCode::kInvalidArgument, "--listen '" + listen + "': bad port");
  }
  *port = static_cast<uint16_t>(n);
  return Status::Ok();
}

}  // namespace hb::app
