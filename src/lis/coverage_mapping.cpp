// IN1 -> Coverage. docs/implementation/hl7v2-mapping.md, "Coverage".
#include "fhir/vn_systems.h"
#include "lis/code_tables.h"
#include "lis/lis_systems.h"
#include "lis/mapping_context.h"

namespace hb::lis {

namespace {

constexpr std::string_view kRelationshipSystem =
    "http://terminology.hl7.org/CodeSystem/subscriber-relationship";

// HL7 table 0063 (relationship) -> FHIR subscriber-relationship.
std::pair<std::string_view, std::string_view> Relationship(std::string_view v2) {
  if (v2.empty() || v2 == "SEL") return {"self", "Self"};
  if (v2 == "SPO" || v2 == "DOM") return {"spouse", "Spouse"};
  if (v2 == "CHD" || v2 == "SON" || v2 == "DAU" || v2 == "STP" || v2 == "FCH") {
    return {"child", "Child"};
  }
  if (v2 == "PAR" || v2 == "MTH" || v2 == "FTH") return {"parent", "Parent"};
  return {"other", "Other"};
}

}  // namespace

std::string AddCoverage(MapContext& ctx, BundleBuilder& bundle, const Segment& in1,
                        const PatientRefs& patient) {
  // IN1-36 policy number (for BHYT the card number), else IN1-49 insured's id.
  std::string policy = in1.Get(36);
  if (policy.empty()) policy = in1.Get(49);
  if (policy.empty()) return {};  // nothing to recognise the coverage by on the next message
  const std::string plan = in1.Get(2), company = in1.Get(3);
  const bool bhyt = LooksLikeBhytCard(policy) &&
                    (plan == "BHYT" || company == "BHXH" || company == "BHYT" || plan.empty());
  const std::string system = bhyt ? fhir::vn::Systems().bhyt_card
                                  : OtherIdentifierSystem(company.empty() ? "insurance" : company);
  fhir::JsonValue res = bundle.NewResource("Coverage");
  JsonNode c(&res, &bundle.alloc());
  c.Arr("identifier").Add().Str("system", system).Str("value", policy);
  c.Str("status", "active");
  {
    JsonNode type = c.Obj("type");
    if (bhyt) {
      type.Arr("coding").Add().Coding(kActCodeSystem, "PUBLICPOL", "public healthcare");
      type.Str("text", "Bảo hiểm y tế");
    } else {
      ctx.CodeableConcept(type, in1, 2);
    }
  }
  const auto [rel_code, rel_display] = Relationship(in1.Get(17));
  if (rel_code == "self") c.Ref("subscriber", patient.patient, patient.display);
  c.Str("subscriberId", policy);
  c.Ref("beneficiary", patient.patient, patient.display);
  c.Obj("relationship").Arr("coding").Add().Coding(kRelationshipSystem, rel_code, rel_display);
  c.Obj("period").Str("start", ctx.Date(in1, 12)).Str("end", ctx.Date(in1, 13));
  {
    // IN1-3 company id, IN1-4 company name: a logical reference (the insurer is rarely a
    // registered Organization here).
    JsonNode payor = c.Arr("payor").Add();
    std::string name = in1.Get(4);
    if (name.empty()) name = in1.Get(3, 1, 2);
    if (name.empty() && bhyt) name = "Bảo hiểm xã hội Việt Nam";
    if (!company.empty()) {
      payor.Obj("identifier").Str("system", OtherIdentifierSystem("insurer")).Str("value", company);
    }
    payor.Str("display", name.empty() ? company : name);
    if (name.empty() && company.empty()) payor.Str("display", "Không rõ đơn vị chi trả");
  }
  if (std::string group = in1.Get(15); !group.empty()) {
    JsonNode cls = c.Arr("class").Add();
    cls.Obj("type").Arr("coding").Add().Coding(
        "http://terminology.hl7.org/CodeSystem/coverage-class", "plan", "Plan");
    cls.Str("value", group);
  }
  MergeRule rule;
  rule.merge = true;
  // The status reception's insurance check recorded (a card the portal refused) stays.
  rule.keep_current = {"status"};
  return bundle.Put(std::move(res), "identifier=" + TokenCondition(system, policy),
                    std::move(rule));
}

}  // namespace hb::lis
