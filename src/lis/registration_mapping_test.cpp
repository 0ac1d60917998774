// HL7 v2 -> FHIR for registrations (ADT^A01/A04/A08), and for what any message can get
// wrong: garbled fields, data that is not what it claims, unsupported types; determinism.
#include <gtest/gtest.h>

#include "lis/lis_systems.h"
#include "lis/mapping_test_util.h"
#include "lis/validator.h"

namespace hb::lis {
namespace {

using namespace mapping_testing;  // NOLINT: the helpers of this test family

TEST(MappingTest, AdmissionRegistersPatientAndVisitAsMergingUpdates) {
  Mapped m("adt_a01_cccd.hl7");
  m.ExpectValid();
  ASSERT_EQ(m.size(), 4u);  // Patient, Encounter, Coverage (IN1), DocumentReference
  EXPECT_EQ(Text(m.entry(0), "request.method"), "PUT");
  EXPECT_TRUE(m.mapped().rules[0].merge);
  EXPECT_EQ(m.mapped().rules[0].clear_tags, std::vector<std::string>{"provisional"});
  const fhir::JsonValue& p = m.Resource("Patient");
  EXPECT_EQ(At(p, "meta"), nullptr);
  EXPECT_EQ(Text(p, "identifier[0].system"), MrnSystem("11001"));
  EXPECT_EQ(Text(p, "identifier[2].system"), "https://fhir.healthbook.vn/sid/bhyt-card");
  EXPECT_EQ(Text(p, "name[1].use"), "usual");
  EXPECT_EQ(Text(p, "address[1].city"), "Xã Thanh Minh");
  EXPECT_EQ(Text(p, "telecom[0].value"), "0912345678");
  EXPECT_EQ(Text(p, "maritalStatus.coding[0].code"), "M");
  EXPECT_EQ(Text(p, "contact[0].name.text"), "Trần Văn Hùng");
  const fhir::JsonValue& e = m.Resource("Encounter");
  EXPECT_EQ(Text(e, "status"), "in-progress");
  EXPECT_EQ(Text(e, "class.code"), "IMP");
  EXPECT_EQ(Text(e, "participant[0].individual.display"), "BS.CKI Vừ A Sử");
  EXPECT_EQ(Text(e, "period.start"), "2024-03-15T07:40:00+07:00");
  EXPECT_EQ(Text(e, "location[0].location.display"), "NOI1, P203, G02");
  EXPECT_EQ(Text(e, "serviceProvider.reference"), "Organization/org-bvdk");
  EXPECT_EQ(Text(m.entry(1), "request.url"),
            "Encounter?identifier=" + VisitNumberSystem("11001") + "|V2024-0315-031");
}

TEST(MappingTest, InsuranceBecomesCoverageOfThePatient) {
  Mapped m("adt_a01_cccd.hl7");
  const fhir::JsonValue& c = m.Resource("Coverage");
  EXPECT_EQ(Text(c, "identifier[0].system"), "https://fhir.healthbook.vn/sid/bhyt-card");
  EXPECT_EQ(Text(c, "identifier[0].value"), "DN4011121234567");
  EXPECT_EQ(Text(c, "type.coding[0].code"), "PUBLICPOL");
  EXPECT_EQ(Text(c, "beneficiary.reference"), m.FullUrl("Patient"));
  EXPECT_EQ(Text(c, "subscriber.reference"), m.FullUrl("Patient"));
  EXPECT_EQ(Text(c, "relationship.coding[0].code"), "self");
  EXPECT_EQ(Text(c, "period.start"), "2024-01-01");
  EXPECT_EQ(Text(c, "period.end"), "2024-12-31");
  EXPECT_EQ(Text(c, "payor[0].identifier.value"), "BHXH");
  EXPECT_EQ(Text(m.EntryOf("Coverage"), "request.url"),
            "Coverage?identifier=https://fhir.healthbook.vn/sid/bhyt-card|DN4011121234567");
  EXPECT_EQ(m.mapped().rules[2].keep_current, std::vector<std::string>{"status"});
}

TEST(MappingTest, TransferKeepsThePriorBedAsCompleted) {
  Mapped m("adt_a02_transfer.hl7");
  m.ExpectValid();
  const fhir::JsonValue& e = m.Resource("Encounter");
  EXPECT_EQ(Text(e, "status"), "in-progress");
  EXPECT_EQ(Text(e, "location[0].location.display"), "NOI1, P203, G02");
  EXPECT_EQ(Text(e, "location[0].status"), "completed");
  EXPECT_EQ(Text(e, "location[1].location.display"), "HSTC, P01, G01");
  EXPECT_EQ(Text(e, "location[1].status"), "active");
  EXPECT_EQ(Text(m.EntryOf("Encounter"), "request.method"), "PUT");
  EXPECT_EQ(m.mapped().rules[1].merge_objects, std::vector<std::string>{"period"});
}

TEST(MappingTest, DischargeEndsTheVisitWhenTheEventHappened) {
  Mapped m("adt_a03_discharge.hl7");
  m.ExpectValid();
  const fhir::JsonValue& e = m.Resource("Encounter");
  EXPECT_EQ(Text(e, "status"), "finished");
  EXPECT_EQ(Text(e, "period.end"), "2024-03-20T08:30:00+07:00");  // EVN-6
  EXPECT_EQ(Text(e, "period.start"), "<absent>");  // the stored start stays (merge_objects)
  EXPECT_EQ(Text(e, "location[0].status"), "completed");
  EXPECT_EQ(m.Count("Coverage"), 1);
}

TEST(MappingTest, TransferOrDischargeWithoutVisitNumberIsRefused) {
  std::string raw = Read(fs::path(HB_HL7_FIXTURES_DIR) / "adt_a03_discharge.hl7");
  size_t at = raw.find("V2024-0315-031");
  raw.erase(at, std::string("V2024-0315-031").size());
  auto msg = ParseMessage(raw);
  ASSERT_TRUE(msg.ok());
  MapOutcome out = MapMessage(*msg, raw, Options());
  EXPECT_FALSE(out.mapped);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].code, Hl7Error::kRequiredFieldMissing);
  EXPECT_EQ(out.errors[0].location.segment, "PV1");
  EXPECT_EQ(out.errors[0].location.field, 19);
}

TEST(MappingTest, MergeNamesTheSurvivorByItsFirstIdentifierAndTheDuplicatesByMrg) {
  Mapped m("adt_a40_merge.hl7");
  m.ExpectValid();
  EXPECT_EQ(m.Count("Encounter"), 0);
  ASSERT_TRUE(m.mapped().patient_merge.has_value());
  EXPECT_EQ(m.mapped().patient_merge->target, m.FullUrl("Patient"));
  EXPECT_EQ(m.mapped().patient_merge->source_condition,
            "identifier=" + MrnSystem("11001") +
                "|BN2024-009931,https://fhir.healthbook.vn/sid/cccd|011189099999");
  // The survivor is found by its MRN alone: its CCCD may still sit on the duplicate.
  EXPECT_EQ(Text(m.EntryOf("Patient"), "request.url"),
            "Patient?identifier=" + MrnSystem("11001") + "|BN2024-004512");
  auto msg = ParseMessage(Read(fs::path(HB_HL7_FIXTURES_DIR) / "adt_a40_merge.hl7"));
  EXPECT_TRUE(ValidateMessage(*msg).empty()) << "A40 needs no PV1";
}

TEST(MappingTest, UpdateWithoutVisitNumberTouchesOnlyThePatient) {
  Mapped m("adt_a08_update_v231.hl7");
  m.ExpectValid();
  EXPECT_EQ(m.Count("Encounter"), 0);
  // The MRN belongs to Tuần Giáo's health centre, named by its assigning authority.
  EXPECT_EQ(Text(m.Resource("Patient"), "identifier[0].system"), MrnSystem("11012"));
  Mapped update("adt_a08_update_a01.hl7");
  EXPECT_EQ(update.mapped().rules[1].keep_current, std::vector<std::string>{"status"});
  EXPECT_EQ(Text(update.Resource("Patient"), "telecom[1].use"), "mobile");
}

TEST(MappingTest, OutpatientRegistrationArrives) {
  Mapped m("adt_a04_register_crlf.hl7");
  m.ExpectValid();
  EXPECT_EQ(Text(m.entry(1), "request.method"), "PUT");
  EXPECT_EQ(Text(m.Resource("Encounter"), "status"), "arrived");
  EXPECT_EQ(Text(m.Resource("Encounter"), "class.code"), "AMB");
  EXPECT_EQ(Text(m.Resource("Patient"), "telecom[0].use"), "mobile");
}

TEST(MappingTest, ANewVisitWithoutNumberIsStillRecorded) {
  std::string text =
      "MSH|^~\\&|HIS|H|HB|SYT|20240101||ADT^A04|X9|P|2.5\rEVN|A04\r"
      "PID|1||123^^^H^MR||Lò^Văn A||19890101|M\rPV1|1|E|CC\r";
  auto msg = ParseMessage(text);
  ASSERT_TRUE(msg.ok());
  MapOutcome out = MapMessage(*msg, text, Options());
  ASSERT_TRUE(out.mapped.has_value());
  const fhir::JsonValue& entries = *At(out.mapped->bundle, "entry");
  EXPECT_EQ(Text(entries[1], "request.method"), "POST");
  EXPECT_EQ(Text(entries[1], "resource.class.code"), "EMER");
  // An update cannot say which visit it means without the number: none is touched.
  text.replace(text.find("ADT^A04"), 7, "ADT^A08");
  msg = ParseMessage(text);
  out = MapMessage(*msg, text, Options());
  ASSERT_TRUE(out.mapped.has_value());
  EXPECT_EQ(At(out.mapped->bundle, "entry")->Size(), 2u);  // Patient, DocumentReference
}

// Whatever a sender puts in any field, the receiving pipeline (validator, then mapping) either
// makes valid R4 resources or says what is wrong: never an invalid resource, never a crash.
TEST(MappingTest, GarbledFieldsGiveValidResourcesOrErrors) {
  const char* kFixtures[] = {"oru_r01_chemistry.hl7", "oru_r01_microbiology.hl7",
                             "adt_a01_cccd.hl7", "oru_r01_hematology_v23_lf.hl7"};
  const char* kValues[] = {"",         "x",     "-",  "99999999999999999999.5",
                           "20241345", "^^^",   "~~", "0^a~1^b&c",
                           "Đ",        "1-2-3", ">"};
  int mapped = 0, refused = 0;
  for (const char* fixture : kFixtures) {
    auto original = ParseMessage(Read(fs::path(HB_HL7_FIXTURES_DIR) / fixture));
    ASSERT_TRUE(original.ok());
    const auto& segments = original->segments();
    for (size_t s = 1; s < segments.size(); ++s) {
      for (int f = 1; f <= segments[s].FieldCount(); ++f) {
        for (const char* value : kValues) {
          Message m = *original;
          m.mutable_segments()[s].SetRawField(f, value);
          if (AckCodeFor(ValidateMessage(m)) != AckCode::kAccept) {
            ++refused;
            continue;
          }
          MapOutcome out = MapMessage(m, "raw", Options());
          if (!out.mapped) {
            EXPECT_FALSE(out.errors.empty()) << fixture << " " << segments[s].name() << "-" << f;
            ++refused;
            continue;
          }
          ++mapped;
          for (auto& e : (*fhir::Member(out.mapped->bundle, "entry")).GetArray()) {
            fhir::ResourceFacts facts;
            Status st = fhir::ValidateResource(*fhir::Member(e, "resource"), &facts);
            ASSERT_TRUE(st.ok()) << fixture << " " << segments[s].name() << "-" << f << " = '"
                                 << value << "': " << st.ToString();
          }
        }
      }
    }
  }
  EXPECT_GT(mapped, 1000);
  EXPECT_GT(refused, 10);
}

TEST(MappingTest, TheSameMessageMapsToTheSameBundle) {
  Mapped a("oru_r01_chemistry.hl7"), b("oru_r01_chemistry.hl7");
  EXPECT_EQ(fhir::Serialize(a.bundle()), fhir::Serialize(b.bundle()));
}

std::vector<AckError> ErrorsOf(std::string_view text, const std::string& type_hint = {}) {
  auto msg = ParseMessage(text);
  EXPECT_TRUE(msg.ok()) << type_hint;
  return MapMessage(*msg, text, Options()).errors;
}

TEST(MappingTest, DataThatIsNotWhatItClaimsIsReportedWithItsPlace) {
  auto errors = ErrorsOf(
      "MSH|^~\\&|HIS|H|HB|SYT|20240101||ADT^A04|X1|P|2.5\rEVN|A04\r"
      "PID|1||123^^^H^MR||Lò^Văn A||19891332|M\rPV1|1|O\r");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, Hl7Error::kDataType);
  EXPECT_EQ(errors[0].location.segment, "PID");
  EXPECT_EQ(errors[0].location.field, 7);
  EXPECT_NE(errors[0].user_message.find("PID-7"), std::string::npos);

  errors = ErrorsOf(
      "MSH|^~\\&|LIS|L|HB|H|20240101||ORU^R01|X2|P|2.5\rOBR|1||F1|GLU^G^L\r"
      "OBX|1|NM|GLU^G^L||5|mmol/L|||||F\r");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, Hl7Error::kSegmentSequence);
  EXPECT_NE(errors[0].user_message.find("no PID"), std::string::npos);

  errors = ErrorsOf("MSH|^~\\&|HIS|H|LIS|L|20240101||OML^O21|X3|P|2.5\r");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, Hl7Error::kUnsupportedMessageType);
}

}  // namespace
}  // namespace hb::lis
