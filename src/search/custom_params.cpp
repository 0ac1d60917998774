#include "search/custom_params.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/embedded.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/vn_systems.h"
#include "fhirpath/fhirpath.h"

HB_EMBEDDED(hb_sp_patient_cccd)
HB_EMBEDDED(hb_sp_patient_cmnd)
HB_EMBEDDED(hb_sp_patient_bhyt)
HB_EMBEDDED(hb_sp_patient_ethnicity)
HB_EMBEDDED(hb_sp_patient_commune)
HB_EMBEDDED(hb_sp_diagnosticreport_imaging_study)
HB_EMBEDDED(hb_sp_observation_interpretation)

namespace hb::search {

namespace {

Status Invalid(std::string_view source, const std::string& why) {
  return Status(ErrorCode::kInvalidArgument,
                "SearchParameter " + std::string(source) + ": " + why);
}

Result<std::vector<std::string>> Strings(const fhir::JsonValue& doc, const char* name,
                                         std::string_view source) {
  std::vector<std::string> out;
  const fhir::JsonValue* v = fhir::Member(doc, name);
  if (v == nullptr) return out;
  if (!v->IsArray()) return Invalid(source, std::string(name) + " must be an array");
  for (const auto& item : v->GetArray()) {
    if (!fhir::IsString(item)) return Invalid(source, std::string(name) + " must hold strings");
    out.emplace_back(fhir::StringView(item));
  }
  return out;
}

}  // namespace

Result<CustomParamDef> ParseCustomSearchParameter(std::string_view json, std::string_view source) {
  auto doc = fhir::ParseJson(json);
  if (!doc.ok()) return Invalid(source, doc.status().message());
  if (!doc->IsObject() || fhir::MemberString(*doc, "resourceType") != "SearchParameter") {
    return Invalid(source, "not a SearchParameter resource");
  }
  CustomParamDef d;
  d.source = std::string(source);
  d.url = std::string(fhir::MemberString(*doc, "url"));
  d.code = std::string(fhir::MemberString(*doc, "code"));
  d.type = std::string(fhir::MemberString(*doc, "type"));
  d.expression = std::string(fhir::MemberString(*doc, "expression"));
  std::string status(fhir::MemberString(*doc, "status"));
  HB_ASSIGN_OR_RETURN(d.base, Strings(*doc, "base", source));
  HB_ASSIGN_OR_RETURN(d.target, Strings(*doc, "target", source));
  if (status != "active" && status != "draft") {
    return Invalid(source, "status is '" + status + "'; only active and draft ones are used");
  }
  if (d.url.empty()) return Invalid(source, "url is required");
  if (d.code.empty() || d.code.starts_with('_') ||
      d.code.find_first_of(" .:$,|=&?") != std::string::npos) {
    return Invalid(source, "code '" + d.code + "' is not usable as a search parameter name");
  }
  static const std::set<std::string, std::less<>> kTypes = {
      "number", "date", "string", "token", "reference", "quantity", "uri"};
  if (!kTypes.count(d.type)) {
    return Invalid(source, "type '" + d.type +
                               "' is not supported here (number, date, string, token, "
                               "reference, quantity, uri)");
  }
  if (d.base.empty()) return Invalid(source, "base names no resource type");
  const fhir::Model& model = fhir::Model::R4();
  for (const std::string& b : d.base) {
    if (!model.IsResourceType(b)) return Invalid(source, "base '" + b + "' is not a resource type");
    for (const fhir::SearchParamDef* core : model.SearchParameters(b)) {
      if (core->code == d.code) {
        return Invalid(source, "'" + d.code + "' is already an R4 search parameter of " + b);
      }
    }
  }
  for (const std::string& t : d.target) {
    if (!model.IsResourceType(t)) return Invalid(source, "target '" + t + "' is not a resource type");
  }
  if (d.expression.empty()) return Invalid(source, "expression is required");
  auto compiled = fhirpath::Expression::Compile(d.expression);
  if (!compiled.ok()) return Invalid(source, "expression: " + compiled.status().message());
  return d;
}

Result<std::vector<CustomParamDef>> LoadCustomSearchParameters(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> texts = {
      {"built-in patient-cccd", fhir::vn::RebaseSystems(hb_sp_patient_cccd_view())},
      {"built-in patient-cmnd", fhir::vn::RebaseSystems(hb_sp_patient_cmnd_view())},
      {"built-in patient-bhyt", fhir::vn::RebaseSystems(hb_sp_patient_bhyt_view())},
      {"built-in patient-ethnicity", fhir::vn::RebaseSystems(hb_sp_patient_ethnicity_view())},
      {"built-in patient-commune", fhir::vn::RebaseSystems(hb_sp_patient_commune_view())},
      {"built-in diagnosticreport-imaging-study",
       fhir::vn::RebaseSystems(hb_sp_diagnosticreport_imaging_study_view())},
      {"built-in observation-interpretation",
       fhir::vn::RebaseSystems(hb_sp_observation_interpretation_view())},
  };
  HB_ASSIGN_OR_RETURN(auto files, ReadJsonFiles(dir, "SearchParameter"));
  texts.insert(texts.end(), files.begin(), files.end());
  std::vector<CustomParamDef> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [source, text] : texts) {
    HB_ASSIGN_OR_RETURN(CustomParamDef d, ParseCustomSearchParameter(text, source));
    for (const std::string& b : d.base) {
      if (!seen.emplace(b, d.code).second) {
        return Invalid(source, "'" + d.code + "' on " + b + " is defined twice");
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ReadJsonFiles(const std::string& dir,
                                                                     std::string_view what) {
  std::vector<std::pair<std::string, std::string>> out;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      return Status(ErrorCode::kInvalidArgument, std::string(what) + " " + f.string() + ": cannot be read");
    }
    out.emplace_back(f.filename().string(), text.str());
  }
  return out;
}

}  // namespace hb::search
