#include "search/indexer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "search/contained.h"
#include "search/date_range.h"
#include "search/decimal_key.h"
#include "search/implied_systems.h"
#include "search/quantity_units.h"

namespace hb::search {
namespace {

fhir::JsonDoc Parse(std::string_view s) {
  auto d = fhir::ParseJson(s);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return std::move(d).value();
}

template <typename T>
bool Has(const std::vector<T>& v, auto pred) {
  for (const auto& e : v) {
    if (pred(e)) return true;
  }
  return false;
}

TEST(SplitUnion, TopLevelOnly) {
  auto b = SplitUnion("A.b | (C.d as X) | E.f.where(g = 'x|y') | H.i.where((j | k).exists())");
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[1], "(C.d as X)");
  EXPECT_EQ(b[2], "E.f.where(g = 'x|y')");
}

TEST(PruneExpression, KeepsTheTypesOwnBranches) {
  EXPECT_EQ(PruneExpression("Account.subject | Observation.subject | (Observation.value as "
                            "Quantity) | Resource.meta.tag",
                            "Observation"),
            "Observation.subject | (Observation.value as Quantity) | Resource.meta.tag");
}

TEST(ParseReference, Forms) {
  std::string_view t, i;
  ASSERT_TRUE(ParseReference("Patient/1", &t, &i));
  EXPECT_EQ(t, "Patient");
  EXPECT_EQ(i, "1");
  ASSERT_TRUE(ParseReference("http://x.org/fhir/Observation/a.b/_history/3", &t, &i));
  EXPECT_EQ(t, "Observation");
  EXPECT_EQ(i, "a.b");
  EXPECT_FALSE(ParseReference("#c1", &t, &i));
  EXPECT_FALSE(ParseReference("urn:uuid:1234", &t, &i));
  EXPECT_FALSE(ParseReference("Nothing/1", &t, &i));
}

TEST(IndexResource, PatientNamesIdentifiersDates) {
  auto doc = Parse(R"({"resourceType":"Patient","id":"p1",
    "identifier":[{"system":"https://fhir.healthbook.vn/sid/cccd","value":"001"}],
    "name":[{"family":"Lò","given":["Văn","A"]}],
    "gender":"male","birthDate":"1990-05",
    "telecom":[{"system":"phone","value":"0912"}],
    "address":[{"line":["Bản Him Lam"],"city":"Điện Biên Phủ"}],
    "managingOrganization":{"reference":"Organization/o1"},
    "meta":{"tag":[{"system":"s","code":"t"}]}})");
  IndexEntries e;
  IndexResource(ParamRegistry::Default(), "Patient", doc, &e);
  auto str = [&](std::string_view p, std::string_view n) {
    return Has(e.strings, [&](const StringEntry& s) { return s.param == p && s.norm == n; });
  };
  EXPECT_TRUE(str("name", "lo van a"));
  EXPECT_TRUE(str("name", "van a lo"));
  EXPECT_TRUE(str("family", "lo"));
  EXPECT_TRUE(str("given", "van"));
  EXPECT_TRUE(str("address", "dien bien phu"));
  EXPECT_TRUE(str("address-city", "dien bien phu"));
  auto tok = [&](std::string_view p, std::string_view s, std::string_view c) {
    return Has(e.tokens,
               [&](const TokenEntry& t) { return t.param == p && t.system == s && t.code == c; });
  };
  EXPECT_TRUE(tok("identifier", "https://fhir.healthbook.vn/sid/cccd", "001"));
  // A code element with a required binding to one code system is indexed with that system
  // (search/implied_systems.h), generated from the R4 package.
  EXPECT_TRUE(tok("gender", "http://hl7.org/fhir/administrative-gender", "male"));
  EXPECT_FALSE(tok("gender", "", "male"));
  EXPECT_TRUE(tok("phone", "phone", "0912"));
  EXPECT_TRUE(tok("_tag", "s", "t"));
  auto may = DateRange("1990-05");
  EXPECT_TRUE(Has(e.dates, [&](const DateEntry& d) {
    return d.param == "birthdate" && d.low == may->low && d.high == may->high;
  }));
  EXPECT_TRUE(Has(e.references, [&](const ReferenceEntry& r) {
    return r.param == "organization" && r.target_type == "Organization" && r.target_id == "o1";
  }));
}

TEST(IndexResource, ObservationResolveQuantityPeriod) {
  auto doc = Parse(R"({"resourceType":"Observation","status":"final",
    "code":{"coding":[{"system":"http://loinc.org","code":"29463-7","display":"Body weight"}],
            "text":"Cân nặng"},
    "subject":{"reference":"Patient/p1"},
    "effectivePeriod":{"start":"2025-01-01T08:00:00+07:00"},
    "valueQuantity":{"value":72.50,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}})");
  IndexEntries e;
  IndexResource(ParamRegistry::Default(), "Observation", doc, &e);
  EXPECT_TRUE(Has(e.references, [&](const ReferenceEntry& r) {
    return r.param == "subject" && r.target_type == "Patient" && r.target_id == "p1";
  }));
  // `patient` is subject.where(resolve() is Patient): served from subject's rows.
  EXPECT_FALSE(Has(e.references, [&](const ReferenceEntry& r) { return r.param == "patient"; }));
  EXPECT_TRUE(Has(e.tokens, [](const TokenEntry& t) {
    return t.param == "code" && t.code == "29463-7" && t.text == "body weight can nang";
  }));
  EXPECT_TRUE(Has(e.quantities, [](const QuantityEntry& q) {
    return q.param == "value-quantity" && q.key == *DecimalKey("72.5") && q.code == "kg" &&
           q.canonical_unit == UcumDimension("g");
  }));
  EXPECT_TRUE(Has(e.dates, [](const DateEntry& d) {
    return d.param == "date" && d.high == kMaxTime &&
           d.low == DateRange("2025-01-01T01:00:00Z")->low;
  }));
}

TEST(IndexResource, TimesEveryPatientOfTheBenchShape) {
  auto doc = Parse(R"({"resourceType":"Observation","status":"final",
    "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
    "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},
    "subject":{"reference":"Patient/p1"},"encounter":{"reference":"Encounter/e1"},
    "effectiveDateTime":"2025-03-04T08:10:00+07:00",
    "valueQuantity":{"value":72.5,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}})");
  const auto& reg = ParamRegistry::Default();
  constexpr int kN = 2000;
  auto t0 = std::chrono::steady_clock::now();
  size_t rows = 0;
  for (int i = 0; i < kN; ++i) {
    IndexEntries e;
    IndexResource(reg, "Observation", doc, &e);
    rows += e.tokens.size() + e.references.size() + e.dates.size() + e.quantities.size();
  }
  double us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / kN;
  std::printf("IndexResource(Observation): %.1f us, %zu rows each\n", us, rows / kN);
  EXPECT_GT(rows, 0u);
}

}  // namespace
}  // namespace hb::search

namespace hb::search {
namespace {

TEST(ParamRegistry, UnionsAndResolveFiltersShareRows) {
  const auto& reg = ParamRegistry::Default();
  const RegisteredParam* combo = reg.Find("Observation", "combo-code");
  ASSERT_NE(combo, nullptr);
  std::vector<std::string_view> rows = combo->row_codes;
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<std::string_view>{"code", "component-code"}));
  const RegisteredParam* patient = reg.Find("Observation", "patient");
  ASSERT_NE(patient, nullptr);
  EXPECT_EQ(patient->row_codes, (std::vector<std::string_view>{"subject"}));
  EXPECT_EQ(patient->resolve_type, "Patient");
  EXPECT_EQ(patient->targets, (std::vector<std::string_view>{"Patient"}));
  const RegisteredParam* practitioner = reg.Find("Encounter", "practitioner");
  ASSERT_NE(practitioner, nullptr);
  EXPECT_EQ(practitioner->row_codes, (std::vector<std::string_view>{"participant"}));
  const RegisteredParam* subject = reg.Find("Observation", "subject");
  EXPECT_TRUE(subject->OwnRows());
  for (const RegisteredParam* p : reg.IndexedFor("Observation")) {
    EXPECT_TRUE(p->OwnRows()) << p->code;
    EXPECT_NE(p->code, "patient");
  }
}

TEST(ImpliedSystems, FromRequiredBindingsOfCodeElements) {
  EXPECT_EQ(ImpliedSystemOfPath("Patient.gender"), "http://hl7.org/fhir/administrative-gender");
  EXPECT_EQ(ImpliedSystemOfPath("Observation.status"), "http://hl7.org/fhir/observation-status");
  EXPECT_EQ(ImpliedSystemOfPath("Patient.name"), "");  // not a code
  EXPECT_EQ(ImpliedSystemOfBranches({"Patient.gender", "Person.gender"}),
            "http://hl7.org/fhir/administrative-gender");
  EXPECT_EQ(ImpliedSystemOfBranches({"Patient.gender", "Observation.status"}), "");
  EXPECT_EQ(ImpliedSystemOfBranches({"Patient.gender.where(true)"}), "");
  const RegisteredParam* status = ParamRegistry::Default().Find("Observation", "status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->implied_system, "http://hl7.org/fhir/observation-status");
  const RegisteredParam* code = ParamRegistry::Default().Find("Observation", "code");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->implied_system, "");  // a CodeableConcept carries its own systems
}

TEST(IndexResource, ReferenceCompositePairsOnEachItemAndFollowsRewrites) {
  auto doc = Parse(R"({"resourceType": "DocumentReference", "status": "current",
    "content": [{"attachment": {"title": "x"}}],
    "relatesTo": [{"code": "appends", "target": {"reference": "urn:uuid:0b8c4a9e-1f0c-4e55-9b7a-3c1d2e4f5a6b"}},
                  {"code": "transforms", "target": {"reference": "DocumentReference/d2"}}]})");
  IndexEntries e;
  IndexResource(ParamRegistry::Default(), "DocumentReference", doc, &e);
  auto has = [&](std::string_view s1, std::string_view c1, std::string_view c2) {
    return Has(e.composites, [&](const CompositeEntry& c) {
      return c.param == "relationship" && c.s1 == s1 && c.c1 == c1 && c.c2 == c2;
    });
  };
  EXPECT_TRUE(has("DocumentReference", "d2", "transforms"));
  EXPECT_TRUE(has("", "urn:uuid:0b8c4a9e-1f0c-4e55-9b7a-3c1d2e4f5a6b", "appends"));
  EXPECT_FALSE(has("DocumentReference", "d2", "appends"));  // pairs stay on their item
  // A transaction resolves the urn:uuid alias: the composite row follows the JSON.
  fhir::JsonValue& ref = doc["relatesTo"][0]["target"]["reference"];
  ref.SetString("DocumentReference/d1", doc.GetAllocator());
  RefreshReferences(&e);
  EXPECT_TRUE(has("DocumentReference", "d1", "appends"));
  EXPECT_TRUE(has("DocumentReference", "d2", "transforms"));
}

TEST(ContainedParam, RoundTrips) {
  std::string_view p = ContainedParam("Observation", "code", 3);
  EXPECT_TRUE(IsContainedParam(p));
  std::string_view type, code;
  int slot = 0;
  ASSERT_TRUE(ParseContainedParam(p, &type, &code, &slot));
  EXPECT_EQ(type, "Observation");
  EXPECT_EQ(code, "code");
  EXPECT_EQ(slot, 3);
  EXPECT_EQ(ContainedParam("Observation", "code", 3).data(), p.data());  // interned once
  EXPECT_FALSE(ParseContainedParam("code", &type, &code, &slot));
  EXPECT_FALSE(ParseContainedParam(std::string_view("#Observation\0code\0" "64", 20), &type,
                                   &code, &slot));
  EXPECT_EQ(ContainedPid(10, 3), -(10 * kContainedSlots + 3));
  EXPECT_EQ(ContainedPid(0, 1), -1);  // the marker rows
}

TEST(IndexResource, ContainedResourcesGetRowsOfTheirOwnNamespace) {
  auto doc = Parse(R"({"resourceType": "DiagnosticReport", "id": "dr", "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "58410-2"}]},
    "contained": [
      {"resourceType": "Observation", "id": "hb", "status": "final",
       "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
       "valueQuantity": {"value": 13.5, "system": "http://unitsofmeasure.org", "code": "g/dL"}},
      {"resourceType": "Nonsense", "id": "x"},
      {"resourceType": "Medication", "id": "m",
       "code": {"coding": [{"system": "http://www.whocc.no/atc", "code": "J01CA04"}]}}],
    "result": [{"reference": "#hb"}]})");
  IndexEntries e;
  IndexResource(ParamRegistry::Default(), "DiagnosticReport", doc, &e);
  auto has_token = [&](std::string_view param, std::string_view system, std::string_view code) {
    for (const TokenEntry& t : e.tokens) {
      if (t.param == param && t.system == system && t.code == code) return true;
    }
    return false;
  };
  // The container's own rows keep their codes; the contained ones are renamed by slot.
  EXPECT_TRUE(has_token("code", "http://loinc.org", "58410-2"));
  EXPECT_FALSE(has_token("code", "http://loinc.org", "718-7"));
  EXPECT_TRUE(has_token(ContainedParam("Observation", "code", 1), "http://loinc.org", "718-7"));
  EXPECT_TRUE(has_token(ContainedParam("Medication", "code", 3), "http://www.whocc.no/atc",
                        "J01CA04"));
  // Marker rows: the type and the id, per slot (slot 2 holds no known type).
  EXPECT_TRUE(has_token(ContainedParam("Observation", "", 1), "Observation", "hb"));
  EXPECT_TRUE(has_token(ContainedParam("Medication", "", 3), "Medication", "m"));
  EXPECT_FALSE(has_token(ContainedParam("Nonsense", "", 2), "Nonsense", "x"));
  bool quantity = false;
  for (const QuantityEntry& q : e.quantities) {
    quantity |= q.param == ContainedParam("Observation", "value-quantity", 1);
  }
  EXPECT_TRUE(quantity);
}

TEST(ContainedResourceJson, CutsOutTheResourceById) {
  std::string container =
      R"({"resourceType":"MedicationRequest","id":"mr","contained":[{"resourceType":"Medication","id":"a","status":"active"},{"resourceType":"Medication","id":"b"}]})";
  EXPECT_EQ(ContainedResourceJson(container, "a"),
            R"({"resourceType":"Medication","id":"a","status":"active"})");
  EXPECT_EQ(ContainedResourceJson(container, "c"), "");
  EXPECT_EQ(ContainedResourceJson("not json", "a"), "");
}

}  // namespace
}  // namespace hb::search
