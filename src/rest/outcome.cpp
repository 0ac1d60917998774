#include "rest/outcome.h"

#include "rest/write_rules.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hb::rest {

int HttpStatusFor(ErrorCode code) {
  switch (CategoryOf(code)) {
    case ErrorCategory::kInvalid: return 400;
    case ErrorCategory::kUnauthenticated: return 401;
    case ErrorCategory::kForbidden: return 403;
    case ErrorCategory::kNotFound: return 404;
    case ErrorCategory::kNotAllowed: return 405;
    case ErrorCategory::kNotAcceptable: return 406;
    case ErrorCategory::kConflict: return 409;
    case ErrorCategory::kGone: return 410;
    case ErrorCategory::kPrecondition: return 412;
    case ErrorCategory::kTooLarge: return 413;
    case ErrorCategory::kUnsupportedMedia: return 415;
    case ErrorCategory::kUnprocessable: return 422;
    case ErrorCategory::kRateLimited: return 429;
    case ErrorCategory::kUnavailable: return 503;
    case ErrorCategory::kFault: return 500;
  }
  return 500;
}

namespace {

void WriteIssue(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view severity,
                std::string_view code, std::string_view message, std::string_view location) {
  w.StartObject();
  w.Key("severity");
  w.String(severity.data(), static_cast<rapidjson::SizeType>(severity.size()));
  w.Key("code");
  w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  // "details=<code>;<expression>" (rest/write_rules.h): the kind of a business-rule finding.
  if (location.starts_with("details=")) {
    std::string_view rest = location.substr(8);
    std::string_view detail = rest.substr(0, rest.find(';'));
    location = detail.size() < rest.size() ? rest.substr(detail.size() + 1) : std::string_view();
    w.Key("details");
    w.StartObject();
    w.Key("coding");
    w.StartArray();
    w.StartObject();
    w.Key("system");
    w.String(kRuleFindingSystem.data(), static_cast<rapidjson::SizeType>(kRuleFindingSystem.size()));
    w.Key("code");
    w.String(detail.data(), static_cast<rapidjson::SizeType>(detail.size()));
    w.EndObject();
    w.EndArray();
    w.EndObject();
  }
  w.Key("diagnostics");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  if (!location.empty()) {
    w.Key("expression");
    w.StartArray();
    w.String(location.data(), static_cast<rapidjson::SizeType>(location.size()));
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

std::string OperationOutcomeJson(const Status& status) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("resourceType");
  w.String("OperationOutcome");
  w.Key("issue");
  w.StartArray();
  for (const Issue& issue : status.issues()) {
    std::string_view severity = issue.warning ? "warning" : "error";
    if (CategoryOf(issue.code) == ErrorCategory::kFault) severity = "fatal";
    WriteIssue(w, severity, FhirIssueType(issue.code), issue.message, issue.location);
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string InformationOutcomeJson(std::string_view message) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("resourceType");
  w.String("OperationOutcome");
  w.Key("issue");
  w.StartArray();
  WriteIssue(w, "information", "informational", message, "");
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

http::Response ErrorResponse(const Status& status) {
  http::Response r;
  r.status = HttpStatusFor(status.code());
  r.content_type = std::string(kFhirJson);
  r.body = OperationOutcomeJson(status);
  return r;
}

http::Response RenderTransportError(int http_status, std::string message) {
  ErrorCode code = ErrorCode::kInvalidArgument;
  switch (http_status) {
    case 404: code = ErrorCode::kNotFound; break;
    case 405: code = ErrorCode::kMethodNotAllowed; break;
    case 413: code = ErrorCode::kTooLarge; break;
    case 431: code = ErrorCode::kTooLarge; break;
    case 429: code = ErrorCode::kRateLimited; break;
    case 503: code = ErrorCode::kUnavailable; break;
    default:
      if (http_status >= 500) code = ErrorCode::kInternal;
  }
  http::Response r = ErrorResponse(Status(code, std::move(message)));
  r.status = http_status;
  return r;
}

}  // namespace hb::rest
