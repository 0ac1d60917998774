#include "auth/scopes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/test_mutator.h"

namespace hb::auth {
namespace {

using ::testing::HasSubstr;

TEST(ScopeTest, ParsesValidScopes) {
  struct Case {
    const char* scope;
    const char* canonical;  // ScopeSet::ToString()
  } cases[] = {
      {"", ""},
      {"patient/Observation.rs", "patient/Observation.rs"},
      {"user/*.cruds", "user/*.cruds"},
      {"system/Patient.read", "system/Patient.rs"},  // v1 read = rs
      {"patient/*.write", "patient/*.cud"},          // v1 write = cud
      {"user/Encounter.*", "user/Encounter.cruds"},  // v1 * = cruds
      {"patient/Observation.c patient/Observation.d",
       "patient/Observation.c patient/Observation.d"},
      {"patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/"
       "observation-category|laboratory",
       "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/"
       "observation-category|laboratory"},
      {"user/Observation.rs?category=vital-signs&code:in=http://x/vs",
       "user/Observation.rs?category=vital-signs&code:in=http://x/vs"},
      {"launch/patient patient/Observation.read openid fhirUser offline_access",
       "openid fhirUser launch/patient offline_access patient/Observation.rs"},
      {"  openid   profile  launch launch/encounter online_access ",
       "openid profile launch launch/encounter online_access"},
      {"patient/Observation.rs patient/Observation.read", "patient/Observation.rs"},  // same grant
      {"email custom:thing openid email", "openid email custom:thing"},
      {"patients/Observation.rs", "patients/Observation.rs"},  // not a context: another token
  };
  for (const Case& c : cases) {
    Result<ScopeSet> set = ParseScopes(c.scope);
    ASSERT_TRUE(set.ok()) << c.scope << ": " << set.status().ToString();
    EXPECT_EQ(set->ToString(), c.canonical) << c.scope;
  }
}

TEST(ScopeTest, ExposesGrantsAndFlags) {
  ScopeSet set =
      ParseScopes("openid fhirUser launch/patient patient/Observation.rs?category=laboratory")
          .value();
  EXPECT_TRUE(set.openid);
  EXPECT_TRUE(set.fhir_user);
  EXPECT_TRUE(set.launch_patient);
  EXPECT_FALSE(set.offline_access);
  ASSERT_EQ(set.grants.size(), 1u);
  const ResourceGrant& g = set.grants[0];
  EXPECT_EQ(g.context, ScopeContext::kPatient);
  EXPECT_EQ(g.resource_type, "Observation");
  EXPECT_EQ(g.permissions, kPermRead | kPermSearch);
  ASSERT_EQ(g.query.size(), 1u);
  EXPECT_EQ(g.query[0].first, "category");
  EXPECT_EQ(g.query[0].second, "laboratory");
}

TEST(ScopeTest, RejectsMalformedScopes) {
  struct Case {
    std::string scope;
    const char* error;
  } cases[] = {
      {"patient/Observation", "expected <type>.<permissions>"},
      {"patient/Observation.", "permissions must be"},
      {"patient/Observation.sr", "permissions must be"},  // out of order
      {"patient/Observation.rr", "permissions must be"},  // repeated
      {"patient/Observation.x", "permissions must be"},
      {"patient/Observation.reads", "permissions must be"},
      {"patient/observation.rs", "is not a resource type"},
      {"patient/.rs", "is not a resource type"},
      {"patient/Obs.ervation.rs", "expected <type>.<permissions>"},
      {"system/*.c.r", "expected <type>.<permissions>"},
      {"patient/", "expected <type>.<permissions>"},
      {"patient/Observation.rs?", "empty query"},
      {"patient/Observation.rs?category", "param=value"},
      {"patient/Observation.rs?category=", "param=value"},
      {"patient/Observation.rs?=x", "param=value"},
      {"patient/Observation.rs?a=b&", "param=value"},
      {"patient/Observation.read?category=x", "need v2 permissions"},
      {"openid patient/Observation.rs\"", "not allowed in a scope"},
      {"openid\tprofile", "not allowed in a scope"},
      {"user/Patient.rs\\", "not allowed in a scope"},
      {std::string(9000, 'a'), "longer than 8192"},
  };
  for (const Case& c : cases) {
    Result<ScopeSet> set = ParseScopes(c.scope);
    ASSERT_FALSE(set.ok()) << c.scope;
    EXPECT_EQ(set.status().code(), ErrorCode::kInvalidScope) << c.scope;
    EXPECT_THAT(set.status().message(), HasSubstr(c.error)) << c.scope;
  }
  std::string many;
  for (int i = 0; i < 300; ++i) many.append("s").append(std::to_string(i)).append(" ");
  EXPECT_THAT(ParseScopes(many).status().message(), HasSubstr("more than 256"));
  // The message names the bad token.
  EXPECT_THAT(ParseScopes("openid user/Patient.rx").status().message(),
              HasSubstr("'user/Patient.rx'"));
}

TEST(ScopeTest, MatchingTable) {
  ScopeSet set = ParseScopes(
                     "patient/Observation.rs user/Patient.cruds system/*.r "
                     "patient/Condition.rs?category=problem-list-item")
                     .value();
  struct Case {
    const char* context;
    const char* type;
    Interaction interaction;
    bool allowed;
  } cases[] = {
      {"patient", "Observation", Interaction::kRead, true},
      {"patient", "Observation", Interaction::kSearch, true},
      {"patient", "Observation", Interaction::kCreate, false},
      {"patient", "Observation", Interaction::kUpdate, false},
      {"user", "Observation", Interaction::kRead, false},
      {"", "Observation", Interaction::kRead, true},
      {"*", "Observation", Interaction::kSearch, true},
      {"user", "Patient", Interaction::kDelete, true},
      {"user", "Patient", Interaction::kCreate, true},
      {"patient", "Patient", Interaction::kRead, false},
      {"system", "Encounter", Interaction::kRead, true},
      {"system", "Encounter", Interaction::kSearch, false},
      {"patient", "Condition", Interaction::kRead, false},  // restricted: see GrantsFor
      {"patient", "Encounter", Interaction::kRead, false},
      {"bogus", "Observation", Interaction::kRead, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Allows(set, c.context, c.type, c.interaction), c.allowed)
        << c.context << " " << c.type << " " << int(c.interaction);
  }
  std::vector<const ResourceGrant*> grants =
      GrantsFor(set, "patient", "Condition", Interaction::kSearch);
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0]->query[0].second, "problem-list-item");
  EXPECT_TRUE(GrantsFor(set, "patient", "Condition", Interaction::kCreate).empty());
  EXPECT_EQ(GrantsFor(set, "", "Observation", Interaction::kRead).size(), 2u);  // + system/*.r
}

// Seeded mutations of a scope string (a stand-in for a fuzzer): every result is
// either an InvalidScope error or a set whose canonical form parses to itself.
TEST(ScopeTest, MutatedScopesParseOrFailCleanly) {
  const std::string base =
      "openid fhirUser launch/patient patient/Observation.rs?category=laboratory&code=x "
      "user/*.cruds system/Patient.read";
  TestMutator mutator(6749, "/.?&=* rcudsx*A\x01");
  for (int i = 0; i < 5000; ++i) {
    std::string m = mutator.Mutate(base);
    Result<ScopeSet> set = ParseScopes(m);
    if (!set.ok()) {
      EXPECT_EQ(set.status().code(), ErrorCode::kInvalidScope);
      continue;
    }
    Result<ScopeSet> again = ParseScopes(set->ToString());
    ASSERT_TRUE(again.ok()) << m << " -> " << set->ToString();
    EXPECT_EQ(again->ToString(), set->ToString());
  }
}

TEST(ScopeTest, MapsFhirInteractions) {
  EXPECT_EQ(InteractionFor("read"), Interaction::kRead);
  EXPECT_EQ(InteractionFor("vread"), Interaction::kRead);
  EXPECT_EQ(InteractionFor("history-instance"), Interaction::kRead);
  EXPECT_EQ(InteractionFor("history-type"), Interaction::kRead);
  EXPECT_EQ(InteractionFor("search-type"), Interaction::kSearch);
  EXPECT_EQ(InteractionFor("create"), Interaction::kCreate);
  EXPECT_EQ(InteractionFor("update"), Interaction::kUpdate);
  EXPECT_EQ(InteractionFor("patch"), Interaction::kUpdate);
  EXPECT_EQ(InteractionFor("delete"), Interaction::kDelete);
  EXPECT_EQ(InteractionFor("capabilities"), std::nullopt);
  EXPECT_EQ(InteractionFor("transaction"), std::nullopt);
}

TEST(ScopeTest, IntersectGrantsOnlyWhatIsAllowed) {
  struct Case {
    const char* requested;
    const char* allowed;
    const char* granted;
  } cases[] = {
      {"openid fhirUser patient/*.read patient/Observation.write offline_access",
       "openid fhirUser user/Observation.cruds user/Patient.rs",
       "openid fhirUser patient/Observation.rs patient/Patient.rs patient/Observation.cud"},
      {"system/*.rs", "user/*.cruds", ""},         // system needs system grants
      {"user/Patient.rs", "patient/*.cruds", ""},  // patient does not cover user
      {"user/*.cruds", "user/Patient.r user/Observation.s", "user/Patient.r user/Observation.s"},
      {"patient/Observation.rs", "patient/Observation.rs?category=laboratory",
       "patient/Observation.rs?category=laboratory"},
      {"patient/Observation.rs?code=x", "patient/Observation.r?category=lab",
       "patient/Observation.r?code=x&category=lab"},
      {"launch/patient custom", "openid custom", "custom"},
      {"", "user/*.cruds", ""},
  };
  for (const Case& c : cases) {
    ScopeSet got = Intersect(ParseScopes(c.requested).value(), ParseScopes(c.allowed).value());
    EXPECT_EQ(got.ToString(), c.granted) << c.requested << " / " << c.allowed;
  }
}

}  // namespace
}  // namespace hb::auth
