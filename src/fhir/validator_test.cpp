#include "fhir/validator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace hb::fhir {
namespace {

Status Validate(const std::string& json, const ValidateOptions& options = {}) {
  auto doc = ParseJson(json);
  EXPECT_TRUE(doc.ok()) << json;
  if (!doc.ok()) return doc.status();
  return ValidateResource(*doc, nullptr, options);
}

// True when `s` has an issue at `location` whose message contains `text`.
::testing::AssertionResult HasIssue(const Status& s, const std::string& location,
                                    const std::string& text = "") {
  for (const Issue& i : s.issues()) {
    if (i.location == location && i.message.find(text) != std::string::npos)
      return ::testing::AssertionSuccess();
  }
  auto r = ::testing::AssertionFailure() << "no issue at " << location << " with '" << text << "'";
  for (const Issue& i : s.issues()) r << "\n  " << i.location << ": " << i.message;
  return r;
}

TEST(FhirValidator, AcceptsMinimalAndTypicalResources) {
  EXPECT_TRUE(Validate(R"({"resourceType":"Patient"})").ok());
  Status s = Validate(R"({"resourceType":"Observation","id":"bp-1","status":"final",
      "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
      "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2024-05-17T08:30:00+07:00",
      "valueQuantity":{"value":120.50,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}})");
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(FhirValidator, ResourceTypeMustBeConcrete) {
  Status s = Validate(R"({"id":"x"})");
  EXPECT_EQ(s.code(), ErrorCode::kUnknownResourceType);
  s = Validate(R"({"resourceType":"Patients"})");
  EXPECT_EQ(s.code(), ErrorCode::kUnknownResourceType);
  EXPECT_NE(s.message().find("Patients"), std::string::npos);
  EXPECT_EQ(Validate(R"({"resourceType":"DomainResource"})").code(),
            ErrorCode::kUnknownResourceType);
  EXPECT_EQ(Validate(R"({"resourceType":"HumanName"})").code(), ErrorCode::kUnknownResourceType);
  EXPECT_EQ(Validate(R"({"resourceType":42})").code(), ErrorCode::kUnknownResourceType);
  EXPECT_EQ(Validate(R"([{"resourceType":"Patient"}])").code(), ErrorCode::kInvalidResource);
}

TEST(FhirValidator, IdMustBeAnId) {
  EXPECT_TRUE(Validate(R"({"resourceType":"Patient","id":"a-1.B"})").ok());
  Status s = Validate(R"({"resourceType":"Patient","id":"a_1"})");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidResource);
  EXPECT_TRUE(HasIssue(s, "Patient.id", "not a valid id"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","id":7})"), "Patient.id"));
}

TEST(FhirValidator, RejectsUnknownElements) {
  Status s = Validate(R"({"resourceType":"Patient","foo":1,"name":[{"family":"Le","nick":"x"}]})");
  EXPECT_TRUE(HasIssue(s, "Patient.foo", "unknown element 'foo'"));
  EXPECT_TRUE(HasIssue(s, "Patient.name[0].nick", "HumanName"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Observation","status":"final",
      "code":{"text":"x"},"value":1})"),
                       "Observation.value", "unknown"));
  // resourceType only belongs on resources.
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","maritalStatus":
      {"resourceType":"CodeableConcept","text":"x"}})"),
                       "Patient.maritalStatus.resourceType"));
}

TEST(FhirValidator, CompanionsOnlyForPrimitives) {
  EXPECT_TRUE(Validate(R"({"resourceType":"Patient","birthDate":"1970-03-30",
      "_birthDate":{"id":"b","extension":[{"url":"http://x.org/t","valueTime":"14:35:45"}]}})")
                  .ok());
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","_name":{"id":"x"}})"),
                       "Patient._name", "not a primitive"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","_birthDate":{"value":"x"}})"),
                       "Patient.birthDate.value", "unknown element"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","_birthDate":[{"id":"x"}]})"),
                       "Patient.birthDate", "must be a JSON object"));
  // Element ids and Extension.url are XML attributes: no companion.
  EXPECT_TRUE(
      HasIssue(Validate(R"({"resourceType":"Patient","name":[{"family":"x","_id":{"id":"y"}}]})"),
               "Patient.name[0]._id"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","text":{"status":"generated",
      "div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>","_div":{"id":"d"}}})"),
                       "Patient.text._div"));
}

TEST(FhirValidator, ArraysExactlyWhereTheElementRepeats) {
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","name":{"family":"x"}})"),
                       "Patient.name", "expected a JSON array"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","gender":["male"]})"),
                       "Patient.gender", "not an array"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","maritalStatus":[{"text":"x"}]})"),
                       "Patient.maritalStatus", "not an array"));
  EXPECT_TRUE(
      HasIssue(Validate(R"({"resourceType":"Patient","name":[]})"), "Patient.name", "empty array"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","name":[{"given":[]}]})"),
                       "Patient.name[0].given", "empty array"));
  EXPECT_TRUE(
      HasIssue(Validate(R"({"resourceType":"Patient","name":[null]})"), "Patient.name[0]", "null"));
}

TEST(FhirValidator, NoEmptyObjectsStringsOrNulls) {
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","maritalStatus":{}})"),
                       "Patient.maritalStatus", "empty object"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","gender":""})"), "Patient.gender",
                       "empty string"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","name":[{"family":""}]})"),
                       "Patient.name[0].family", "empty string"));
  EXPECT_TRUE(
      HasIssue(Validate(R"({"resourceType":"Patient","gender":null})"), "Patient.gender", "null"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","_gender":{}})"), "Patient.gender",
                       "empty object"));
}

TEST(FhirValidator, RejectsDuplicateKeys) {
  Status s = Validate(R"({"resourceType":"Patient","gender":"male","gender":"female"})");
  EXPECT_TRUE(HasIssue(s, "Patient", "duplicate property 'gender'"));
  s = Validate(R"({"resourceType":"Patient","name":[{"family":"a","family":"b"}]})");
  EXPECT_TRUE(HasIssue(s, "Patient.name[0]", "duplicate property 'family'"));
}

TEST(FhirValidator, ChecksPrimitiveFormats) {
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","birthDate":"2023-02-30"})"),
                       "Patient.birthDate", "not a valid date"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","active":"true"})"), "Patient.active",
                       "boolean"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","multipleBirthInteger":1.5})"),
                       "Patient.multipleBirthInteger", "integer"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","gender":5})"), "Patient.gender",
                       "expected a JSON string"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Observation","status":"final",
      "code":{"text":"x"},"valueQuantity":{"value":"120"}})"),
                       "Observation.valueQuantity.value", "expected a JSON number"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Observation","status":"final",
      "code":{"text":"x"},"issued":"2024-01-01T10:00:00"})"),
                       "Observation.issued", "instant"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","name":[{"given":["A","B\u0007"]}]})"),
                       "Patient.name[0].given[1]", "control character"));
}

TEST(FhirValidator, NarrativeDivMustBeXhtml) {
  EXPECT_TRUE(Validate(R"({"resourceType":"Patient","text":{"status":"generated",
      "div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Hi</p></div>"}})")
                  .ok());
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","text":{"status":"generated",
      "div":"just text"}})"),
                       "Patient.text.div", "XHTML"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","text":{"status":"generated"}})"),
                       "Patient.text.div", "missing required element 'div'"));
}

TEST(FhirValidator, ChecksMinimumCardinality) {
  Status s = Validate(R"({"resourceType":"Observation"})");
  EXPECT_TRUE(HasIssue(s, "Observation.status", "missing required element 'status'"));
  EXPECT_TRUE(HasIssue(s, "Observation.code", "missing required element 'code'"));
  EXPECT_EQ(s.issues().size(), 2u);
  // A primitive present only through its companion counts.
  EXPECT_TRUE(Validate(R"({"resourceType":"Observation","code":{"text":"x"},
      "_status":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason",
      "valueCode":"unknown"}]}})")
                  .ok());
  // A required choice counts if any form is present.
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"MedicationRequest","status":"active",
      "intent":"order","subject":{"reference":"Patient/1"}})"),
                       "MedicationRequest.medication", "medication[x]"));
  EXPECT_TRUE(Validate(R"({"resourceType":"MedicationRequest","status":"active","intent":"order",
      "subject":{"reference":"Patient/1"},"medicationCodeableConcept":{"text":"x"}})")
                  .ok());
  // Nested: Extension.url is required.
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","extension":[{"valueString":"x"}]})"),
                       "Patient.extension[0].url", "missing required"));
}

TEST(FhirValidator, OnlyOneFormOfAChoice) {
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Observation","status":"final",
      "code":{"text":"x"},"valueString":"a","valueBoolean":true})"),
                       "Observation.valueBoolean", "only one of value[x]"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","deceasedBoolean":true,
      "_deceasedDateTime":{"id":"x"}})"),
                       "Patient.deceasedDateTime", "only one of deceased[x]"));
}

TEST(FhirValidator, ParallelPrimitiveArrays) {
  EXPECT_TRUE(Validate(R"({"resourceType":"Patient","name":[{"given":["A",null],
      "_given":[null,{"extension":[{"url":"http://x.org/e","valueString":"v"}]}]}]})")
                  .ok());
  EXPECT_TRUE(Validate(R"({"resourceType":"Patient","name":[{"_given":[{"id":"g"}]}]})").ok());
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","name":[{"given":["A",null]}]})"),
                       "Patient.name[0].given[1]", "null entry"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","name":[{"given":["A","B"],
      "_given":[null]}]})"),
                       "Patient.name[0].given", "same length"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","name":[{"given":["A",null],
      "_given":[null,null]}]})"),
                       "Patient.name[0].given[1]", "null entry"));
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","name":[{"given":["A"],
      "_given":{"id":"x"}}]})"),
                       "Patient.name[0].given", "must be a JSON array"));
}

TEST(FhirValidator, ValidatesNestedResourcesAsTheirOwnType) {
  Status s = Validate(R"({"resourceType":"Patient","contained":[
      {"resourceType":"Organization","name":"A"},{"resourceType":"Observation","code":{"text":"x"}},
      {"resourceType":"Nope"}]})");
  EXPECT_TRUE(HasIssue(s, "Patient.contained[1].status", "missing required"));
  EXPECT_TRUE(HasIssue(s, "Patient.contained[2]", "unknown resourceType 'Nope'"));
  EXPECT_EQ(s.code(), ErrorCode::kInvalidResource);  // the top-level type is fine
  EXPECT_TRUE(HasIssue(Validate(R"({"resourceType":"Patient","contained":[{"resourceType":
      "Patient","contained":[{"resourceType":"Patient"}]}]})"),
                       "Patient.contained[0].contained", "dom-2"));
  s = Validate(R"({"resourceType":"Bundle","type":"collection","entry":[
      {"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Patient","foo":1}},
      {"resource":{"resourceType":"Resource"}},{"resource":{"name":"x"}}]})");
  EXPECT_TRUE(HasIssue(s, "Bundle.entry[1].resource.foo", "unknown element"));
  EXPECT_TRUE(HasIssue(s, "Bundle.entry[2].resource", "abstract"));
  EXPECT_TRUE(HasIssue(s, "Bundle.entry[3].resource", "resourceType is missing"));
  s = Validate(R"({"resourceType":"Parameters","parameter":[{"name":"p",
      "resource":{"resourceType":"Patient","birthDate":"1999-02-29"}}]})");
  EXPECT_TRUE(HasIssue(s, "Parameters.parameter[0].resource.birthDate", "date"));
}

TEST(FhirValidator, RootLocationPrefixesEveryLocation) {
  ValidateOptions options;
  options.root_location = "Bundle.entry[1].resource";
  Status s = Validate(R"({"resourceType":"Patient","birthDate":"2020-13-45"})", options);
  EXPECT_TRUE(HasIssue(s, "Bundle.entry[1].resource.birthDate", "date"));
  s = Validate(R"({"birthDate":"2020-01-01"})", options);
  EXPECT_TRUE(HasIssue(s, "Bundle.entry[1].resource", "resourceType is missing"));
}

TEST(FhirValidator, StopsAtMaxIssues) {
  std::string json = R"({"resourceType":"Patient")";
  for (int i = 0; i < 100; ++i) json += ",\"x" + std::to_string(i) + "\":1";
  json += "}";
  EXPECT_EQ(Validate(json).issues().size(), 50u);
  ValidateOptions options;
  options.max_issues = 5;
  EXPECT_EQ(Validate(json, options).issues().size(), 5u);
}

TEST(FhirValidator, CollectsReferencesAndIdentifiers) {
  auto doc = ParseJson(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
      "identifier":[{"system":"urn:x","value":"1"},{"value":"2"}],
      "subject":{"reference":"Patient/p1"},
      "performer":[{"reference":"Practitioner/d1"},{"display":"no reference"},{"reference":"Patient/p1"}],
      "extension":[{"url":"http://x.org/e","valueReference":{"reference":"Patient/p2"}}],
      "contained":[{"resourceType":"Observation","status":"final","code":{"text":"y"},
                    "subject":{"reference":"Patient/p3"}}],
      "hasMember":[{"reference":"#c1"}]})");
  ASSERT_TRUE(doc.ok());
  ResourceFacts facts;
  Status s = ValidateResource(*doc, &facts);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(facts.resource_type, "Observation");
  ASSERT_EQ(facts.identifiers.size(), 2u);
  EXPECT_EQ(MemberString(*facts.identifiers[1], "value"), "2");
  ASSERT_EQ(facts.references.size(), 6u);
  auto site = [&](const std::string& location) -> const ReferenceSite* {
    for (const auto& r : facts.references) {
      if (r.location == location) return &r;
    }
    ADD_FAILURE() << "no reference at " << location;
    return nullptr;
  };
  EXPECT_TRUE(site("Observation.subject.reference")->patient_compartment);
  EXPECT_TRUE(site("Observation.performer[0].reference")->patient_compartment);
  EXPECT_TRUE(site("Observation.performer[2].reference")->patient_compartment);
  EXPECT_FALSE(site("Observation.extension[0].valueReference.reference")->patient_compartment);
  EXPECT_FALSE(site("Observation.contained[0].subject.reference")->patient_compartment);
  EXPECT_FALSE(site("Observation.hasMember[0].reference")->patient_compartment);
  // The sites point into the document and may be rewritten.
  ReferenceSite first = *site("Observation.subject.reference");
  SetString(*first.reference, "Patient/123", doc->GetAllocator());
  EXPECT_NE(Serialize(*doc).find(R"("subject":{"reference":"Patient/123"})"), std::string::npos);
}

TEST(FhirValidator, FactsSkipResourcesNestedInBundles) {
  auto doc = ParseJson(R"({"resourceType":"Bundle","type":"transaction","identifier":{"value":"b"},
      "entry":[{"fullUrl":"urn:uuid:c757873d-ec9a-4326-a141-556f43239520",
      "resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},
      "identifier":[{"value":"o"}],"subject":{"reference":"Patient/1"}},
      "request":{"method":"POST","url":"Observation"}}]})");
  ASSERT_TRUE(doc.ok());
  ResourceFacts facts;
  ASSERT_TRUE(ValidateResource(*doc, &facts).ok());
  EXPECT_EQ(facts.resource_type, "Bundle");
  EXPECT_TRUE(facts.references.empty());
  ASSERT_EQ(facts.identifiers.size(), 1u);  // Bundle.identifier is 0..1: one object
  EXPECT_EQ(MemberString(*facts.identifiers[0], "value"), "b");
}

TEST(FhirValidator, ValidatingATypicalPatientTakesMicroseconds) {
  auto doc = ParseJson(R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"1",
      "lastUpdated":"2024-05-17T08:30:00.000+07:00"},"text":{"status":"generated",
      "div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Nguyễn Văn A</div>"},
      "identifier":[{"system":"http://example.vn/cccd","value":"001099012345"},
                    {"system":"http://example.vn/bhyt","value":"DN4010123456789"}],
      "active":true,"name":[{"use":"official","family":"Nguyễn","given":["Văn","A"]}],
      "telecom":[{"system":"phone","value":"0901234567","use":"mobile"}],"gender":"male",
      "birthDate":"1990-01-15","address":[{"line":["12 Lê Lợi"],"city":"Huế","country":"VN"}],
      "managingOrganization":{"reference":"Organization/o1"}})");
  ASSERT_TRUE(doc.ok());
  constexpr int kRounds = 20000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    ResourceFacts facts;
    Status s = ValidateResource(*doc, &facts);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  double us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
      kRounds;
  std::printf("ValidateResource(typical Patient): %.2f us per call\n", us);
}

}  // namespace
}  // namespace hb::fhir
