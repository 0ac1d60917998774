// The two portals a claim goes to (shared/reference §1), each contract exactly:
//
// National assessment gateway (cổng tiếp nhận dữ liệu giám định BHYT):
//   token   POST {url}/api/token/take, form username, password = MD5(password)
//           -> {"maKetQua":"200","APIKey":{"access_token","id_token","expires_in"}}
//   submit  POST {url}/api/qd130/guiHoSoXmlQD4750 (or ...QD3176), form username,
//           loaiHoSo=130, maTinh, maCSKCB, fileHSBase64 (the signed file, base64);
//           headers accessToken, tokenId (id_token), passwordHash (MD5 of the password)
// Điện Biên health data portal:
//   token   POST {url}/api/token, multipart username, password = MD5(password)
//           -> {"access_token","expires_in"}
//   submit  POST {url}/api/Cong130/CheckIn, Authorization: Bearer <token>, multipart
//           field `files` (filename hoso.xml) holding the signed file
// Answers (both): HTTP 200 {"maGiaoDich","trangThai":1,"maLoi":null} accepted; HTTP 201
// {"trangThai":2,"maLoi":"Lỗi hồ sơ thứ N: (...)"} the record was rejected; 400, 401, 5xx
// and no answer are system errors, tried again later. A 401 drops the cached token and
// the submission is repeated once with a fresh one. The token response shapes are
// [unconfirmed] beyond the names above; other readings of them are accepted.
//
// Thread-safety: Submit may be called from several threads; the token cache is locked.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "claims/http_client.h"
#include "claims/table_schema.h"

namespace hb::claims {

enum class PortalKind { kNational, kProvincial };

struct PortalOptions {
  PortalKind kind = PortalKind::kNational;
  std::string name;      // "national", "provincial": logs and Task inputs
  std::string base_url;  // scheme://host[:port][/prefix], from configuration
  std::string username;
  std::string password;
  SchemaVersion schema = SchemaVersion::k4750;
  std::string province_code = "11";  // maTinh
  std::chrono::milliseconds timeout{30000};
};

struct PortalAnswer {
  enum Kind { kAccepted, kRejected, kRetry } kind = kRetry;
  long http_status = 0;
  std::string transaction;  // maGiaoDich when accepted
  std::string message;      // maLoi when rejected; the cause when retried
  std::string body;         // the portal's answer as received
};

class PortalClient {
 public:
  explicit PortalClient(PortalOptions options) : o_(std::move(options)) {}
  const PortalOptions& options() const { return o_; }
  PortalAnswer Submit(std::string_view signed_xml, std::string_view facility_code);
  // The check-in (XML0) at the start of a visit: the national gateway's checkInKcbQd3176,
  // same form and headers as Submit.
  PortalAnswer CheckIn(std::string_view signed_xml, std::string_view facility_code);

 private:
  struct Token {
    std::string access, id;
    std::chrono::steady_clock::time_point expires;
  };
  // The cached token, or a new one; false with `why` when the portal gives none.
  bool GetToken(Token* out, std::string* why);
  void DropToken();
  HttpResponse Send(std::string_view xml, std::string_view facility, const Token& t,
                    bool checkin);
  PortalAnswer Post(std::string_view xml, std::string_view facility, bool checkin);

  const PortalOptions o_;
  std::mutex mu_;
  Token token_;
};

// Reads a submission answer (exposed for tests).
PortalAnswer ReadAnswer(const HttpResponse& r);

}  // namespace hb::claims
