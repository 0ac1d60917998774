#include "rest/outcome.h"

#include <vector>

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

fhir::OutcomeIssue RuleFindingIssue(std::string_view severity, std::string_view rule,
                                    std::string_view diagnostics, std::string_view expression) {
  fhir::OutcomeIssue issue;
  issue.severity = severity;
  issue.code = "business-rule";
  issue.details_system = kRuleFindingSystem;
  issue.details_code = rule;
  issue.diagnostics = diagnostics;
  issue.expression = expression;
  return issue;
}

std::string OperationOutcomeJson(const Status& status) {
  std::vector<fhir::OutcomeIssue> issues;
  issues.reserve(status.issues().size());
  for (const Issue& issue : status.issues()) {
    std::string_view severity = issue.warning ? "warning" : "error";
    if (CategoryOf(issue.code) == ErrorCategory::kFault) severity = "fatal";
    std::string_view location = issue.location;
    // "details=<rule>;<expression>" (rest/write_rules.h): a business-rule finding.
    if (location.starts_with("details=")) {
      std::string_view rest = location.substr(8);
      std::string_view rule = rest.substr(0, rest.find(';'));
      location = rule.size() < rest.size() ? rest.substr(rule.size() + 1) : std::string_view();
      issues.push_back(RuleFindingIssue(severity, rule, issue.message, location));
      continue;
    }
    fhir::OutcomeIssue& out = issues.emplace_back();
    out.severity = severity;
    out.code = FhirIssueType(issue.code);
    out.diagnostics = issue.message;
    out.expression = location;
  }
  return fhir::OperationOutcomeJson(issues);
}

std::string InformationOutcomeJson(std::string_view message) {
  return fhir::OperationOutcomeJson(fhir::InformationIssue(message));
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
