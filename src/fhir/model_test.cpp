#include "fhir/model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace hb::fhir {
namespace {

const Model& M() { return Model::R4(); }

TEST(FhirModel, LoadsQuickly) {
  auto start = std::chrono::steady_clock::now();
  const Model& m = Model::R4();  // first call in this process (tests run in file order)
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  std::printf("Model::R4() first call: %lld us\n", static_cast<long long>(us));
  EXPECT_EQ(&m, &Model::R4());
}

TEST(FhirModel, KnowsConcreteResourceTypes) {
  EXPECT_TRUE(M().IsResourceType("Patient"));
  EXPECT_TRUE(M().IsResourceType("Bundle"));
  EXPECT_TRUE(M().IsResourceType("Parameters"));
  EXPECT_FALSE(M().IsResourceType("Resource"));        // abstract
  EXPECT_FALSE(M().IsResourceType("DomainResource"));  // abstract
  EXPECT_FALSE(M().IsResourceType("HumanName"));       // a data type
  EXPECT_FALSE(M().IsResourceType("patient"));
  EXPECT_FALSE(M().IsResourceType(""));
  const auto& types = M().ResourceTypes();
  EXPECT_EQ(types.size(), 146u);
  EXPECT_TRUE(std::is_sorted(types.begin(), types.end()));
  EXPECT_TRUE(std::binary_search(types.begin(), types.end(), "Observation"));
  EXPECT_FALSE(std::binary_search(types.begin(), types.end(), "DomainResource"));
}

TEST(FhirModel, DescribesTypes) {
  const TypeDef* t = M().FindType("date");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->kind, TypeKind::kPrimitive);
  t = M().FindType("Age");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->kind, TypeKind::kComplex);
  EXPECT_EQ(t->base, "Quantity");
  t = M().FindType("DomainResource");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->is_abstract);
  EXPECT_EQ(M().FindType("SimpleQuantity"), nullptr);  // a constraint profile, not a type
  EXPECT_EQ(M().FindType("Nope"), nullptr);
}

TEST(FhirModel, ExpandsChoiceElements) {
  const ElementDef* e = M().FindElement("Observation", "valueQuantity");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, "Quantity");
  EXPECT_EQ(e->context, "Quantity");
  EXPECT_EQ(e->choice_group, "value");
  EXPECT_FALSE(e->array);
  EXPECT_FALSE(e->is_primitive);
  e = M().FindElement("Observation", "valueDateTime");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->is_primitive);
  EXPECT_EQ(e->primitive, Primitive::kDateTime);
  EXPECT_EQ(M().FindElement("Observation", "value"), nullptr);
  EXPECT_EQ(M().FindElement("Observation", "value[x]"), nullptr);
  EXPECT_NE(M().FindElement("Extension", "valueBase64Binary"), nullptr);
  EXPECT_NE(M().FindElement("Extension", "valueMeta"), nullptr);
}

TEST(FhirModel, DescribesElements) {
  const ElementDef* name = M().FindElement("Patient", "name");
  ASSERT_NE(name, nullptr);
  EXPECT_TRUE(name->array);
  EXPECT_EQ(name->context, "HumanName");
  const ElementDef* birth = M().FindElement("Patient", "birthDate");
  ASSERT_NE(birth, nullptr);
  EXPECT_TRUE(birth->is_primitive);
  EXPECT_TRUE(birth->has_companion);
  EXPECT_EQ(birth->context, "date");  // `_birthDate` holds id and extension
  EXPECT_NE(M().FindElement("date", "extension"), nullptr);
  EXPECT_NE(M().FindElement("date", "id"), nullptr);
  EXPECT_EQ(M().FindElement("date", "value"), nullptr);
  const ElementDef* id = M().FindElement("Patient", "id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->type, "id");  // Resource.id is an `id`, not any string
  const ElementDef* element_id = M().FindElement("HumanName", "id");
  ASSERT_NE(element_id, nullptr);
  EXPECT_EQ(element_id->type, "string");
  EXPECT_FALSE(element_id->has_companion);  // an XML attribute
  const ElementDef* url = M().FindElement("Extension", "url");
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->type, "uri");
  EXPECT_EQ(url->min, 1u);
  EXPECT_FALSE(url->has_companion);
  const ElementDef* div = M().FindElement("Narrative", "div");
  ASSERT_NE(div, nullptr);
  EXPECT_EQ(div->primitive, Primitive::kXhtml);
  EXPECT_FALSE(div->has_companion);
  EXPECT_EQ(M().FindElement("Patient", "unknown"), nullptr);
  EXPECT_EQ(M().FindElement("NoSuchContext", "id"), nullptr);
}

TEST(FhirModel, ResolvesNestedContexts) {
  const ElementDef* contact = M().FindElement("Patient", "contact");
  ASSERT_NE(contact, nullptr);
  EXPECT_EQ(contact->type, "BackboneElement");
  EXPECT_EQ(contact->context, "Patient.contact");
  EXPECT_NE(M().FindElement("Patient.contact", "relationship"), nullptr);
  // contentReference: nested items reuse Questionnaire.item.
  const ElementDef* item = M().FindElement("Questionnaire.item", "item");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->context, "Questionnaire.item");
  // An Element-typed child (not BackboneElement).
  const ElementDef* repeat = M().FindElement("Timing", "repeat");
  ASSERT_NE(repeat, nullptr);
  EXPECT_EQ(repeat->context, "Timing.repeat");
  EXPECT_NE(M().FindElement("Timing.repeat", "boundsDuration"), nullptr);
  // Polymorphic resources.
  const ElementDef* res = M().FindElement("Bundle.entry", "resource");
  ASSERT_NE(res, nullptr);
  EXPECT_TRUE(res->polymorphic);
  const ElementDef* contained = M().FindElement("Patient", "contained");
  ASSERT_NE(contained, nullptr);
  EXPECT_TRUE(contained->polymorphic);
  EXPECT_TRUE(contained->array);
  EXPECT_TRUE(M().FindElement("Parameters.parameter", "resource")->polymorphic);
}

TEST(FhirModel, ListsElementsAndRequiredOnes) {
  auto elements = M().Elements("HumanName");
  ASSERT_FALSE(elements.empty());
  EXPECT_EQ(elements.front().name, "id");
  EXPECT_TRUE(M().Elements("Nope").empty());

  auto required = M().RequiredElements("Observation");
  std::vector<std::string_view> names;
  for (const ElementDef* e : required) names.push_back(e->name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"status", "code"}));

  // A required choice appears once, by its group.
  auto med = M().RequiredElements("MedicationRequest");
  size_t medication = 0;
  for (const ElementDef* e : med) medication += e->choice_group == "medication";
  EXPECT_EQ(medication, 1u);
  EXPECT_TRUE(M().RequiredElements("Patient").empty());
}

TEST(FhirModel, PatientCompartment) {
  EXPECT_EQ(M().PatientCompartmentPaths("Observation"),
            (std::vector<std::string_view>{"Observation.subject", "Observation.performer"}));
  EXPECT_EQ(M().PatientCompartmentParams("Observation"),
            (std::vector<std::string_view>{"subject", "performer"}));
  // `.where(resolve() is Patient)` is stripped.
  EXPECT_EQ(M().PatientCompartmentPaths("Condition"),
            (std::vector<std::string_view>{"Condition.subject", "Condition.asserter"}));
  EXPECT_EQ(M().PatientCompartmentPaths("Appointment"),
            (std::vector<std::string_view>{"Appointment.participant.actor"}));
  EXPECT_EQ(M().PatientCompartmentPaths("Patient"),
            (std::vector<std::string_view>{"Patient.link.other"}));
  // Same path named by two params appears once.
  EXPECT_EQ(M().PatientCompartmentPaths("Invoice"),
            (std::vector<std::string_view>{"Invoice.subject", "Invoice.recipient"}));
  EXPECT_TRUE(M().PatientCompartmentPaths("Organization").empty());
  EXPECT_TRUE(M().PatientCompartmentPaths("Nope").empty());
}

TEST(FhirModel, SearchParameters) {
  const SearchParamDef* birth = M().FindSearchParameter("Patient", "birthdate");
  ASSERT_NE(birth, nullptr);
  EXPECT_EQ(birth->type, "date");
  EXPECT_EQ(birth->url, "http://hl7.org/fhir/SearchParameter/individual-birthdate");
  EXPECT_NE(birth->expression.find("Patient.birthDate"), std::string_view::npos);
  EXPECT_NE(std::find(birth->base.begin(), birth->base.end(), "Person"), birth->base.end());

  const SearchParamDef* subject = M().FindSearchParameter("Observation", "subject");
  ASSERT_NE(subject, nullptr);
  EXPECT_EQ(subject->type, "reference");
  EXPECT_FALSE(subject->target.empty());

  const SearchParamDef* composite = M().FindSearchParameter("Observation", "code-value-quantity");
  ASSERT_NE(composite, nullptr);
  EXPECT_EQ(composite->type, "composite");
  ASSERT_EQ(composite->components.size(), 2u);
  EXPECT_EQ(composite->components[1].expression, "value.as(Quantity)");

  // Inherited: Resource for all, DomainResource only for domain resources.
  EXPECT_NE(M().FindSearchParameter("Patient", "_id"), nullptr);
  EXPECT_NE(M().FindSearchParameter("Patient", "_lastUpdated"), nullptr);
  EXPECT_NE(M().FindSearchParameter("Patient", "_text"), nullptr);
  EXPECT_NE(M().FindSearchParameter("Bundle", "_id"), nullptr);
  EXPECT_EQ(M().FindSearchParameter("Bundle", "_text"), nullptr);
  EXPECT_EQ(M().FindSearchParameter("Patient", "nope"), nullptr);
  EXPECT_TRUE(M().SearchParameters("Nope").empty());

  // Own parameters come first, and no code is listed twice for a type.
  for (std::string_view type : M().ResourceTypes()) {
    const auto& params = M().SearchParameters(type);
    ASSERT_FALSE(params.empty()) << type;
    std::vector<std::string_view> codes;
    for (const SearchParamDef* p : params) codes.push_back(p->code);
    std::sort(codes.begin(), codes.end());
    EXPECT_EQ(std::adjacent_find(codes.begin(), codes.end()), codes.end()) << type;
  }
  const auto& first_base = M().SearchParameters("Patient").front()->base;
  EXPECT_NE(std::find(first_base.begin(), first_base.end(), "Patient"), first_base.end());
  EXPECT_EQ(M().SearchParameters("Patient").back()->base.front(), "Resource");
}

}  // namespace
}  // namespace hb::fhir
