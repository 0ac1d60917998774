#include "fhir/outcome.h"

#include <gtest/gtest.h>

#include <vector>

#include "fhir/json.h"
#include "fhir/validator.h"

namespace hb::fhir {
namespace {

TEST(FhirOutcome, WritesEveryFieldInR4Order) {
  OutcomeIssue issue;
  issue.severity = "warning";
  issue.code = "business-rule";
  issue.details_system = "https://example.org/rules";
  issue.details_code = "duplicate-drug";
  issue.diagnostics = "Trùng hoạt chất \"paracetamol\"";
  issue.location = "visits.ndjson:12";
  issue.expression = "Parameters.parameter[1].resource";
  EXPECT_EQ(OperationOutcomeJson(issue),
            R"({"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"business-rule",)"
            R"("details":{"coding":[{"system":"https://example.org/rules","code":"duplicate-drug"}]},)"
            R"("diagnostics":"Trùng hoạt chất \"paracetamol\"","location":["visits.ndjson:12"],)"
            R"("expression":["Parameters.parameter[1].resource"]}]})");
}

TEST(FhirOutcome, LeavesOutEmptyFields) {
  OutcomeIssue issue;  // error / processing
  issue.diagnostics = "no such patient";
  EXPECT_EQ(OperationOutcomeJson(issue),
            R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"no such patient"}]})");
}

TEST(FhirOutcome, IsAValidResource) {
  std::vector<OutcomeIssue> issues(3);
  issues[0].diagnostics = "a";
  issues[1].severity = "information";
  issues[1].code = "informational";
  issues[2].details_code = "x";
  issues[2].expression = "Patient.name[0]";
  auto doc = ParseJson(OperationOutcomeJson(issues));
  ASSERT_TRUE(doc.ok());
  Status s = ValidateResource(*doc, nullptr);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ((*doc)["issue"].Size(), 3u);
}

}  // namespace
}  // namespace hb::fhir
