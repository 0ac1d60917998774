#include "fhir/outcome.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hb::fhir {

OutcomeIssue InformationIssue(std::string_view message) {
  OutcomeIssue issue;
  issue.severity = "information";
  issue.code = "informational";
  issue.diagnostics = message;
  return issue;
}

std::string OperationOutcomeJson(std::span<const OutcomeIssue> issues) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&w](std::string_view v) {
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  auto one_string_array = [&](const char* key, std::string_view v) {
    if (v.empty()) return;
    w.Key(key);
    w.StartArray();
    str(v);
    w.EndArray();
  };
  w.StartObject();
  w.Key("resourceType");
  w.String("OperationOutcome");
  w.Key("issue");
  w.StartArray();
  for (const OutcomeIssue& issue : issues) {
    w.StartObject();
    w.Key("severity");
    str(issue.severity);
    w.Key("code");
    str(issue.code);
    if (!issue.details_code.empty()) {
      w.Key("details");
      w.StartObject();
      w.Key("coding");
      w.StartArray();
      w.StartObject();
      if (!issue.details_system.empty()) {
        w.Key("system");
        str(issue.details_system);
      }
      w.Key("code");
      str(issue.details_code);
      w.EndObject();
      w.EndArray();
      w.EndObject();
    }
    if (!issue.diagnostics.empty()) {
      w.Key("diagnostics");
      str(issue.diagnostics);
    }
    one_string_array("location", issue.location);
    one_string_array("expression", issue.expression);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace hb::fhir
