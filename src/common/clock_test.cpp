#include "common/clock.h"

#include <gtest/gtest.h>

namespace hb {
namespace {

TEST(Clock, FormatsInstantInUtcWithMillis) {
  EXPECT_EQ(FormatInstant(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatInstant(1764090738123456), "2025-11-25T17:12:18.123Z");
}

TEST(Clock, FormatsHttpDates) {
  EXPECT_EQ(FormatHttpDate(1764090738123456), "Tue, 25 Nov 2025 17:12:18 GMT");
}

TEST(Clock, ParsesPartialDatesAsTheirStart) {
  EXPECT_EQ(ParseFhirDateTime("1970"), 0);
  EXPECT_EQ(ParseFhirDateTime("1970-01-02"), int64_t{86400} * 1000000);
  EXPECT_EQ(ParseFhirDateTime("2025-11-25T17:12:18.123Z"), 1764090738123000);
  EXPECT_EQ(ParseFhirDateTime("1970-01-01T07:00:00+07:00"), 0);
}

TEST(Clock, WritesAndBoundsUtcOffsets) {
  EXPECT_EQ(UtcOffsetText(420), "+07:00");
  EXPECT_EQ(UtcOffsetText(-570), "-09:30");
  EXPECT_EQ(UtcOffsetText(0), "+00:00");
  EXPECT_TRUE(IsValidUtcOffset(420));
  EXPECT_TRUE(IsValidUtcOffset(-14 * 60));
  EXPECT_FALSE(IsValidUtcOffset(15 * 60));
}

TEST(Clock, RejectsMalformed) {
  EXPECT_FALSE(ParseFhirDateTime("").has_value());
  EXPECT_FALSE(ParseFhirDateTime("1970-13").has_value());
  EXPECT_FALSE(ParseFhirDateTime("1970-01-01T10:00").has_value());  // no zone
  EXPECT_FALSE(ParseFhirDateTime("1970-01-01T10:00:00").has_value());
  EXPECT_FALSE(ParseFhirDateTime("1970-01-01X").has_value());
}

}  // namespace
}  // namespace hb
