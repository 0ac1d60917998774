// fhirpath::EntryElements and the indexer's use of it: a parameter is skipped for a
// resource without its entry elements, which is right only if evaluating it there would
// give nothing. Checked on every official R4 example, for every indexed parameter of its
// type and every composite component.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "fhir/json.h"
#include "fhir/package_files_test_util.h"
#include "fhirpath/fhirpath.h"
#include "search/param_registry.h"

namespace hb::search {
namespace {

namespace fs = std::filesystem;

std::optional<std::vector<std::string>> Entry(std::string_view text) {
  auto e = fhirpath::Expression::Compile(text);
  EXPECT_TRUE(e.ok()) << text;
  return fhirpath::EntryElements(*e);
}

using Names = std::vector<std::string>;

TEST(EntryElements, ReadOffPathsUnionsAndFilters) {
  EXPECT_EQ(Entry("Observation.code | Observation.component.code"), Names({"code", "component"}));
  EXPECT_EQ(Entry("(Observation.value as Quantity)"), Names({"value"}));
  EXPECT_EQ(Entry("Observation.value.as(Quantity)"), Names({"value"}));
  EXPECT_EQ(Entry("Observation.subject.where(resolve() is Patient)"), Names({"subject"}));
  EXPECT_EQ(Entry("Patient.extension('urn:x').value"), Names({"extension"}));
  EXPECT_EQ(Entry("Patient.name[0].family"), Names({"name"}));
  EXPECT_EQ(Entry("code"), Names({"code"}));  // a composite component, on its item
  // The input itself, or an expression that answers an empty input: not known.
  EXPECT_FALSE(Entry("Observation"));
  EXPECT_FALSE(Entry("Observation | Observation.component"));
  EXPECT_FALSE(Entry("Patient.deceased.exists() and Patient.deceased != false"));
  EXPECT_FALSE(Entry("Patient.name.empty()"));
  EXPECT_FALSE(Entry("%resource.id"));
}

TEST(EntryElements, MemberNamesFindNamesChoicesAndCompanions) {
  auto doc = fhir::ParseJson(
      R"({"resourceType":"Observation","valueQuantity":{"value":1},"_issued":{"extension":[]},"code":{},"valueset":1})");
  ASSERT_TRUE(doc.ok());
  const fhirpath::MemberNames members(*doc);
  EXPECT_TRUE(members.MayYield({"value"}));   // valueQuantity
  EXPECT_TRUE(members.MayYield({"issued"}));  // _issued
  EXPECT_TRUE(members.MayYield({"status", "code"}));
  EXPECT_FALSE(members.MayYield({"status"}));
  EXPECT_FALSE(members.MayYield({"val"}));  // a prefix is not a choice name
  EXPECT_FALSE(members.MayYield({"values"}));
  EXPECT_FALSE(members.MayYield({}));
  EXPECT_TRUE(fhirpath::MemberNames(rapidjson::Value("text")).MayYield({"status"}));
}

// Whether the expression gives anything on `input` (an error counts as nothing: the
// indexer skips such values too).
bool Yields(const fhirpath::Expression& e, std::span<const fhirpath::Item> input,
            const fhirpath::EvalOptions& options) {
  auto r = fhirpath::Evaluate(e, input, options);
  return r.ok() && !r->empty();
}

TEST(EntryElements, SkippingIsExactOnEveryR4Example) {
  const ParamRegistry& registry = ParamRegistry::Default();
  int resources = 0, skipped = 0, evaluated = 0;
  for (const fs::path& file : fhir::r4_package::PackageFiles()) {
    const std::string name = file.filename().string();
    auto doc = fhir::ParseJson(fhir::r4_package::ReadFile(file));
    if (!doc.ok() || !doc->IsObject()) continue;
    const std::string type(fhir::MemberString(*doc, "resourceType"));
    if (!fhir::Model::R4().IsResourceType(type)) continue;
    ++resources;
    const fhirpath::MemberNames members(*doc);
    fhirpath::EvalOptions options;
    options.resource = &*doc;
    options.resolver = [&registry](std::string_view ref) { return registry.ResolveStub(ref); };
    for (const RegisteredParam* p : registry.IndexedFor(type)) {
      auto items = fhirpath::Evaluate(*p->expression, *doc, type, options);
      if (p->entry && !members.MayYield(*p->entry)) {  // as indexer.cpp IndexParams skips
        ++skipped;
        EXPECT_TRUE(!items.ok() || items->empty())
            << name << ": " << type << "." << p->code << " was skipped but has values";
        continue;
      }
      ++evaluated;
      if (p->type != ParamType::kComposite || !items.ok()) continue;
      for (const fhirpath::Item& item : *items) {
        if (!item.is_node()) continue;
        for (const CompositeComponent& c : p->components) {
          if (!c.entry || fhirpath::MemberNames(item.json()).MayYield(*c.entry)) continue;
          EXPECT_FALSE(Yields(*c.expression, std::span<const fhirpath::Item>(&item, 1), options))
              << name << ": " << type << "." << p->code << " component "
              << c.expression->text() << " was skipped but has values";
        }
      }
    }
  }
  // The package's examples: thousands of resources, and many parameters skipped for each
  // (rich examples: about 43 % of the evaluations in all).
  EXPECT_GT(resources, 2000);
  EXPECT_GT(skipped, 10 * resources);
}

}  // namespace
}  // namespace hb::search
