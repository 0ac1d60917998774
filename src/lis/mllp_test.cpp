// MLLP framing: whole frames, arbitrary splits, junk, oversize and half frames.
#include "lis/mllp.h"

#include <gtest/gtest.h>

#include <vector>

namespace hb::lis {
namespace {

using Kind = MllpEvent::Kind;

std::vector<MllpEvent> Drain(MllpDecoder& d) {
  std::vector<MllpEvent> out;
  MllpEvent e;
  while (d.Next(&e)) out.push_back(e);
  return out;
}

const std::string kMsg1 = "MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5\rPID|1||BN1||Nguyễn^An\r";
const std::string kMsg2 = "MSH|^~\\&|A|B|C|D|20240101||ADT^A08|2|P|2.5\rPID|1||BN2\r";

TEST(MllpTest, Frame) {
  EXPECT_EQ(MllpFrame("MSH|x\r"), "\x0BMSH|x\r\x1C\r");
  EXPECT_EQ(MllpFrame(""), "\x0B\x1C\r");
}

TEST(MllpTest, WholeFramesInOneChunk) {
  MllpDecoder d;
  d.Feed(MllpFrame(kMsg1) + MllpFrame(kMsg2));
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::kMessage);
  EXPECT_EQ(events[0].payload, kMsg1);
  EXPECT_EQ(events[0].offset, 0u);
  EXPECT_EQ(events[0].size, kMsg1.size());
  EXPECT_TRUE(events[0].ToStatus().ok());
  EXPECT_EQ(events[1].payload, kMsg2);
  EXPECT_EQ(events[1].offset, kMsg1.size() + 3);
  EXPECT_FALSE(d.InFrame());
  d.Finish();
  EXPECT_TRUE(Drain(d).empty());
}

TEST(MllpTest, OneByteAtATime) {
  std::string stream = MllpFrame(kMsg1) + "\r\n" + MllpFrame(kMsg2);
  MllpDecoder d;
  std::vector<MllpEvent> events;
  for (char c : stream) {
    d.Feed(std::string_view(&c, 1));
    for (MllpEvent& e : Drain(d)) events.push_back(std::move(e));
  }
  d.Finish();
  for (MllpEvent& e : Drain(d)) events.push_back(std::move(e));
  ASSERT_EQ(events.size(), 2u) << "whitespace between frames is not junk";
  EXPECT_EQ(events[0].payload, kMsg1);
  EXPECT_EQ(events[1].payload, kMsg2);
  EXPECT_EQ(d.bytes_seen(), stream.size());
}

TEST(MllpTest, EverySplitPointOfTwoFrames) {
  std::string stream = MllpFrame(kMsg1) + MllpFrame(kMsg2);
  for (size_t a = 0; a <= stream.size(); a += 7) {
    for (size_t b = a; b <= stream.size(); b += 5) {
      MllpDecoder d;
      d.Feed(std::string_view(stream).substr(0, a));
      d.Feed(std::string_view(stream).substr(a, b - a));
      d.Feed(std::string_view(stream).substr(b));
      d.Finish();
      std::vector<MllpEvent> events = Drain(d);
      ASSERT_EQ(events.size(), 2u) << a << "," << b;
      EXPECT_EQ(events[0].payload, kMsg1);
      EXPECT_EQ(events[1].payload, kMsg2);
    }
  }
}

TEST(MllpTest, JunkBeforeTheStartByte) {
  MllpDecoder d;
  d.Feed("GET / HTTP/1.1\r\n");
  EXPECT_TRUE(Drain(d).empty()) << "junk is reported when it ends";
  d.Feed(MllpFrame(kMsg1));
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::kJunk);
  EXPECT_EQ(events[0].payload, "GET/HTTP/1.1") << "whitespace is not kept";
  EXPECT_EQ(events[0].offset, 0u);
  EXPECT_EQ(events[0].size, 12u);
  EXPECT_EQ(events[0].ToStatus().code(), ErrorCode::kMalformedHl7);
  EXPECT_EQ(events[0].ToStatus().message(), "12 bytes outside any MLLP frame at stream offset 0");
  EXPECT_EQ(events[1].kind, Kind::kMessage);
  EXPECT_EQ(events[1].offset, 16u);
}

TEST(MllpTest, JunkAfterAFrameAndAtTheEnd) {
  MllpDecoder d;
  d.Feed(MllpFrame(kMsg1) + "xyz");
  d.Finish();
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, Kind::kJunk);
  EXPECT_EQ(events[1].payload, "xyz");
}

TEST(MllpTest, LongJunkIsReportedInPieces) {
  MllpDecoder d;
  d.Feed(std::string(600, 'A'));
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 2u) << "a peer speaking another protocol is noticed early";
  EXPECT_EQ(events[0].size, 256u);
  EXPECT_EQ(events[1].offset, 256u);
  d.Finish();
  events = Drain(d);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].size, 88u);
}

TEST(MllpTest, OversizeFrameIsSkippedAndDecodingResumes) {
  MllpDecoder d(MllpDecoderOptions{64});
  std::string big(200, 'X');
  std::string stream = MllpFrame(big) + MllpFrame("MSH|small\r");
  for (size_t i = 0; i < stream.size(); i += 10) d.Feed(std::string_view(stream).substr(i, 10));
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::kOversize);
  EXPECT_EQ(events[0].offset, 0u);
  EXPECT_GT(events[0].size, 64u);
  EXPECT_TRUE(events[0].payload.empty());
  EXPECT_EQ(events[0].ToStatus().code(), ErrorCode::kTooLarge);
  EXPECT_EQ(events[1].kind, Kind::kMessage);
  EXPECT_EQ(events[1].payload, "MSH|small\r");
  // Exactly at the limit is fine.
  MllpDecoder exact(MllpDecoderOptions{64});
  exact.Feed(MllpFrame(std::string(64, 'Y')));
  events = Drain(exact);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kMessage);
}

TEST(MllpTest, HalfFrameAtEofIsReported) {
  MllpDecoder d;
  std::string frame = MllpFrame(kMsg1);
  d.Feed(frame.substr(0, 30));
  EXPECT_TRUE(d.InFrame());
  EXPECT_TRUE(Drain(d).empty());
  d.Finish();
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kTruncated);
  EXPECT_EQ(events[0].payload, kMsg1.substr(0, 29));
  EXPECT_EQ(events[0].ToStatus().message(),
            "MLLP frame at stream offset 0 ended after 29 bytes without its end byte (0x1C)");
  EXPECT_FALSE(d.InFrame());
}

TEST(MllpTest, OversizeFrameCutByEofIsAlsoTruncated) {
  MllpDecoder d(MllpDecoderOptions{8});
  d.Feed("\x0B" + std::string(20, 'Z'));
  d.Finish();
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::kOversize);
  EXPECT_EQ(events[1].kind, Kind::kTruncated);
}

TEST(MllpTest, NewStartInsideAFrameAbandonsTheOldOne) {
  MllpDecoder d;
  d.Feed("\x0BMSH|half" + MllpFrame(kMsg2));
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::kTruncated);
  EXPECT_EQ(events[0].payload, "MSH|half");
  EXPECT_EQ(events[1].kind, Kind::kMessage);
  EXPECT_EQ(events[1].payload, kMsg2);
  EXPECT_EQ(events[1].offset, 9u);
}

TEST(MllpTest, MissingCrAfterEndByteIsTolerated) {
  MllpDecoder d;
  d.Feed("\x0B" + kMsg1 + "\x1C" + "\x0B" + kMsg2 + "\x1C");
  d.Finish();
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].payload, kMsg1);
  EXPECT_EQ(events[1].payload, kMsg2);
}

TEST(MllpTest, EndByteOutsideAFrameIsJunk) {
  MllpDecoder d;
  d.Feed("\x1C\r");
  d.Finish();
  std::vector<MllpEvent> events = Drain(d);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kJunk);
}

}  // namespace
}  // namespace hb::lis
