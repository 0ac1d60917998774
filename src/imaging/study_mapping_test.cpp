#include "imaging/study_mapping.h"

#include <gtest/gtest.h>

#include "imaging/change_feed.h"
#include "imaging/cursor.h"
#include "imaging/imaging_systems.h"
#include "imaging/json_util.h"
#include "imaging/study_bundle.h"

namespace hb::imaging {
namespace {

// Shapes as Orthanc 1.10 answers GET /studies/{id} and GET /studies/{id}/series.
constexpr char kStudy[] = R"({
  "ID": "27f7126f-4f66f02b-9f2e6d5f-8e8c3e4a-6b7e8a9c", "IsStable": true, "Type": "Study",
  "MainDicomTags": {"AccessionNumber": "ACC-42 ", "StudyDate": "20040119",
    "StudyTime": "072730.123", "StudyDescription": "CT NGUC",
    "StudyInstanceUID": "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"},
  "PatientMainDicomTags": {"PatientID": "001090012345", "PatientName": "NGUYEN^VAN^AN",
    "PatientBirthDate": "19800502", "PatientSex": "M"},
  "Series": ["s1", "s2"]})";
constexpr char kSeries[] = R"([
  {"ID": "s2", "Instances": ["i3"], "MainDicomTags": {"Modality": "MR",
    "SeriesInstanceUID": "1.2.3.2", "SeriesNumber": "2", "SeriesDescription": "T1"}},
  {"ID": "s1", "Instances": ["i1", "i2"], "MainDicomTags": {"Modality": "CT",
    "SeriesInstanceUID": "1.2.3.1", "SeriesNumber": "1", "BodyPartExamined": "CHEST"}}])";

TEST(StudyMapping, MapsStudyPatientAndSeriesTags) {
  auto f = ParseStudy(kStudy, kSeries, "+07:00");
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->uid, "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322");
  EXPECT_EQ(f->accession, "ACC-42");  // DICOM padding trimmed
  EXPECT_EQ(f->started, "2004-01-19T07:27:30+07:00");
  EXPECT_EQ(f->patient_id, "001090012345");
  EXPECT_EQ(f->patient_family, "NGUYEN");
  EXPECT_EQ(f->patient_given, "VAN AN");
  EXPECT_EQ(f->patient_birth_date, "1980-05-02");
  EXPECT_EQ(f->patient_gender, "male");
  ASSERT_EQ(f->series.size(), 2u);
  EXPECT_EQ(f->series[0].uid, "1.2.3.1");  // sorted by series number
  EXPECT_EQ(f->series[0].body_part, "CHEST");
  EXPECT_EQ(f->instances, 3);
  EXPECT_EQ(f->modalities, (std::vector<std::string>{"CT", "MR"}));
}

TEST(StudyMapping, DicomDatesAndTimes) {
  EXPECT_EQ(DicomDateTime("20240501", "0830", "+07:00"), "2024-05-01T08:30:00+07:00");
  EXPECT_EQ(DicomDateTime("20240501", "08:30:15", "+07:00"), "2024-05-01T08:30:15+07:00");
  EXPECT_EQ(DicomDateTime("20240501", "", "+07:00"), "2024-05-01");
  EXPECT_EQ(DicomDateTime("2024050", "0830", "+07:00"), "");
  EXPECT_EQ(DicomDate("19800502"), "1980-05-02");
}

TEST(StudyMapping, RefusesAStudyWithoutUid) {
  auto f = ParseStudy(R"({"ID":"x","MainDicomTags":{}})", "[]", "+07:00");
  EXPECT_FALSE(f.ok());
  EXPECT_FALSE(ParseStudy("{", "[]", "+07:00").ok());
}

TEST(StudyBundle, KnownPatientGivesOneConditionalUpdate) {
  auto f = ParseStudy(kStudy, kSeries, "+07:00");
  ASSERT_TRUE(f.ok());
  PacsLinks pacs{"http://pacs.local:8042"};
  std::string bundle = StudyTransaction(*f, pacs, {"Patient/p1", "ServiceRequest/o1"});
  auto d = ParsePlainJson(bundle, "bundle");
  ASSERT_TRUE(d.ok());
  const auto& entries = (*d)["entry"];
  ASSERT_EQ(entries.Size(), 1u);
  const auto& is = entries[0]["resource"];
  EXPECT_EQ(GetString(entries[0]["request"], "url"),
            "ImagingStudy?identifier=urn%3Adicom%3Auid%7Curn%3Aoid%3A1.3.6.1.4.1.5962.1.2.1."
            "20040119072730.12322");
  EXPECT_EQ(GetString(is["identifier"][0], "value"),
            "urn:oid:1.3.6.1.4.1.5962.1.2.1.20040119072730.12322");
  EXPECT_EQ(GetString(is["subject"], "reference"), "Patient/p1");
  EXPECT_EQ(GetString(is["basedOn"][0], "reference"), "ServiceRequest/o1");
  EXPECT_EQ(GetString(is["endpoint"][0], "reference"), "Endpoint/orthanc-dicomweb");
  EXPECT_EQ(is["numberOfSeries"].GetInt(), 2);
  EXPECT_EQ(is["numberOfInstances"].GetInt(), 3);
  EXPECT_EQ(GetString(is["series"][0]["bodySite"], "code"), "CHEST");
  EXPECT_EQ(GetString(is["extension"][0], "valueUrl"),
            "http://pacs.local:8042/app/explorer.html#study?uuid="
            "27f7126f-4f66f02b-9f2e6d5f-8e8c3e4a-6b7e8a9c");
  auto ep = ParsePlainJson(EndpointJson(pacs), "endpoint");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(GetString(*ep, "address"), "http://pacs.local:8042/dicom-web");
}

TEST(StudyBundle, UnknownPatientBecomesProvisional) {
  auto f = ParseStudy(kStudy, kSeries, "+07:00");
  ASSERT_TRUE(f.ok());
  auto d = ParsePlainJson(StudyTransaction(*f, PacsLinks{"http://h"}, {}), "bundle");
  ASSERT_TRUE(d.ok());
  const auto& entries = (*d)["entry"];
  ASSERT_EQ(entries.Size(), 2u);
  const auto& p = entries[0]["resource"];
  EXPECT_EQ(GetString(p["meta"]["tag"][0], "code"), kProvisionalTag);
  EXPECT_EQ(GetString(p["meta"]["tag"][0], "system"), ReconciliationTagSystem());
  EXPECT_EQ(GetString(p["identifier"][0], "value"), "001090012345");
  EXPECT_FALSE(GetString(entries[0]["request"], "ifNoneExist").empty());
  EXPECT_EQ(GetString(entries[1]["resource"]["subject"], "reference"),
            GetString(entries[0], "fullUrl"));
  EXPECT_FALSE(entries[1]["resource"].HasMember("basedOn"));
}

TEST(ChangeFeed, ParsesPagesAndPicksStableStudies) {
  auto page = ParseChanges(R"({"Changes":[
    {"ChangeType":"NewInstance","ID":"i1","Seq":4},
    {"ChangeType":"StableStudy","ID":"st1","Seq":9},
    {"ChangeType":"StableStudy","ID":"st1","Seq":11}],"Done":false,"Last":11})");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->last, 11);
  EXPECT_FALSE(page->done);
  EXPECT_EQ(StableStudies(*page), std::vector<std::string>{"st1"});
  EXPECT_FALSE(ParseChanges(R"({"Changes":[]})").ok());  // no Last: never advance blindly
}

TEST(Cursor, RoundTrips) {
  auto seq = ParseCursor(CursorJson(1234567890123));
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(*seq, 1234567890123);
  EXPECT_FALSE(ParseCursor(R"({"resourceType":"Basic"})").ok());
}

}  // namespace
}  // namespace hb::imaging
