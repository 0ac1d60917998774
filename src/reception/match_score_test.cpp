#include "reception/match_score.h"

#include <gtest/gtest.h>

#include "fhir/json.h"
#include "fhir/vn_systems.h"

namespace hb::reception {
namespace {

PatientFeatures Person(std::string_view name, std::string_view birth, std::string_view gender) {
  PatientFeatures f;
  SetNameFromText(name, &f);
  f.birth = ParseBirthDate(birth);
  f.gender = std::string(gender);
  return f;
}

TEST(MatchScoreTest, SharedIdentifierIsCertain) {
  PatientFeatures q = Person("Lò Văn A", "1990-03-15", "male");
  PatientFeatures c = Person("Lo Van Anh", "1991-01-01", "male");
  q.cccd = c.cccd = {"011090123456"};
  MatchScore s = ScoreMatch(q, c);
  EXPECT_EQ(s.grade, MatchGrade::kCertain);
  EXPECT_EQ(s.score, 1.0);
  EXPECT_EQ(s.reasons.front(), "cccd equal");
  // The old CMND, the insurance card and the BHXH number decide as well.
  for (auto field : {&PatientFeatures::cmnd, &PatientFeatures::bhyt, &PatientFeatures::bhxh}) {
    PatientFeatures a = Person("A", "", ""), b = Person("B", "", "");
    a.*field = b.*field = {"X123"};
    EXPECT_EQ(ScoreMatch(a, b).grade, MatchGrade::kCertain);
  }
  // A 12-digit CMND became the CCCD number.
  PatientFeatures a = Person("A", "", ""), b = Person("A", "", "");
  a.cmnd = {"011090123456"};
  b.cccd = {"011090123456"};
  EXPECT_EQ(ScoreMatch(a, b).grade, MatchGrade::kCertain);
}

TEST(MatchScoreTest, DifferentCccdIsCertainlyNotWhateverElseAgrees) {
  PatientFeatures q = Person("Lò Văn A", "1990-03-15", "male");
  PatientFeatures c = q;
  q.cccd = {"011090123456"};
  c.cccd = {"011090654321"};
  c.phones = q.phones = {"0912345678"};
  MatchScore s = ScoreMatch(q, c);
  EXPECT_EQ(s.grade, MatchGrade::kCertainlyNot);
  EXPECT_EQ(s.score, 0.0);
  EXPECT_GE(s.weight, kWeights.probable_at);  // the demographics alone would have agreed
  // Another identifier agreeing despite different CCCDs: a person must look.
  c.bhyt = q.bhyt = {"DN4110123456789"};
  EXPECT_EQ(ScoreMatch(q, c).grade, MatchGrade::kProbable);
}

TEST(MatchScoreTest, DemographicWeights) {
  const PatientFeatures q = Person("LÒ VĂN A", "1990-03-15", "male");
  struct Case {
    const char* name;
    const char* birth;
    const char* gender;
    double weight;
    MatchGrade grade;
  } cases[] = {
      {"Lò Văn A", "1990-03-15", "male", 8 + 7 + 1, MatchGrade::kProbable},
      {"Lo Van A", "1990-03-15", "", 8 + 7, MatchGrade::kProbable},          // unaccented
      {"Văn A Lò", "1990-03-15", "male", 7 + 7 + 1, MatchGrade::kProbable},  // reordered
      {"Lò A", "1990-03-15", "male", 6 + 7 + 1, MatchGrade::kProbable},      // no middle name
      {"Lo Vam A", "1990-03-15", "male", 5 + 7 + 1, MatchGrade::kPossible},  // a typo
      {"Lò Văn A", "1990-03-16", "male", 8 + 3 + 1, MatchGrade::kPossible},  // a day off
      {"Lò Văn A", "1990", "male", 8 + 3.5 + 1, MatchGrade::kPossible},      // year only
      {"Lò Văn A", "1991-03-15", "male", 8 + 3 + 1, MatchGrade::kPossible},  // year typo
      {"Lò Văn A", "1990-03-15", "female", 8 + 7 - 4, MatchGrade::kPossible},
      {"Quàng Thị B", "1990-03-15", "male", -4 + 7 + 1, MatchGrade::kNone},
      {"Lò Văn A", "1975-06-01", "male", 8 - 5 + 1, MatchGrade::kNone},
  };
  for (const auto& c : cases) {
    MatchScore s = ScoreMatch(q, Person(c.name, c.birth, c.gender));
    EXPECT_DOUBLE_EQ(s.weight, c.weight) << c.name << " " << c.birth;
    EXPECT_EQ(s.grade, c.grade) << c.name << " " << c.birth;
    EXPECT_LE(s.score, 0.99);
  }
}

TEST(MatchScoreTest, BirthDateSwappedAndPhoneAndCommune) {
  PatientFeatures q = Person("Lò Văn A", "1990-03-05", "male");
  PatientFeatures c = Person("Lò Văn A", "1990-05-03", "male");
  EXPECT_DOUBLE_EQ(ScoreMatch(q, c).weight, 8 + 4 + 1);
  q.phones = c.phones = {"0912345678"};
  q.commune = c.commune = "03127";
  MatchScore s = ScoreMatch(q, c);
  EXPECT_DOUBLE_EQ(s.weight, 8 + 4 + 1 + 5 + 2.5);
  EXPECT_EQ(s.grade, MatchGrade::kProbable);
  EXPECT_DOUBLE_EQ(s.score, 0.99);  // capped below an identifier's certainty
  c.commune = "03130";
  EXPECT_DOUBLE_EQ(ScoreMatch(q, c).weight, 8 + 4 + 1 + 5 - 0.5);
}

TEST(MatchScoreTest, EditDistanceCountsTranspositions) {
  EXPECT_EQ(EditDistance("lo van a", "lo van a", 2), 0);
  EXPECT_EQ(EditDistance("lo van a", "lo vna a", 2), 1);
  EXPECT_EQ(EditDistance("lo van a", "lo ven b", 2), 2);
  EXPECT_EQ(EditDistance("lo van a", "quang thi b", 2), 3);  // capped at limit + 1
}

TEST(MatchScoreTest, FeaturesFromAPatient) {
  const auto& sys = fhir::vn::Systems();
  std::string json = R"({"resourceType":"Patient","id":"p1","active":false,
    "identifier":[{"system":")" +
                     sys.cccd + R"(","value":"011090123456"},
                  {"system":")" +
                     sys.bhyt_card + R"(","value":"DN4110123456789"}],
    "name":[{"use":"nickname","text":"Anh Ba"},{"use":"official","family":"LÒ","given":["Văn A"]}],
    "telecom":[{"system":"phone","value":"+84 912 345 678"}],"gender":"male","birthDate":"1990-03",
    "address":[{"extension":[{"url":")" +
                     sys.ext_address_admin_units + R"(",
      "extension":[{"url":"commune","valueCoding":{"system":"x","code":"03127"}}]}]}],
    "link":[{"other":{"reference":"Patient/p2"},"type":"replaced-by"}]})";
  auto f = FeaturesOfJson(json);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->full_name, "lo van a");
  EXPECT_EQ(f->family, "lo");
  EXPECT_EQ(f->given, (std::vector<std::string>{"van", "a"}));
  EXPECT_EQ(f->bhxh, (std::vector<std::string>{"0123456789"}));
  EXPECT_EQ(f->phones, (std::vector<std::string>{"0912345678"}));
  EXPECT_EQ(f->commune, "03127");
  EXPECT_EQ(f->birth.ToIso(), "1990-03");
  EXPECT_FALSE(f->active);
  EXPECT_EQ(f->replaced_by, "p2");
}

}  // namespace
}  // namespace hb::reception
