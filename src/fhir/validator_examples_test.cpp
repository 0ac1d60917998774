// Data-driven: every official R4 example instance in the package must validate.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fhir/json.h"
#include "fhir/package_files_test_util.h"
#include "fhir/validator.h"

namespace hb::fhir {
namespace {

namespace fs = std::filesystem;

using r4_package::ReadFile;

// Conformance resources are definitions, not example instances.
bool IsExampleFile(const std::string& name) {
  static const char* kSkip[] = {"StructureDefinition-",
                                "SearchParameter-",
                                "ValueSet-",
                                "CodeSystem-",
                                "ConceptMap-",
                                "OperationDefinition-",
                                "CapabilityStatement-",
                                "CompartmentDefinition-",
                                "NamingSystem-",
                                "ImplementationGuide-",
                                "StructureMap-"};
  for (const char* prefix : kSkip) {
    if (name.rfind(prefix, 0) == 0) return false;
  }
  return true;
}

std::vector<fs::path> ExampleFiles() {
  std::vector<fs::path> files = r4_package::PackageFiles();
  std::erase_if(files, [](const fs::path& f) { return !IsExampleFile(f.filename().string()); });
  return files;
}

// Official examples that break R4 itself; each must keep failing, and only for these reasons.
struct KnownViolation {
  const char* file;
  std::vector<std::string> reasons;  // every issue message contains one of these
};
const std::vector<KnownViolation>& KnownViolations() {
  static const std::vector<KnownViolation> kKnown = {
      // Nested display items lack linkId, which Questionnaire.item.linkId (1..1) requires.
      {"Questionnaire-qs1.json", {"missing required element 'linkId'"}},
      // The package's own index IG: ImplementationGuide.name and .status are 1..1.
      {"ig-r4.json", {"missing required element 'name'", "missing required element 'status'"}},
  };
  return kKnown;
}

const KnownViolation* FindKnown(const std::string& name) {
  for (const auto& k : KnownViolations()) {
    if (name == k.file) return &k;
  }
  return nullptr;
}

std::string Describe(const Status& s) {
  std::string all;
  for (const Issue& i : s.issues()) all += "\n    " + i.location + ": " + i.message;
  return all;
}

TEST(OfficialExamples, EveryExampleValidates) {
  std::vector<fs::path> files = ExampleFiles();
  EXPECT_EQ(files.size(), 726u);
  size_t failures = 0, known = 0;
  for (const fs::path& file : files) {
    std::string name = file.filename().string();
    auto doc = ParseJson(ReadFile(file));
    ASSERT_TRUE(doc.ok()) << name << ": " << doc.status().ToString();
    ResourceFacts facts;
    Status s = ValidateResource(*doc, &facts);
    const KnownViolation* k = FindKnown(name);
    if (k != nullptr) {
      ++known;
      EXPECT_FALSE(s.ok()) << name << " was expected to break R4";
      for (const Issue& i : s.issues()) {
        bool expected = false;
        for (const auto& reason : k->reasons)
          expected |= i.message.find(reason) != std::string::npos;
        EXPECT_TRUE(expected) << name << ": unexpected issue " << i.location << ": " << i.message;
      }
      continue;
    }
    if (!s.ok()) {
      ++failures;
      ADD_FAILURE() << name << Describe(s);
    }
    EXPECT_FALSE(facts.resource_type.empty()) << name;
  }
  EXPECT_EQ(failures, 0u);
  EXPECT_EQ(known, KnownViolations().size());
}

// Collects the JSON objects of a tree (every one is an element or a resource).
void Objects(JsonValue& v, std::vector<JsonValue*>* out) {
  if (v.IsObject()) {
    out->push_back(&v);
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) Objects(it->value, out);
  } else if (v.IsArray()) {
    for (auto& item : v.GetArray()) Objects(item, out);
  }
}

// Guards the traversal: an unknown property planted anywhere in an example is found.
TEST(OfficialExamples, UnknownPropertyAnywhereIsFound) {
  size_t planted = 0;
  for (const fs::path& file : ExampleFiles()) {
    std::string name = file.filename().string();
    if (FindKnown(name) != nullptr) continue;
    auto doc = ParseJson(ReadFile(file));
    ASSERT_TRUE(doc.ok());
    std::vector<JsonValue*> objects;
    Objects(*doc, &objects);
    constexpr size_t kPerFile = 4;
    for (size_t k = 0; k < kPerFile && k < objects.size(); ++k) {
      size_t index = (k * 7919 + name.size()) % objects.size();
      objects.clear();  // adding a member may move the children of the object it grows
      Objects(*doc, &objects);
      objects[index]->AddMember("zzPlanted", true, doc->GetAllocator());
      Status s = ValidateResource(*doc, nullptr);
      objects[index]->EraseMember("zzPlanted");  // keeps the order of the others
      bool found = false;
      for (const Issue& i : s.issues()) {
        std::string_view loc = i.location;
        found |= loc.size() >= 10 && loc.substr(loc.size() - 10) == ".zzPlanted";
      }
      EXPECT_TRUE(found) << name << " object #" << index << Describe(s);
      ++planted;
    }
  }
  std::printf("planted %zu unknown properties\n", planted);
}

}  // namespace
}  // namespace hb::fhir
