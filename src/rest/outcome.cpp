#include "rest/outcome.h"

#include <vector>

#include "fhir/outcome.h"
#include "rest/write_rules.h"

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

std::string OperationOutcomeJson(const Status& status) {
  std::vector<fhir::OutcomeIssue> issues;
  issues.reserve(status.issues().size());
  for (const Issue& issue : status.issues()) {
    fhir::OutcomeIssue& out = issues.emplace_back();
    out.severity = issue.warning ? "warning" : "error";
    if (CategoryOf(issue.code) == ErrorCategory::kFault) out.severity = "fatal";
    out.code = FhirIssueType(issue.code);
    out.diagnostics = issue.message;
    std::string_view location = issue.location;
    // "details=<code>;<expression>" (rest/write_rules.h): the kind of a business-rule finding.
    if (location.starts_with("details=")) {
      std::string_view rest = location.substr(8);
      std::string_view detail = rest.substr(0, rest.find(';'));
      location = detail.size() < rest.size() ? rest.substr(detail.size() + 1) : std::string_view();
      out.details_system = kRuleFindingSystem;
      out.details_code = detail;
    }
    out.expression = location;
  }
  return fhir::OperationOutcomeJson(issues);
}

std::string InformationOutcomeJson(std::string_view message) {
  fhir::OutcomeIssue issue;
  issue.severity = "information";
  issue.code = "informational";
  issue.diagnostics = message;
  return fhir::OperationOutcomeJson(issue);
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
