// Errors to HTTP: the one place that maps error categories to status codes and
// renders OperationOutcome resources (https://hl7.org/fhir/R4/operationoutcome.html).
//
// Contract: pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "fhir/outcome.h"
#include "http/message.h"

namespace hb::rest {

inline constexpr std::string_view kFhirJson = "application/fhir+json; charset=utf-8";

int HttpStatusFor(ErrorCode code);
// An OperationOutcome with one issue per Status issue: severity, code (the FHIR
// IssueType), diagnostics (the message) and expression (the FHIRPath location).
std::string OperationOutcomeJson(const Status& status);
// A business-rule finding as an issue: code business-rule, details.coding
// {kRuleFindingSystem, `rule`}, one expression (rest/write_rules.h).
fhir::OutcomeIssue RuleFindingIssue(std::string_view severity, std::string_view rule,
                                    std::string_view diagnostics, std::string_view expression);
// An informational OperationOutcome ("deleted", "nothing changed").
std::string InformationOutcomeJson(std::string_view message);
http::Response ErrorResponse(const Status& status);
// For http::ServerOptions::render_error: transport errors as OperationOutcome.
http::Response RenderTransportError(int http_status, std::string message);

}  // namespace hb::rest
