#include "imaging/worklist.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "common/hash.h"
#include "fhir/vn_systems.h"
#include "imaging/imaging_systems.h"
#include "imaging/worklist_file.h"

namespace hb::imaging {
namespace {

std::string Order(std::string_view status) {
  return R"({"resourceType":"ServiceRequest","id":"sr-1","status":")" + std::string(status) +
         R"(","intent":"order",
    "category":[{"coding":[{"system":"http://snomed.info/sct","code":"363679005"}]}],
    "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203",
      "code":"ACSN"}]},"system":")" +
         AccessionSystem() + R"(","value":"ACC7"}],
    "code":{"coding":[{"system":"http://dicom.nema.org/resources/ontology/DCM","code":"CT"}],
      "text":"CT ngực không cản quang"},
    "occurrenceDateTime":"2024-05-01T08:30:00+07:00",
    "requester":{"display":"BS. Lò Văn Minh"},
    "subject":{"reference":"Patient/p1"}})";
}

std::string PatientJson() {
  return R"({"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1990-03-04",
    "identifier":[{"system":"https://x/mrn/11001","value":"MRN9"},
                  {"system":")" +
         fhir::vn::Systems().cccd + R"(","value":"011190001234"}],
    "name":[{"family":"Lò","given":["Thị","Hoa"]}]})";
}

TEST(Worklist, QualifyingOrders) {
  EXPECT_TRUE(IsImagingOrder(Order("active")));
  EXPECT_TRUE(IsOnWorklist(Order("active")));
  EXPECT_FALSE(IsOnWorklist(Order("completed")));
  EXPECT_FALSE(IsImagingOrder(R"({"resourceType":"ServiceRequest","status":"active"})"));
}

TEST(Worklist, MapsOrderAndPatient) {
  auto e = WorklistFromOrder(Order("active"), PatientJson(), "CT01");
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->accession, "ACC7");
  EXPECT_EQ(e->patient_id, "011190001234");  // CCCD before MRN
  EXPECT_EQ(e->patient_name, "Lò^Thị Hoa");
  EXPECT_EQ(e->birth_date, "19900304");
  EXPECT_EQ(e->sex, "F");
  EXPECT_EQ(e->modality, "CT");
  EXPECT_EQ(e->start_date, "20240501");
  EXPECT_EQ(e->start_time, "083000");
  EXPECT_EQ(e->description, "CT ngực không cản quang");
  EXPECT_EQ(e->referring, "BS. Lò Văn Minh");
  EXPECT_EQ(e->study_uid, DerivedUid("ServiceRequest/sr-1"));
  EXPECT_EQ(WorklistFileName("sr-1"), "sr-1.wl");
}

TEST(Worklist, DerivedUidsAreStableValidAndDistinct) {
  std::string a = DerivedUid("ServiceRequest/a"), b = DerivedUid("ServiceRequest/b");
  EXPECT_EQ(a, DerivedUid("ServiceRequest/a"));
  EXPECT_NE(a, b);
  EXPECT_LE(a.size(), 64u);
  EXPECT_EQ(a.rfind("2.25.", 0), 0u);
  EXPECT_NE(a[5], '0');
}

// Regression: the first 64 bits used the offset basis 1469598103934665603 (a digit missing)
// instead of FNV-1a's 14695981039346656037.
TEST(Worklist, DerivedUidHighHalfIsFnv1a64) {
  const std::string seed = "ServiceRequest/sr-1";
  const std::string uid = DerivedUid(seed);
  unsigned __int128 v = 0;
  for (char c : uid.substr(5)) v = v * 10 + static_cast<unsigned>(c - '0');
  EXPECT_EQ(static_cast<uint64_t>(v >> 64), Fnv1a64(seed));
}

TEST(Worklist, KeepsTheUidOfAnEntryAlreadyMade) {
  auto kept = WorklistFromOrder(Order("active"), PatientJson(), "CT01", "2.25.1234");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->study_uid, "2.25.1234");
  // A UID the order itself carries comes first.
  std::string order = Order("active");
  order.insert(order.find("\"identifier\":[") + 14,
               R"({"system":"urn:dicom:uid","value":"urn:oid:1.2.3.4"},)");
  auto own = WorklistFromOrder(order, PatientJson(), "CT01", "2.25.1234");
  ASSERT_TRUE(own.ok()) << own.status().message();
  EXPECT_EQ(own->study_uid, "1.2.3.4");
}

TEST(WorklistFile, ReadsBackTheStudyUidOfAWrittenEntry) {
  std::string dir = ::testing::TempDir() + "/hb-wl-uid-test";
  EXPECT_EQ(ReadWorklistStudyUid("sr-1", dir), "");  // no entry yet
  auto e = WorklistFromOrder(Order("active"), PatientJson(), "CT01", "2.25.987654321");
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(WriteWorklistFile(*e, dir).ok());
  EXPECT_EQ(ReadWorklistStudyUid("sr-1", dir), "2.25.987654321");
  // Rewritten from the order with what was read back: the same UID.
  auto again =
      WorklistFromOrder(Order("active"), PatientJson(), "CT01", ReadWorklistStudyUid("sr-1", dir));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->study_uid, "2.25.987654321");
  std::filesystem::remove_all(dir);
}

TEST(WorklistFile, WritesAReadableDicomFileAndRemovesIt) {
  auto e = WorklistFromOrder(Order("active"), PatientJson(), "CT01");
  ASSERT_TRUE(e.ok());
  std::string dir = ::testing::TempDir() + "/hb-wl-test";
  ASSERT_TRUE(WriteWorklistFile(*e, dir).ok());
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile((dir + "/sr-1.wl").c_str()).good());
  OFString v;
  ASSERT_TRUE(f.getDataset()->findAndGetOFString(DCM_AccessionNumber, v).good());
  EXPECT_EQ(std::string(v.c_str()), "ACC7");
  ASSERT_TRUE(
      f.getDataset()->findAndGetOFString(DCM_Modality, v, 0, /*searchIntoSub=*/true).good());
  EXPECT_EQ(std::string(v.c_str()), "CT");
  EXPECT_TRUE(RemoveWorklistFile("sr-1", dir).ok());
  EXPECT_FALSE(std::filesystem::exists(dir + "/sr-1.wl"));
  EXPECT_TRUE(RemoveWorklistFile("sr-1", dir).ok());  // twice is fine
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hb::imaging
