// `healthbook fhirpath eval --input FILE.json [--terminology DIR] 'EXPRESSION'`: evaluates a
// FHIRPath expression over a FHIR JSON file and prints one JSON array, one {"type", "value"}
// object per result. memberOf()/subsumes()/subsumedBy() use the CodeSystem and ValueSet
// resources (or Bundles of them) in the *.json files of DIR, and the built-in ICD-10.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "app/commands.h"
#include "claims/icd10.h"
#include "common/embedded.h"
#include "fhir/json.h"
#include "fhir/vn_systems.h"
#include "fhirpath/fhirpath.h"
#include "search/terminology.h"

HB_EMBEDDED(hb_catalog_icd10)

namespace hb::app {

namespace {

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kInvalidArgument, "cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(ErrorCode::kInvalidArgument, "cannot read " + path.string());
  return text.str();
}

std::string ToJson(const fhir::JsonValue& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  v.Accept(w);
  return std::string(out.GetString(), out.GetSize());
}

// CodeSystem and ValueSet resources by (type, url), read from a folder of JSON files.
using CanonicalFiles = std::map<std::pair<std::string, std::string>, search::CanonicalResource>;

Status AddCanonical(const fhir::JsonValue& resource, const std::string& file,
                    CanonicalFiles& out) {
  if (!resource.IsObject()) return Status::Ok();
  std::string type(fhir::MemberString(resource, "resourceType"));
  if (type == "Bundle") {
    const fhir::JsonValue* entries = fhir::Member(resource, "entry");
    if (entries == nullptr || !entries->IsArray()) return Status::Ok();
    for (const fhir::JsonValue& entry : entries->GetArray()) {
      const fhir::JsonValue* r = entry.IsObject() ? fhir::Member(entry, "resource") : nullptr;
      if (r != nullptr) HB_RETURN_IF_ERROR(AddCanonical(*r, file, out));
    }
    return Status::Ok();
  }
  if (type != "CodeSystem" && type != "ValueSet") return Status::Ok();
  std::string url(fhir::MemberString(resource, "url"));
  if (url.empty()) {
    return Status(ErrorCode::kInvalidArgument, file + ": a " + type + " without a url");
  }
  auto [it, added] = out.emplace(std::make_pair(type, url),
                                 search::CanonicalResource{ToJson(resource), "file:" + file});
  if (!added) {
    return Status(ErrorCode::kInvalidArgument, file + ": " + type + " '" + url +
                                                   "' is also in " +
                                                   it->second.version_key.substr(5));
  }
  return Status::Ok();
}

Result<CanonicalFiles> LoadTerminologyDir(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status(ErrorCode::kInvalidArgument, "--terminology " + dir + " is not a folder");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  if (ec) return Status(ErrorCode::kInvalidArgument, "cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  CanonicalFiles out;
  for (const auto& path : files) {
    HB_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    auto doc = fhir::ParseJson(text);
    if (!doc.ok()) {
      return Status(ErrorCode::kInvalidArgument, path.string() + ": " + doc.status().message());
    }
    HB_RETURN_IF_ERROR(AddCanonical(*doc, path.string(), out));
  }
  return out;
}

}  // namespace

void RegisterBuiltinCodeSystems() {
  // ICD-10 of QĐ 4469: a code subsumes those it begins (J18: J18.0 … J18.9).
  search::RegisterBuiltinCodeSystem(
      fhir::vn::Systems().icd10_vn,
      [] {
        auto icd = claims::Icd10::Load(hb_catalog_icd10_view());
        return icd.ok() ? icd->CodeSystemJson("icd-10-vn", fhir::vn::Systems().icd10_vn)
                        : std::string(R"({"resourceType":"CodeSystem"})");
      },
      /*prefix_hierarchy=*/true);
}

int RunFhirpathEval(const std::string& input_path, const std::string& expression,
                    const std::string& terminology_dir) {
  auto fail = [](const std::string& message) {
    std::fprintf(stderr, "healthbook fhirpath: %s\n", message.c_str());
    return 1;
  };
  auto text = ReadFile(input_path);
  if (!text.ok()) return fail(text.status().message());
  auto doc = fhir::ParseJson(*text);
  if (!doc.ok()) return fail(input_path + ": " + doc.status().message());

  CanonicalFiles files;
  if (!terminology_dir.empty()) {
    auto loaded = LoadTerminologyDir(terminology_dir);
    if (!loaded.ok()) return fail(loaded.status().message());
    files = std::move(*loaded);
  }
  RegisterBuiltinCodeSystems();
  search::FhirPathTerminology terminology(
      [&files](std::string_view type,
               std::string_view url) -> Result<std::optional<search::CanonicalResource>> {
        auto it = files.find(std::make_pair(std::string(type), std::string(url)));
        if (it != files.end()) return std::optional<search::CanonicalResource>(it->second);
        if (type == "CodeSystem") return search::BuiltinCodeSystem(url);
        return std::optional<search::CanonicalResource>();
      });

  auto compiled = fhirpath::Expression::Compile(expression);
  if (!compiled.ok()) return fail(compiled.status().message());
  fhirpath::EvalOptions options;
  options.terminology = &terminology;
  auto items = fhirpath::Evaluate(*compiled, *doc, {}, options);
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
