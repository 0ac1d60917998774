#include "reception/repoint.h"

#include <gtest/gtest.h>

#include "reception/merge_record.h"

namespace hb::reception {
namespace {

struct Parsed {
  fhir::JsonDoc doc;
  fhir::ResourceFacts facts;
};

std::unique_ptr<Parsed> Parse(std::string_view json) {
  auto p = std::make_unique<Parsed>();
  p->doc = std::move(fhir::ParseJson(json)).value();
  EXPECT_TRUE(fhir::ValidateResource(p->doc, &p->facts).ok());
  return p;
}

TEST(RepointTest, RecognisesEveryFormOfAReference) {
  EXPECT_TRUE(RefersToPatient("Patient/a", "a"));
  EXPECT_TRUE(RefersToPatient("Patient/a/_history/3", "a"));
  EXPECT_TRUE(RefersToPatient("https://x.vn/fhir/Patient/a", "a"));
  EXPECT_FALSE(RefersToPatient("Patient/ab", "a"));
  EXPECT_FALSE(RefersToPatient("RelatedPatient/a", "a"));
  EXPECT_FALSE(RefersToPatient("Group/a", "a"));
}

TEST(RepointTest, RepointsAndRestoresExactly) {
  const std::string original =
      R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
      R"("subject":{"reference":"Patient/src/_history/2"},)"
      R"("performer":[{"reference":"Practitioner/d"},)"
      R"({"reference":"https://x.vn/fhir/Patient/src"}]})";
  auto p = Parse(original);
  auto sites = Repoint(p->facts, p->doc.GetAllocator(), "src", "tgt");
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].location, "Observation.subject.reference");
  EXPECT_EQ(sites[0].original, "Patient/src/_history/2");
  std::string moved = fhir::Serialize(p->doc);
  EXPECT_NE(moved.find(R"("subject":{"reference":"Patient/tgt"})"), std::string::npos);
  EXPECT_NE(moved.find(R"("https://x.vn/fhir/Patient/tgt")"), std::string::npos);
  auto q = Parse(moved);
  EXPECT_TRUE(Restore(q->facts, q->doc.GetAllocator(), "tgt", sites).empty());
  EXPECT_EQ(fhir::Serialize(q->doc), fhir::Serialize(*fhir::ParseJson(original)));
}

TEST(RepointTest, RestoreLeavesWhatChangedSince) {
  auto p = Parse(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
                 R"("subject":{"reference":"Patient/other"}})");
  std::vector<RepointedSite> sites{{"Observation.subject.reference", "Patient/src"}};
  auto left = Restore(p->facts, p->doc.GetAllocator(), "tgt", sites);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(fhir::Serialize(p->doc).find("Patient/other"), std::string::npos);
}

TEST(RepointTest, PatientLinksRoundTrip) {
  const std::string src = R"({"resourceType":"Patient","id":"src","active":true})";
  std::optional<bool> active;
  auto retired = RetireSource(src, "tgt", &active);
  ASSERT_TRUE(retired.ok());
  EXPECT_EQ(active, true);
  EXPECT_EQ(*retired, R"({"resourceType":"Patient","id":"src","active":false,"link":[)"
                      R"({"other":{"reference":"Patient/tgt"},"type":"replaced-by"}]})");
  auto back = Unlink(*retired, "tgt", "replaced-by", true, active);
  EXPECT_EQ(*back, src);
  const std::string bare = R"({"resourceType":"Patient","id":"src"})";
  auto r2 = RetireSource(bare, "tgt", &active);
  EXPECT_FALSE(active.has_value());
  EXPECT_EQ(*Unlink(*r2, "tgt", "replaced-by", true, active), bare);
  auto linked = LinkTarget(R"({"resourceType":"Patient","id":"tgt"})", "src");
  EXPECT_EQ(*Unlink(*linked, "src", "replaces", false, {}),
            R"({"resourceType":"Patient","id":"tgt"})");
}

TEST(MergeRecordTest, ProvenanceRoundTrip) {
  MergeRecord r;
  r.source_id = "src";
  r.target_id = "tgt";
  r.source_version = 3;
  r.target_version = 5;
  r.source_active = true;
  r.changes.push_back({"Observation", "o1", 2, {{"Observation.subject.reference", "Patient/src"}}});
  std::string json = MergeProvenanceJson(r, "merge", "", {"Practitioner/d", "user:x"}, 0);
  auto doc = fhir::ParseJson(json);
  fhir::ResourceFacts facts;
  ASSERT_TRUE(fhir::ValidateResource(*doc, &facts).ok()) << json;
  EXPECT_EQ(ProvenanceActivity(json), "merge");
  auto back = ParseMergeProvenance(json);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->source_id, "src");
  EXPECT_EQ(back->target_version, 5);
  EXPECT_EQ(back->source_active, true);
  ASSERT_EQ(back->changes.size(), 1u);
  EXPECT_EQ(back->changes[0].version, 2);
  EXPECT_EQ(back->changes[0].sites[0].original, "Patient/src");
  std::string undo = MergeProvenanceJson(r, "unmerge", "m1", {"", "operator"}, 0);
  EXPECT_EQ(ProvenanceActivity(undo), "unmerge");
  EXPECT_EQ(ParseMergeProvenance(undo).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace hb::reception
