#include "claims/portal_client.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include "claims/envelope.h"
#include "common/base64.h"

namespace hb::claims {

namespace {

std::string JsonString(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return {};
  if (it->value.IsString()) return it->value.GetString();
  if (it->value.IsInt64()) return std::to_string(it->value.GetInt64());
  return {};
}

}  // namespace

PortalAnswer ReadAnswer(const HttpResponse& r) {
  PortalAnswer a;
  a.http_status = r.status;
  a.body = r.body;
  if (r.status == 0) {
    a.message = "no answer: " + r.error;
    return a;
  }
  rapidjson::Document d;
  d.Parse(r.body.data(), r.body.size());
  const std::string state = d.HasParseError() ? std::string() : JsonString(d, "trangThai");
  if ((r.status == 200 || r.status == 201) && state == "1") {
    a.kind = PortalAnswer::kAccepted;
    a.transaction = JsonString(d, "maGiaoDich");
  } else if ((r.status == 200 || r.status == 201) && state == "2") {
    a.kind = PortalAnswer::kRejected;
    a.message = JsonString(d, "maLoi");
    if (a.message.empty()) a.message = "rejected without maLoi";
  } else {
    a.message = "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
  }
  return a;
}

bool PortalClient::GetToken(Token* out, std::string* why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!token_.access.empty() && std::chrono::steady_clock::now() < token_.expires) {
    *out = token_;
    return true;
  }
  const OutboundRequest req{
      .url = o_.base_url + (o_.kind == PortalKind::kNational ? "/api/token/take" : "/api/token"),
      .timeout = o_.timeout};
  const Fields form = {{"username", o_.username}, {"password", Md5Hex(o_.password)}};
  HttpResponse r =
      o_.kind == PortalKind::kNational ? PostForm(req, form) : PostMultipart(req, form, {});
  rapidjson::Document d;
  d.Parse(r.body.data(), r.body.size());
  if (r.status != 200 || d.HasParseError() || !d.IsObject()) {
    *why = "token refused: HTTP " + std::to_string(r.status) +
           (r.status ? ": " + r.body.substr(0, 200) : ": " + r.error);
    return false;
  }
  const rapidjson::Value& key = d.HasMember("APIKey") ? d["APIKey"] : d;
  Token t;
  t.access = JsonString(key, "access_token");
  if (t.access.empty()) t.access = JsonString(key, "token");
  t.id = JsonString(key, "id_token");
  std::string expires = JsonString(key, "expires_in");
  int64_t seconds = expires.empty() ? 1800 : std::atoll(expires.c_str());
  // Renew a minute early so that a token never expires in flight.
  t.expires =
      std::chrono::steady_clock::now() + std::chrono::seconds(std::max<int64_t>(seconds - 60, 5));
  if (t.access.empty()) {
    *why = "token answer without access_token";
    return false;
  }
  token_ = t;
  *out = t;
  return true;
}

void PortalClient::DropToken() {
  std::lock_guard<std::mutex> lock(mu_);
  token_ = Token{};
}

HttpResponse PortalClient::Send(std::string_view xml, std::string_view facility, const Token& t,
                                bool checkin) {
  if (o_.kind == PortalKind::kNational) {
    const OutboundRequest req{
        .url = o_.base_url +
               (checkin ? std::string("/api/qd130/checkInKcbQd3176")
                        : "/api/qd130/guiHoSoXmlQD" + std::string(SchemaName(o_.schema))),
        .headers = {{"accessToken", t.access},
                    {"tokenId", t.id},
                    {"passwordHash", Md5Hex(o_.password)}},
        .timeout = o_.timeout};
    return PostForm(req, {{"username", o_.username},
                          {"loaiHoSo", "130"},
                          {"maTinh", o_.province_code},
                          {"maCSKCB", std::string(facility)},
                          {"fileHSBase64", Base64Encode(xml)}});
  }
  const OutboundRequest req{.url = o_.base_url + "/api/Cong130/CheckIn",
                            .headers = {{"Authorization", "Bearer " + t.access}},
                            .timeout = o_.timeout};
  return PostMultipart(req, {},
                       {FilePart{"files", "hoso.xml", "application/xml", std::string(xml)}});
}

PortalAnswer PortalClient::Submit(std::string_view xml, std::string_view facility) {
  return Post(xml, facility, false);
}

PortalAnswer PortalClient::CheckIn(std::string_view xml, std::string_view facility) {
  return Post(xml, facility, true);
}

PortalAnswer PortalClient::Post(std::string_view xml, std::string_view facility, bool checkin) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    Token t;
    std::string why;
    if (!GetToken(&t, &why)) {
      PortalAnswer a;
      a.message = why;
      return a;
    }
    HttpResponse r = Send(xml, facility, t, checkin);
    if (r.status == 401 && attempt == 0) {
      DropToken();  // expired or revoked: one more try with a fresh token
      continue;
    }
    return ReadAnswer(r);
  }
  PortalAnswer a;
  a.http_status = 401;
  a.message = "HTTP 401 with a fresh token";
  return a;
}

}  // namespace hb::claims
