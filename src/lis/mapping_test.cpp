// HL7 v2 -> FHIR transaction Bundle for results (ORU^R01), on the fixtures in
// tests/fixtures/hl7: what each field becomes, and that every resource is valid R4.
#include <gtest/gtest.h>

#include "lis/lis_systems.h"
#include "lis/mapping_test_util.h"

namespace hb::lis {
namespace {

using namespace mapping_testing;  // NOLINT: the helpers of this test family

TEST(MappingTest, ChemistryResultBecomesReportObservationsOrderPatientAndRecord) {
  Mapped m("oru_r01_chemistry.hl7");
  m.ExpectValid();
  EXPECT_EQ(m.Count("Patient"), 1);
  // This fixture's visit number sits in PV1-18 (patient type), not PV1-19: no Encounter.
  EXPECT_EQ(m.Count("Encounter"), 0);
  EXPECT_EQ(m.Count("ServiceRequest"), 1);
  EXPECT_EQ(m.Count("Observation"), 12);  // 13 OBX, the ED one is the report's PDF
  EXPECT_EQ(m.Count("DiagnosticReport"), 1);
  EXPECT_EQ(m.Count("DocumentReference"), 1);
  EXPECT_EQ(m.mapped().message_key, "COBAS6000^KHOA_XN^C6K-20240315-000187");
  EXPECT_EQ(m.mapped().rules.size(), m.size());

  // The patient: found by MRN or CCCD, else created provisional.
  const fhir::JsonValue& first = m.entry(0);
  EXPECT_EQ(Text(first, "request.method"), "POST");
  EXPECT_EQ(Text(first, "request.ifNoneExist"), "identifier=" + MrnSystem("11001") +
                                                    "|BN2024-004512,https://fhir.healthbook.vn/sid/"
                                                    "cccd|011189012345");
  const fhir::JsonValue& patient = m.Resource("Patient");
  EXPECT_EQ(Text(patient, "meta.tag[0].code"), "provisional");
  EXPECT_EQ(Text(patient, "meta.tag[0].system"), ReconciliationTagSystem());
  EXPECT_EQ(Text(patient, "identifier[1].type.coding[0].code"), "NI");
  EXPECT_EQ(Text(patient, "name[0].text"), "Nguyễn Thị Hồng");
  EXPECT_EQ(Text(patient, "name[0].given[1]"), "Hồng");
  EXPECT_EQ(Text(patient, "birthDate"), "1989-04-12");
  EXPECT_EQ(Text(patient, "gender"), "female");
  EXPECT_EQ(Text(patient, "address[0].city"), "Phường Him Lam");
  EXPECT_EQ(Text(patient, "address[0].country"), "VN");
  EXPECT_EQ(Text(patient, "managingOrganization.reference"), "Organization/org-bvdk");

  const fhir::JsonValue& glucose = m.Resource("Observation", 0);
  EXPECT_EQ(Text(glucose, "identifier[0].value"), "240315-0187/2345-7/");
  EXPECT_EQ(Text(glucose, "status"), "final");
  EXPECT_EQ(Text(glucose, "code.coding[0].system"), "http://loinc.org");
  EXPECT_EQ(Text(glucose, "code.coding[1].code"), "GLU");
  EXPECT_EQ(Text(glucose, "code.coding[1].system"), LocalLabCodeSystem("11001"));
  EXPECT_EQ(At(glucose, "code.coding[2]"), nullptr) << "a LOINC code was sent: none added";
  EXPECT_EQ(Text(glucose, "valueQuantity.value"), "7.8");
  EXPECT_EQ(Text(glucose, "valueQuantity.system"), "http://unitsofmeasure.org");
  EXPECT_EQ(Text(glucose, "valueQuantity.code"), "mmol/L");
  EXPECT_EQ(Text(glucose, "referenceRange[0].low.value"), "3.9");
  EXPECT_EQ(Text(glucose, "referenceRange[0].high.value"), "6.4");
  EXPECT_EQ(Text(glucose, "interpretation[0].coding[0].code"), "H");
  EXPECT_EQ(Text(glucose, "effectiveDateTime"), "2024-03-15T09:15:12+07:00");
  EXPECT_EQ(Text(glucose, "issued"), "2024-03-15T09:30:00+07:00");
  EXPECT_EQ(Text(glucose, "performer[1].display"), "Quàng Thị Lan");

  const fhir::JsonValue& alt = m.Resource("Observation", 2);
  EXPECT_EQ(Text(alt, "status"), "corrected");
  EXPECT_EQ(Text(alt, "interpretation[0].coding[0].code"), "HH");
  EXPECT_EQ(Text(alt, "valueQuantity.value"), "132.5");
  EXPECT_EQ(Text(alt, "note[0].text"),
            "Kết quả đã được hiệu chỉnh sau khi chạy lại mẫu lúc 09:20.");

  const fhir::JsonValue& egfr = m.Resource("Observation", 3);
  EXPECT_EQ(Text(egfr, "valueQuantity.comparator"), ">");
  EXPECT_EQ(Text(egfr, "valueQuantity.value"), "90");
  EXPECT_EQ(Text(egfr, "valueQuantity.code"), "mL/min/{1.73_m2}");
  EXPECT_EQ(Text(egfr, "referenceRange[0].low.value"), "90");
  EXPECT_EQ(Text(egfr, "referenceRange[0].text"), ">=90");

  EXPECT_EQ(Text(m.Resource("Observation", 4), "valueCodeableConcept.coding[0].system"),
            "http://snomed.info/sct");
  EXPECT_EQ(Text(m.Resource("Observation", 4), "valueCodeableConcept.coding[1].code"), "AM");
  EXPECT_EQ(Text(m.Resource("Observation", 4), "referenceRange[0].text"), "Negative");
  EXPECT_EQ(Text(m.Resource("Observation", 5), "valueCodeableConcept.coding[0].code"), "112144000");
  EXPECT_EQ(Text(m.Resource("Observation", 6), "valueString"), "Vàng nhạt");
  EXPECT_EQ(Text(m.Resource("Observation", 7), "valueString"),
            "Mẫu hơi tan huyết nhẹ.\nĐề nghị lấy lại mẫu nếu cần kiểm tra Kali.");
  EXPECT_EQ(Text(m.Resource("Observation", 8), "valueDateTime"), "2024-03-01");
  EXPECT_EQ(Text(m.Resource("Observation", 9), "valueDateTime"), "2024-03-15T07:15:00+07:00");
  EXPECT_EQ(Text(m.Resource("Observation", 11), "valueRatio.numerator.value"), "1");
  EXPECT_EQ(Text(m.Resource("Observation", 11), "valueRatio.denominator.value"), "160");

  const fhir::JsonValue& report = m.Resource("DiagnosticReport");
  EXPECT_EQ(Text(report, "status"), "final");
  EXPECT_EQ(Text(report, "identifier[0].value"), "240315-0187");
  EXPECT_EQ(Text(report, "category[0].coding[0].code"), "CH");
  EXPECT_EQ(Text(report, "code.coding[0].code"), "CHEM");
  EXPECT_EQ(At(report, "result")->Size(), 12u);
  EXPECT_EQ(Text(report, "presentedForm[0].contentType"), "application/pdf");
  EXPECT_EQ(Text(report, "presentedForm[0].data"),
            "JVBERi0xLjQKJeLjz9MKMSAwIG9iaiA8PC9UeXBlIC9DYXRhbG9nPj4gZW5kb2JqCg==");
  EXPECT_EQ(Text(report, "presentedForm[0].title"), "Phiếu kết quả");

  const fhir::JsonValue& order = m.Resource("ServiceRequest");
  EXPECT_EQ(Text(order, "identifier[0].system"), PlacerOrderSystem("11001"));
  EXPECT_EQ(Text(order, "identifier[0].value"), "ORD-556677");
  EXPECT_EQ(Text(order, "identifier[1].value"), "240315-0187");
  EXPECT_EQ(Text(order, "status"), "completed");
  EXPECT_EQ(Text(order, "requester.display"), "BS. Lò Văn Minh");
  EXPECT_EQ(Text(report, "basedOn[0].reference"), m.FullUrl("ServiceRequest"));
  EXPECT_EQ(Text(glucose, "basedOn[0].reference"), m.FullUrl("ServiceRequest"));
  EXPECT_EQ(Text(report, "result[2].reference"), m.FullUrl("Observation", 2));

  const fhir::JsonValue& record = m.Resource("DocumentReference");
  EXPECT_EQ(Text(record, "content[0].attachment.contentType"), "x-application/hl7-v2+er7");
  EXPECT_EQ(Text(record, "masterIdentifier.value"), m.mapped().message_key);
  EXPECT_EQ(Text(record, "date"), "2024-03-15T02:50:00.000Z");
  EXPECT_GE(At(record, "context.related")->Size(), 2u);
}

TEST(MappingTest, LocalCodesGetTheirLoincFromTheConceptMap) {
  Mapped m("oru_r01_hematology_v23_lf.hl7");
  m.ExpectValid();
  EXPECT_EQ(m.Count("Encounter"), 0);
  const fhir::JsonValue& wbc = m.Resource("Observation", 0);
  EXPECT_EQ(Text(wbc, "code.coding[0].code"), "WBC");
  EXPECT_EQ(Text(wbc, "code.coding[1].system"), "http://loinc.org");
  EXPECT_EQ(Text(wbc, "code.coding[1].code"), "6690-2");
  EXPECT_EQ(Text(wbc, "valueQuantity.code"), "10*3/uL");
  EXPECT_EQ(Text(m.Resource("Observation", 3), "interpretation[0].coding[0].code"), "L");
  EXPECT_EQ(Text(m.Resource("ServiceRequest"), "identifier[0].type.coding[0].code"), "FILL");
  // A Vietnamese "G/L" is giga per litre, not grams.
  Mapped two("oru_r01_two_patients.hl7");
  EXPECT_EQ(Text(two.Resource("Observation", 1), "valueQuantity.code"), "10*9/L");
  EXPECT_EQ(Text(two.Resource("Observation", 0), "valueQuantity.code"), "g/L");
}

TEST(MappingTest, EachPatientOfAMessageGetsTheirOwnResults) {
  Mapped m("oru_r01_two_patients.hl7");
  m.ExpectValid();
  EXPECT_EQ(m.Count("Patient"), 2);
  EXPECT_EQ(m.Count("DiagnosticReport"), 2);
  std::string first = Text(m.entry(0), "fullUrl");
  EXPECT_EQ(Text(m.Resource("DiagnosticReport", 0), "subject.reference"), first);
  EXPECT_NE(Text(m.Resource("DiagnosticReport", 1), "subject.reference"), first);
  EXPECT_EQ(Text(m.Resource("Observation", 3), "subject.reference"),
            Text(m.Resource("DiagnosticReport", 1), "subject.reference"));
}

TEST(MappingTest, MicrobiologyKeepsSubIdsAndSusceptibilityFlags) {
  Mapped m("oru_r01_microbiology.hl7");
  m.ExpectValid();
  EXPECT_EQ(Text(m.Resource("Observation", 0), "valueCodeableConcept.coding[0].code"), "112283007");
  EXPECT_EQ(Text(m.Resource("Observation", 1), "valueQuantity.code"), "{CFU}/mL");
  EXPECT_EQ(Text(m.Resource("Observation", 1), "referenceRange[0].high.value"), "1000");
  EXPECT_EQ(Text(m.Resource("Observation", 2), "identifier[0].value"), "VS240318-07/18864-9/1");
  EXPECT_EQ(Text(m.Resource("Observation", 2), "interpretation[0].coding[0].display"), "Resistant");
  EXPECT_EQ(Text(m.Resource("Observation", 2), "valueCodeableConcept.coding[0].system"),
            "http://terminology.hl7.org/CodeSystem/v2-0078");
  EXPECT_EQ(Text(m.Resource("DiagnosticReport"), "category[0].coding[0].display"), "Microbiology");
  EXPECT_EQ(Text(m.Resource("Encounter"), "identifier[0].value"), "V2024-0315-031");
  EXPECT_EQ(Text(m.Resource("Encounter"), "status"), "unknown");
}

TEST(MappingTest, CorrectionTargetsTheSameObservation) {
  Mapped first("oru_r01_chemistry.hl7");
  Mapped fix("oru_r01_corrected.hl7");
  fix.ExpectValid();
  // The same conditional target, so the applier updates the Observation: a new version.
  EXPECT_EQ(Text(fix.EntryOf("Observation"), "request.url"),
            Text(first.EntryOf("Observation", 2), "request.url"));
  EXPECT_EQ(Text(fix.EntryOf("Observation"), "request.method"), "PUT");
  EXPECT_EQ(Text(fix.EntryOf("DiagnosticReport"), "request.url"),
            Text(first.EntryOf("DiagnosticReport"), "request.url"));
  EXPECT_EQ(Text(fix.Resource("Observation"), "status"), "corrected");
  EXPECT_EQ(Text(fix.Resource("DiagnosticReport"), "status"), "corrected");
  EXPECT_NE(fix.mapped().message_key, first.mapped().message_key);
}

TEST(MappingTest, UnknownPatientIsProvisionalWithTheirNationalId) {
  Mapped m("oru_r01_unknown_patient.hl7");
  m.ExpectValid();
  const fhir::JsonValue& p = m.Resource("Patient");
  EXPECT_EQ(Text(p, "identifier[0].system"), "https://fhir.healthbook.vn/sid/cccd");
  EXPECT_EQ(Text(p, "active"), "true");
  EXPECT_EQ(Text(p, "meta.tag[0].code"), "provisional");
  EXPECT_EQ(Text(m.Resource("Observation", 0), "interpretation[0].coding[0].code"), "A");
  EXPECT_EQ(Text(m.Resource("Observation", 1), "valueQuantity.code"), "/uL");
}

TEST(MappingTest, SpecimenIsLinkedFromResultsAndReport) {
  Mapped m("oru_r01_specimen.hl7");
  m.ExpectValid();
  const fhir::JsonValue& sp = m.Resource("Specimen");
  EXPECT_EQ(Text(sp, "identifier[0].system"), SpecimenSystem("11001"));
  EXPECT_EQ(Text(sp, "identifier[0].value"), "240315-0190-1");  // the laboratory's number
  EXPECT_EQ(Text(sp, "type.coding[0].system"), "http://terminology.hl7.org/CodeSystem/v2-0487");
  EXPECT_EQ(Text(sp, "type.coding[0].code"), "SER");
  EXPECT_EQ(Text(sp, "status"), "available");
  EXPECT_EQ(Text(sp, "request[0].reference"), m.FullUrl("ServiceRequest"));
  EXPECT_EQ(Text(sp, "collection.collectedDateTime"), "2024-03-15T07:15:00+07:00");
  EXPECT_EQ(Text(sp, "collection.quantity.value"), "2");
  EXPECT_EQ(Text(sp, "collection.quantity.unit"), "mL");
  EXPECT_EQ(Text(sp, "collection.bodySite.coding[0].code"), "LACF");
  EXPECT_EQ(Text(sp, "receivedTime"), "2024-03-15T07:20:10+07:00");
  EXPECT_EQ(Text(sp, "condition[0].coding[0].code"), "HEM");
  EXPECT_EQ(Text(sp, "note[0].text"), "Mẫu hơi tan huyết");
  EXPECT_EQ(Text(m.Resource("Observation"), "specimen.reference"), m.FullUrl("Specimen"));
  EXPECT_EQ(Text(m.Resource("DiagnosticReport"), "specimen[0].reference"), m.FullUrl("Specimen"));
  EXPECT_EQ(Text(m.EntryOf("Specimen"), "request.url"),
            "Specimen/" + StableId(SpecimenSystem("11001"), "240315-0190-1"));
}

}  // namespace
}  // namespace hb::lis
