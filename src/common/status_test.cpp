#include "common/status.h"

#include <gtest/gtest.h>

#include "common/result.h"

namespace hb {
namespace {

TEST(Status, OkHasNoIssues) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kOk);
  EXPECT_TRUE(s.issues().empty());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(Status, CarriesCodeMessageAndLocation) {
  Status s(ErrorCode::kInvalidResource, "not a valid date", "Patient.birthDate");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.category(), ErrorCategory::kInvalid);
  EXPECT_EQ(s.ToString(), "InvalidResource: Patient.birthDate: not a valid date");
  EXPECT_EQ(FhirIssueType(s.code()), "structure");
}

TEST(Status, FromIssuesKeepsAll) {
  Status s = Status::FromIssues({{ErrorCode::kInvalidResource, "a", "X.a", false},
                                 {ErrorCode::kInvalidResource, "b", "X.b", false}});
  ASSERT_EQ(s.issues().size(), 2u);
  EXPECT_EQ(s.location(), "X.a");
  EXPECT_NE(s.ToString().find("and 1 more"), std::string::npos);
}

Result<int> Half(int x) {
  if (x % 2) return Status(ErrorCode::kInvalidArgument, "odd");
  return x / 2;
}

Status UseHalf(int x, int* out) {
  HB_ASSIGN_OR_RETURN(int h, Half(x));
  *out = h;
  return Status::Ok();
}

TEST(Result, PropagatesErrors) {
  int out = 0;
  EXPECT_TRUE(UseHalf(8, &out).ok());
  EXPECT_EQ(out, 4);
  Status s = UseHalf(3, &out);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "odd");
}

}  // namespace
}  // namespace hb
