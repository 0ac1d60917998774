// The public API: compile errors, evaluation over the JSON DOM, FHIR specifics, options,
// output writers and concurrent use of one compiled expression.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "fhirpath/fhirpath.h"

namespace hb::fhirpath {
namespace {

fhir::JsonDoc Json(std::string_view text) {
  auto doc = fhir::ParseJson(text);
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  return std::move(doc).value();
}

std::vector<Item> Eval(std::string_view expr, const fhir::JsonValue& input,
                       const EvalOptions& options = {}) {
  auto e = Expression::Compile(expr);
  EXPECT_TRUE(e.ok()) << expr << ": " << e.status().message();
  if (!e.ok()) return {};
  auto r = Evaluate(*e, input, {}, options);
  EXPECT_TRUE(r.ok()) << expr << ": " << r.status().message();
  return r.ok() ? std::move(r).value() : std::vector<Item>();
}

std::string Text(const std::vector<Item>& items) {
  std::string s;
  for (const Item& i : items) s += (s.empty() ? "" : ", ") + TypeName(i) + ":" + LiteralText(i);
  return s;
}

std::string JsonOf(const Item& item) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  WriteValueJson(item, w);
  return buf.GetString();
}

const char* kObservation = R"({
  "resourceType": "Observation", "id": "o1", "status": "final",
  "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
  "subject": {"reference": "#p1"},
  "effectiveDateTime": "2016-03-28T09:30:00+07:00",
  "_effectiveDateTime": {"id": "e1", "extension": [{"url": "http://x/ext", "valueString": "note"}]},
  "valueQuantity": {"value": 72.50, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
  "contained": [{"resourceType": "Patient", "id": "p1", "name": [{"family": "Nguyễn"}]}]
})";

TEST(FhirPathApi, CompileErrorsCarryTheOffset) {
  auto e = Expression::Compile("Patient.name.where(use = 'official'");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("at 35"), std::string::npos) << e.status().message();
  EXPECT_FALSE(Expression::Compile("name.nosuchfunction()").ok());
  EXPECT_FALSE(Expression::Compile("name.substring()").ok());
  EXPECT_FALSE(Expression::Compile("%nosuchvariable").ok());
  EXPECT_FALSE(Expression::Compile("'unterminated").ok());
  EXPECT_FALSE(Expression::Compile("1 +").ok());
  EXPECT_FALSE(Expression::Compile("name.matches('[')").ok());
}

TEST(FhirPathApi, BoundsNestingAndLength) {
  fhir::JsonDoc doc = Json(R"({"resourceType": "Basic"})");
  EXPECT_FALSE(Expression::Compile(std::string(300, '(') + "1" + std::string(300, ')')).ok());
  EXPECT_FALSE(Expression::Compile(std::string(300, '-') + "1").ok());
  std::string sum = "1";
  for (int i = 0; i < 1500; ++i) sum += "+1";
  EXPECT_EQ(Text(Eval(sum, doc)), "integer:1501");
  EXPECT_FALSE(Expression::Compile(sum + sum).ok());  // over 4096 tokens
}

TEST(FhirPathApi, NodesPointIntoTheInput) {
  fhir::JsonDoc doc = Json(kObservation);
  auto items = Eval("Observation.code.coding", doc);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(&items[0].json(), &doc["code"]["coding"][0]);
  EXPECT_EQ(TypeName(items[0]), "Coding");
}

TEST(FhirPathApi, ChoiceTypesPrimitiveExtensionsAndContained) {
  fhir::JsonDoc doc = Json(kObservation);
  EXPECT_EQ(
      Text(Eval("Observation.value", doc)),
      R"(Quantity:{"value":72.50,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"})");
  EXPECT_EQ(Text(Eval("Observation.value.value", doc)), "decimal:72.50");
  EXPECT_EQ(Text(Eval("Observation.value > 70 'kg'", doc)), "boolean:true");
  EXPECT_EQ(Text(Eval("Observation.value = 72500 'g'", doc)), "boolean:true");
  EXPECT_EQ(Text(Eval("effective.extension('http://x/ext').value", doc)), "string:note");
  EXPECT_EQ(Text(Eval("effective.id", doc)), "string:e1");
  EXPECT_EQ(Text(Eval("effective < @2016-03-28T03:00:00Z", doc)), "boolean:true");
  EXPECT_EQ(Text(Eval("subject.resolve().name.family", doc)), "string:Nguyễn");
  EXPECT_EQ(Text(Eval("subject.resolve() is Patient", doc)), "boolean:true");
  EXPECT_EQ(Text(Eval("contained.ofType(Patient).id", doc)), "id:p1");
  EXPECT_EQ(Text(Eval("Observation.is(DomainResource)", doc)), "boolean:true");
  auto e = Expression::Compile("Observation.valueQuantity");
  EXPECT_FALSE(Evaluate(*e, doc).ok());  // FHIRPath names the choice: value
}

TEST(FhirPathApi, ResolvesInBundlesAndThroughTheResolver) {
  fhir::JsonDoc bundle = Json(R"({"resourceType": "Bundle", "type": "collection", "entry": [
    {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "a", "active": true}},
    {"fullUrl": "http://x/fhir/Practitioner/b", "resource": {"resourceType": "Practitioner", "id": "b"}},
    {"resource": {"resourceType": "Encounter", "id": "e", "subject": {"reference": "urn:uuid:1"},
                  "participant": [{"individual": {"reference": "Practitioner/b"}}],
                  "serviceProvider": {"reference": "Organization/elsewhere"}}}]})");
  EXPECT_EQ(Text(Eval("entry.resource.ofType(Encounter).subject.resolve().active", bundle)),
            "boolean:true");
  EXPECT_EQ(
      Text(Eval("entry.resource.ofType(Encounter).participant.individual.resolve().id", bundle)),
      "id:b");
  EXPECT_EQ(Eval("entry.resource.ofType(Encounter).serviceProvider.resolve()", bundle).size(), 0u);
  fhir::JsonDoc org = Json(R"({"resourceType": "Organization", "id": "elsewhere", "name": "BV"})");
  EvalOptions options;
  options.resolver = [&org](std::string_view ref) -> const fhir::JsonValue* {
    return ref == "Organization/elsewhere" ? &org : nullptr;
  };
  EXPECT_EQ(Text(Eval("entry.resource.ofType(Encounter).serviceProvider.resolve().name", bundle,
                      options)),
            "string:BV");
}

TEST(FhirPathApi, OptionsClockAndTrace) {
  fhir::JsonDoc doc = Json(R"({"resourceType": "Patient", "birthDate": "1974-12-25"})");
  EvalOptions options;
  options.now_micros = 1700000000000000;  // 2023-11-14T22:13:20Z
  options.tz_offset_minutes = 7 * 60;
  EXPECT_EQ(Text(Eval("today()", doc, options)), "date:@2023-11-15");
  EXPECT_EQ(Text(Eval("now()", doc, options)), "dateTime:@2023-11-15T05:13:20.000+07:00");
  EXPECT_EQ(Text(Eval("timeOfDay()", doc, options)), "time:@T05:13:20.000");
  EXPECT_EQ(Text(Eval("today() - 1 day", doc, options)), "date:@2023-11-14");
  std::vector<std::string> traced;
  options.trace = [&traced](std::string_view name, std::span<const Item> items) {
    traced.push_back(std::string(name) + "=" + std::to_string(items.size()));
  };
  EXPECT_EQ(Text(Eval("birthDate.trace('bd').toString()", doc, options)), "string:1974-12-25");
  EXPECT_EQ(traced, std::vector<std::string>{"bd=1"});
}

TEST(FhirPathApi, TerminologyFunctionsFailExplicitly) {
  fhir::JsonDoc doc = Json(R"({"resourceType": "Patient", "gender": "male"})");
  auto e =
      Expression::Compile("gender.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender')");
  ASSERT_TRUE(e.ok());
  auto r = Evaluate(*e, doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnprocessable);
  EXPECT_NE(r.status().message().find("terminology"), std::string::npos);
}

// A small terminology: ValueSet "vs-gender" holds male/female of the gender system, and
// the "icd" system is a hierarchy J18 > J18.0, J18.9, J18.0 > J18.01.
class FakeTerminology : public TerminologyResolver {
 public:
  static constexpr std::string_view kGender = "http://hl7.org/fhir/administrative-gender";
  Result<bool> MemberOf(std::span<const CodeRef> codes, std::string_view vs) override {
    calls.push_back(std::string(vs));
    if (vs != "vs-gender") return Status(ErrorCode::kUnprocessable, "ValueSet '" +
                                                                         std::string(vs) +
                                                                         "' is not known");
    for (const CodeRef& c : codes) {
      if ((c.system.empty() || c.system == kGender) && (c.code == "male" || c.code == "female"))
        return true;
    }
    return false;
  }
  Result<std::optional<bool>> Subsumes(std::string_view system, std::string_view a,
                                       std::string_view b) override {
    static const std::vector<std::pair<std::string_view, std::string_view>> parent = {
        {"J18.0", "J18"}, {"J18.9", "J18"}, {"J18.01", "J18.0"}};
    auto known = [](std::string_view c) {
      return c == "J18" || c == "J18.0" || c == "J18.9" || c == "J18.01" || c == "K29";
    };
    if (system != "icd" || !known(a) || !known(b)) return std::optional<bool>();
    for (std::string_view c = b;;) {
      if (c == a) return std::optional<bool>(true);
      auto it = std::find_if(parent.begin(), parent.end(), [&](auto& p) { return p.first == c; });
      if (it == parent.end()) return std::optional<bool>(false);
      c = it->second;
    }
  }
  std::vector<std::string> calls;
};

TEST(FhirPathTerminology, MemberOfCodeCodingCodeableConceptAndString) {
  fhir::JsonDoc doc = Json(R"({"resourceType": "Observation",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "x"},
                        {"system": "http://hl7.org/fhir/administrative-gender", "code": "male"}]},
    "valueCodeableConcept": {"text": "no codes"},
    "component": [{"code": {"coding": [{"system": "other", "code": "male"}]}}]})");
  FakeTerminology fake;
  EvalOptions options;
  options.terminology = &fake;
  EXPECT_EQ(Text(Eval("code.memberOf('vs-gender')", doc, options)), "boolean:true");
  EXPECT_EQ(Text(Eval("code.coding[1].memberOf('vs-gender')", doc, options)), "boolean:true");
  EXPECT_EQ(Text(Eval("code.coding[0].memberOf('vs-gender')", doc, options)), "boolean:false");
  // A Coding of another system does not match, even with the same code.
  EXPECT_EQ(Text(Eval("component.code.memberOf('vs-gender')", doc, options)), "boolean:false");
  // A code (no system) and a string match a code of any system of the value set.
  EXPECT_EQ(Text(Eval("code.coding[1].code.memberOf('vs-gender')", doc, options)),
            "boolean:true");
  EXPECT_EQ(Text(Eval("'female'.memberOf('vs-gender')", doc, options)), "boolean:true");
  EXPECT_EQ(Text(Eval("status.memberOf('vs-gender')", doc, options)), "boolean:false");
  // A CodeableConcept without codings is not a member; empty input or URL gives empty.
  EXPECT_EQ(Text(Eval("value.memberOf('vs-gender')", doc, options)), "boolean:false");
  EXPECT_EQ(Text(Eval("subject.memberOf('vs-gender')", doc, options)), "");
  EXPECT_EQ(Text(Eval("code.memberOf({})", doc, options)), "");
  EXPECT_EQ(Text(Eval("Observation.where(code.memberOf('vs-gender')).status", doc, options)),
            "code:final");

  auto unknown = Expression::Compile("code.memberOf('vs-unknown')");
  auto r = Evaluate(*unknown, doc, {}, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnprocessable);
  EXPECT_NE(r.status().message().find("vs-unknown"), std::string::npos);
  auto several = Expression::Compile("code.coding.memberOf('vs-gender')");
  EXPECT_FALSE(Evaluate(*several, doc, {}, options).ok());
  auto wrong_type = Expression::Compile("(1).memberOf('vs-gender')");
  r = Evaluate(*wrong_type, doc, {}, options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("integer"), std::string::npos);
}

TEST(FhirPathTerminology, SubsumesAndSubsumedBy) {
  fhir::JsonDoc doc = Json(R"({"resourceType": "Condition",
    "code": {"coding": [{"system": "icd", "code": "J18.0"}]},
    "category": [{"coding": [{"system": "other", "code": "J18"}]}],
    "evidence": [{"code": [{"coding": [{"system": "icd", "code": "Z99"}]}]}]})");
  FakeTerminology fake;
  EvalOptions options;
  options.terminology = &fake;
  auto eval = [&](std::string_view e) { return Text(Eval(e, doc, options)); };
  EXPECT_EQ(eval("code.coding.subsumes(%resource.code.coding)"), "boolean:true");  // equal
  EXPECT_EQ(eval("code.coding.subsumedBy(code.coding)"), "boolean:true");
  // A Coding against a code: the code takes the Coding's system.
  EXPECT_EQ(eval("code.coding.subsumes('J18.01')"), "boolean:true");
  EXPECT_EQ(eval("code.coding.subsumes('J18')"), "boolean:false");
  EXPECT_EQ(eval("code.coding.subsumedBy('J18')"), "boolean:true");
  EXPECT_EQ(eval("code.coding.subsumedBy('J18.9')"), "boolean:false");
  EXPECT_EQ(eval("code.coding.subsumes('K29')"), "boolean:false");
  EXPECT_EQ(eval("code.subsumedBy('J18')"), "boolean:true");  // a CodeableConcept
  // Not comparable: other systems, unknown codes, no system on either side, empty sides.
  EXPECT_EQ(eval("code.coding.subsumedBy(category.coding)"), "");
  EXPECT_EQ(eval("code.coding.subsumes('Q00')"), "");
  EXPECT_EQ(eval("evidence.code.coding.subsumedBy(code.coding)"), "");
  EXPECT_EQ(eval("'J18'.subsumes('J18.0')"), "");
  EXPECT_EQ(eval("subject.subsumes('J18')"), "");
  EXPECT_EQ(eval("code.coding.subsumes({})"), "");
  auto several = Expression::Compile("code.coding.subsumes(('J18' | 'J18.0'))");
  EXPECT_FALSE(Evaluate(*several, doc, {}, options).ok());
}

TEST(FhirPathTerminology, WithoutResolverEveryFunctionFails) {
  fhir::JsonDoc doc = Json(R"({"resourceType": "Condition",
    "code": {"coding": [{"system": "icd", "code": "J18.0"}]}})");
  for (const char* text : {"code.memberOf('vs')", "code.coding.subsumes('J18')",
                           "code.coding.subsumedBy('J18')"}) {
    auto e = Expression::Compile(text);
    ASSERT_TRUE(e.ok()) << text;
    auto r = Evaluate(*e, doc);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), ErrorCode::kUnprocessable);
    EXPECT_NE(r.status().message().find("needs a terminology service"), std::string::npos);
  }
}

TEST(FhirPathApi, WritesJsonValues) {
  fhir::JsonDoc doc = Json(kObservation);
  EXPECT_EQ(JsonOf(Eval("Observation.value.value", doc)[0]), "72.50");
  EXPECT_EQ(JsonOf(Eval("Observation.code", doc)[0]),
            R"({"coding":[{"system":"http://loinc.org","code":"29463-7"}]})");
  EXPECT_EQ(JsonOf(Eval("3 'mg' * 2", doc)[0]), R"({"value":6,"unit":"mg"})");
  EXPECT_EQ(JsonOf(Eval("@2015-02-04T14:34", doc)[0]), R"("2015-02-04T14:34")");
  EXPECT_EQ(JsonOf(Eval("@T14:34", doc)[0]), R"("14:34")");
  EXPECT_EQ(JsonOf(Eval("1.0 / 3", doc)[0]), "0.3333333333333333333333333333");
  EXPECT_EQ(JsonOf(Eval("status.type()", doc)[0]), R"({"namespace":"FHIR","name":"code"})");
}

TEST(FhirPathApi, InputTypeAndStrictCheck) {
  fhir::JsonDoc name = Json(R"({"family": "Trần", "given": ["Văn", "An"]})");
  auto e = Expression::Compile("given.join(' ')");
  auto r = Evaluate(*e, name, "HumanName");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Text(*r), "string:Văn An");
  EXPECT_FALSE(Evaluate(*e, name, "NoSuchType").ok());
  EXPECT_TRUE(
      Expression::Compile("Patient.name.given | Practitioner.name.given")->Check("Patient").ok());
  EXPECT_FALSE(Expression::Compile("Patient.name.given1")->Check("Patient").ok());
  EXPECT_FALSE(Expression::Compile("Practitioner.name")->Check("Patient").ok());
  EXPECT_FALSE(Expression::Compile("name.descendants().first()")->Check("Patient").ok());
}

TEST(FhirPathApi, OneExpressionManyThreads) {
  fhir::JsonDoc doc = Json(kObservation);
  auto e = Expression::Compile(
      "Observation.code.coding.where(system = %loinc).code & '/' & (value * 2).value.toString()");
  ASSERT_TRUE(e.ok());
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto r = Evaluate(*e, doc);
        if (!r.ok() || r->size() != 1 || (*r)[0].string() != "29463-7/145.00") ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace hb::fhirpath
