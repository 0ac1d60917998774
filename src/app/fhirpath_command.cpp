// `healthbook fhirpath eval --input FILE.json 'EXPRESSION'`: evaluates a FHIRPath expression
// over a FHIR JSON file and prints one JSON array, one {"type", "value"} object per result.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/commands.h"
#include "fhir/json.h"
#include "fhirpath/fhirpath.h"

namespace hb::app {

int RunFhirpathEval(const std::string& input_path, const std::string& expression) {
  auto fail = [](const std::string& message) {
    std::fprintf(stderr, "healthbook fhirpath: %s\n", message.c_str());
    return 1;
  };
  std::ifstream in(input_path, std::ios::binary);
  if (!in) return fail("cannot read " + input_path);
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return fail("cannot read " + input_path);
  auto doc = fhir::ParseJson(text.str());
  if (!doc.ok()) return fail(input_path + ": " + doc.status().message());

  auto compiled = fhirpath::Expression::Compile(expression);
  if (!compiled.ok()) return fail(compiled.status().message());
  auto items = fhirpath::Evaluate(*compiled, *doc);
  if (!items.ok()) return fail(items.status().message());

  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartArray();
  for (const fhirpath::Item& item : *items) {
    w.StartObject();
    w.Key("type");
    std::string type = fhirpath::TypeName(item);
    w.String(type.data(), static_cast<rapidjson::SizeType>(type.size()), true);
    w.Key("value");
    fhirpath::WriteValueJson(item, w);
    w.EndObject();
  }
  w.EndArray();
  std::printf("%s\n", out.GetString());
  return 0;
}

}  // namespace hb::app
