// HL7 v2 -> FHIR transaction Bundle, on the fixtures in tests/fixtures/hl7: what each field
// becomes, that every resource is valid R4, and that the Bundle is deterministic.
#include "lis/mapping.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fhir/validator.h"
#include "lis/lis_systems.h"
#include "lis/parser.h"

namespace hb::lis {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const LocalCodeMap& Codes() {
  static const LocalCodeMap map = *LocalCodeMap::FromCsv(Read(HB_LIS_LOCAL_LOINC_CSV));
  return map;
}

MappingOptions Options() {
  MappingOptions o;
  o.facility = "11001";
  o.facility_org = "org-bvdk";
  o.local_codes = &Codes();
  o.authorities = {{"TTYT_TUANGIAO", "11012"}};
  o.received_micros = 1710471000000000;  // 2024-03-15T02:50:00Z
  return o;
}

// "a.b[2].c" inside a JSON value; nullptr when absent.
const fhir::JsonValue* At(const fhir::JsonValue& root, std::string_view path) {
  const fhir::JsonValue* v = &root;
  while (!path.empty() && v != nullptr) {
    size_t end = path.find_first_of(".[");
    std::string_view name = path.substr(0, end);
    if (!name.empty()) v = fhir::Member(*v, name);
    path = end == std::string_view::npos ? std::string_view() : path.substr(end);
    if (!path.empty() && path.front() == '[') {
      size_t close = path.find(']');
      size_t i = std::stoul(std::string(path.substr(1, close - 1)));
      v = (v && v->IsArray() && i < v->Size()) ? &(*v)[static_cast<rapidjson::SizeType>(i)]
                                               : nullptr;
      path.remove_prefix(close + 1);
    }
    if (!path.empty() && path.front() == '.') path.remove_prefix(1);
  }
  return v;
}

std::string Text(const fhir::JsonValue& root, std::string_view path) {
  const fhir::JsonValue* v = At(root, path);
  if (v == nullptr) return "<absent>";
  if (fhir::IsNumber(*v)) return std::string(fhir::NumberText(*v));
  if (v->IsString()) return std::string(fhir::StringView(*v));
  if (v->IsBool()) return v->GetBool() ? "true" : "false";
  return fhir::Serialize(*v);
}

class Mapped {
 public:
  explicit Mapped(const std::string& fixture, MappingOptions options = Options()) {
    raw_ = Read(fs::path(HB_HL7_FIXTURES_DIR) / fixture);
    auto msg = ParseMessage(raw_);
    EXPECT_TRUE(msg.ok()) << msg.status().ToString();
    message_ = *msg;
    MapOutcome out = MapMessage(message_, raw_, options);
    for (const AckError& e : out.errors) ADD_FAILURE() << fixture << ": " << e.user_message;
    if (out.mapped) m_ = std::move(*out.mapped);
  }
  const fhir::JsonValue& bundle() const { return m_.bundle; }
  const MappedMessage& mapped() const { return m_; }
  size_t size() const { return At(m_.bundle, "entry")->Size(); }
  const fhir::JsonValue& entry(size_t i) const {
    return (*At(m_.bundle, "entry"))[static_cast<rapidjson::SizeType>(i)];
  }
  // The n-th resource of a type (0-based).
  const fhir::JsonValue& Resource(std::string_view type, int n = 0) const {
    for (size_t i = 0; i < size(); ++i) {
      const fhir::JsonValue& r = *At(entry(i), "resource");
      if (fhir::MemberString(r, "resourceType") == type && n-- == 0) return r;
    }
    static const fhir::JsonValue kNull;
    ADD_FAILURE() << "no " << type;
    return kNull;
  }
  std::string FullUrl(std::string_view type, int n = 0) const {
    for (size_t i = 0; i < size(); ++i) {
      const fhir::JsonValue& r = *At(entry(i), "resource");
      if (fhir::MemberString(r, "resourceType") == type && n-- == 0)
        return Text(entry(i), "fullUrl");
    }
    return "<absent>";
  }
  // The Bundle entry whose resource is the n-th of `type`.
  const fhir::JsonValue& EntryOf(std::string_view type, int n = 0) const {
    for (size_t i = 0; i < size(); ++i) {
      const fhir::JsonValue& r = *At(entry(i), "resource");
      if (fhir::MemberString(r, "resourceType") == type && n-- == 0) return entry(i);
    }
    static const fhir::JsonValue kNull;
    return kNull;
  }
  int Count(std::string_view type) const {
    int n = 0;
    for (size_t i = 0; i < size(); ++i) {
      n += fhir::MemberString(*At(entry(i), "resource"), "resourceType") == type;
    }
    return n;
  }
  // Every resource is valid FHIR R4.
  void ExpectValid() const {
    for (size_t i = 0; i < size(); ++i) {
      fhir::JsonDoc copy;
      copy.CopyFrom(*At(entry(i), "resource"), copy.GetAllocator());
      fhir::ResourceFacts facts;
      Status st = fhir::ValidateResource(copy, &facts);
      EXPECT_TRUE(st.ok()) << "entry " << i << ": " << st.ToString() << "\n"
                           << fhir::Serialize(copy);
    }
  }

 private:
  std::string raw_;
  Message message_;
  MappedMessage m_;
};

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

TEST(MappingTest, AdmissionRegistersPatientAndVisitAsMergingUpdates) {
  Mapped m("adt_a01_cccd.hl7");
  m.ExpectValid();
  ASSERT_EQ(m.size(), 3u);  // Patient, Encounter, DocumentReference
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
