// Every FHIRPath expression of the R4 SearchParameters, over every official R4 example:
// each must compile, pass Expression::Check for its base types, and evaluate without error
// on the examples (and on the resources inside the example Bundles). Prints a micro
// benchmark of that workload (no timing assertion).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "fhir/package_files_test_util.h"
#include "fhirpath/fhirpath.h"

namespace hb::fhirpath {
namespace {

namespace fs = std::filesystem;

struct Param {
  std::string_view type, code;
  std::shared_ptr<Expression> expression;
};

// The search parameters of every resource type, compiled once.
const std::vector<Param>& Params() {
  static const std::vector<Param> params = [] {
    std::vector<Param> out;
    std::map<std::string_view, std::shared_ptr<Expression>> compiled;
    const fhir::Model& model = fhir::Model::R4();
    for (std::string_view type : model.ResourceTypes()) {
      for (const fhir::SearchParamDef* p : model.SearchParameters(type)) {
        if (p->expression.empty()) continue;
        auto& e = compiled[p->expression];
        if (!e) {
          auto r = Expression::Compile(p->expression);
          if (!r.ok()) {
            ADD_FAILURE() << p->url << ": " << p->expression << ": " << r.status().message();
            continue;
          }
          e = std::make_shared<Expression>(std::move(r).value());
        }
        out.push_back({type, p->code, e});
      }
    }
    return out;
  }();
  return params;
}

struct Example {
  std::string file;
  fhir::JsonDoc doc;
};

const std::vector<Example>& Examples() {
  static const std::vector<Example> examples = [] {
    std::vector<Example> out;
    for (const fs::path& f : fhir::r4_package::PackageFiles()) {
      auto doc = fhir::ParseJson(fhir::r4_package::ReadFile(f));
      if (doc.ok() && doc->IsObject() && fhir::Member(*doc, "resourceType") != nullptr) {
        out.push_back({f.filename().string(), std::move(doc).value()});
      }
    }
    return out;
  }();
  return examples;
}

// The resources to index: each example, and the resources of example Bundles.
std::vector<const fhir::JsonValue*> Resources() {
  std::vector<const fhir::JsonValue*> out;
  for (const Example& e : Examples()) {
    out.push_back(&e.doc);
    const fhir::JsonValue* entries = fhir::Member(e.doc, "entry");
    if (fhir::MemberString(e.doc, "resourceType") != "Bundle" || !entries || !entries->IsArray()) {
      continue;
    }
    for (const fhir::JsonValue& entry : entries->GetArray()) {
      const fhir::JsonValue* r = entry.IsObject() ? fhir::Member(entry, "resource") : nullptr;
      if (r != nullptr && r->IsObject()) out.push_back(r);
    }
  }
  return out;
}

TEST(FhirPathSearchParams, EveryExpressionCompilesAndChecks) {
  ASSERT_GT(Params().size(), 1000u);
  for (const Param& p : Params()) {
    Status s = p.expression->Check(p.type);
    EXPECT_TRUE(s.ok()) << p.type << "." << p.code << ": " << p.expression->text() << ": "
                        << s.message();
  }
}

TEST(FhirPathSearchParams, EveryExpressionEvaluatesOnTheExamples) {
  ASSERT_GT(Examples().size(), 500u) << "examples from " << HB_FHIR_PACKAGE_DIR;
  std::map<std::string_view, std::vector<const Param*>> by_type;
  for (const Param& p : Params()) by_type[p.type].push_back(&p);
  std::vector<const fhir::JsonValue*> resources = Resources();
  size_t evaluations = 0, items = 0;
  std::map<const Param*, double> cost;  // microseconds per parameter
  auto start = std::chrono::steady_clock::now();
  for (const fhir::JsonValue* r : resources) {
    for (const Param* p : by_type[fhir::MemberString(*r, "resourceType")]) {
      auto t0 = std::chrono::steady_clock::now();
      auto result = Evaluate(*p->expression, *r);
      cost[p] +=
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
      ++evaluations;
      if (!result.ok()) {
        ADD_FAILURE() << fhir::MemberString(*r, "resourceType") << "/"
                      << fhir::MemberString(*r, "id") << " " << p->code << ": "
                      << p->expression->text() << ": " << result.status().message();
        continue;
      }
      items += result->size();
    }
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "search-parameter workload: %zu resources, %zu evaluations, %zu items in %.1f ms "
      "(%.2f us per evaluation)\n",
      resources.size(), evaluations, items, ms, 1000.0 * ms / evaluations);
  std::vector<std::pair<double, const Param*>> costly;
  for (const auto& [p, us] : cost) costly.push_back({us, p});
  std::sort(costly.rbegin(), costly.rend());
  for (size_t i = 0; i < costly.size() && i < 5; ++i) {
    std::printf("  %8.1f ms  %s.%s: %s\n", costly[i].first / 1000,
                std::string(costly[i].second->type).c_str(),
                std::string(costly[i].second->code).c_str(),
                costly[i].second->expression->text().c_str());
  }
  EXPECT_GT(items, 10000u);
}

TEST(FhirPathSearchParams, MicroBenchmark) {
  // A typical indexing step: one Patient, every Patient search parameter, many times.
  const fhir::JsonValue* patient = nullptr;
  for (const Example& e : Examples()) {
    if (e.file == "Patient-example.json") patient = &e.doc;
  }
  ASSERT_NE(patient, nullptr);
  std::vector<const Param*> params;
  for (const Param& p : Params()) {
    if (p.type == "Patient") params.push_back(&p);
  }
  constexpr int kRounds = 2000;
  size_t items = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    for (const Param* p : params) items += Evaluate(*p->expression, *patient)->size();
  }
  double us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "Patient-example x %zu Patient search parameters: %.2f us per resource, "
      "%.3f us per expression (%zu items)\n",
      params.size(), us / kRounds, us / kRounds / params.size(), items / kRounds);
}

}  // namespace
}  // namespace hb::fhirpath
