// OperationOutcome resources (https://hl7.org/fhir/R4/operationoutcome.html), written one
// way for the whole server: the REST layer's errors, the bulk jobs' error files and the
// operations' findings all use OperationOutcomeJson.
//
// Contract: pure functions, thread-safe. Elements in R4's order (severity, code, details,
// diagnostics, location, expression); empty fields are left out, so the result is a valid
// OperationOutcome whenever each issue has a severity and a code.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace hb::fhir {

struct OutcomeIssue {
  std::string severity = "error";  // fatal | error | warning | information
  std::string code = "processing";  // the IssueType (http://hl7.org/fhir/issue-type)
  std::string diagnostics;
  std::string details_system;  // with details_code: issue.details.coding[0]
  std::string details_code;
  std::string location;    // issue.location (e.g. the import's "file:line")
  std::string expression;  // one FHIRPath expression ("Patient.birthDate")
};

// An information issue ("informational") saying `message`: nothing wrong.
OutcomeIssue InformationIssue(std::string_view message);

std::string OperationOutcomeJson(std::span<const OutcomeIssue> issues);
inline std::string OperationOutcomeJson(const OutcomeIssue& issue) {
  return OperationOutcomeJson(std::span<const OutcomeIssue>(&issue, 1));
}

}  // namespace hb::fhir
