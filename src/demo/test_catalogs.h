// Test helper: the real catalogue files, read once per test binary.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "demo/demo_province.h"
#include "fhir/json.h"

namespace hb::demo::testing {

inline std::string ReadWholeFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const Catalogs& RealCatalogs() {
  static const std::string admin = ReadWholeFile(HB_ADMIN_UNITS_CSV);
  static const std::string icd = ReadWholeFile(HB_ICD10_CSV);
  static const Catalogs catalogs{admin, icd};
  return catalogs;
}

// One resource as the generator emitted it.
struct Emitted {
  std::string type, id, json;
};

// Runs the generator on the real catalogues; keeps the resources (of `only_type` when given).
inline std::vector<Emitted> Generate(const DemoOptions& options, DemoSummary* summary = nullptr,
                                     std::string_view only_type = {}) {
  std::vector<Emitted> out;
  Status s = BuildDemoProvince(
      options, RealCatalogs(),
      [&](std::string_view type, std::string_view id, std::string json) {
        if (only_type.empty() || type == only_type)
          out.push_back({std::string(type), std::string(id), std::move(json)});
        return Status::Ok();
      },
      summary);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

inline fhir::JsonDoc Parse(const Emitted& e) {
  auto doc = fhir::ParseJson(e.json);
  EXPECT_TRUE(doc.ok()) << e.id << ": " << doc.status().ToString();
  return doc.ok() ? std::move(doc).value() : fhir::JsonDoc();
}

// Every Reference.reference string in `v`, depth first.
inline void CollectReferences(const fhir::JsonValue& v, std::vector<std::string>& out) {
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      if (fhir::StringView(m.name) == "reference" && fhir::IsString(m.value)) {
        out.emplace_back(fhir::StringView(m.value));
      } else {
        CollectReferences(m.value, out);
      }
    }
  } else if (v.IsArray()) {
    for (const fhir::JsonValue& item : v.GetArray()) CollectReferences(item, out);
  }
}

}  // namespace hb::demo::testing
