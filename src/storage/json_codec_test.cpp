#include "storage/json_codec.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <string>

namespace hb::storage {
namespace {

const std::string kObservation =
    R"({"resourceType":"Observation","id":"o1","meta":{"versionId":"1","lastUpdated":)"
    R"("2026-11-26T08:00:00.000+07:00"},"status":"final","category":[{"coding":[{"system":)"
    R"("http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],)"
    R"("code":{"coding":[{"system":"http://loinc.org","code":"2345-7","display":"Glucose"}]},)"
    R"("subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-11-26T07:30:00+07:00",)"
    R"("valueQuantity":{"value":6.1,"unit":"mmol/L","system":"http://unitsofmeasure.org",)"
    R"("code":"mmol/L"}})";

// The built-in dictionary with another id written into its header (bytes 4-7): a valid
// dictionary that the registry does not know yet, as one shipped by another build would be.
std::string DictionaryWithId(uint32_t id) {
  std::string d(BuiltInJsonDictionary().bytes);
  for (int i = 0; i < 4; ++i) d[4 + i] = static_cast<char>((id >> (8 * i)) & 0xFF);
  return d;
}

TEST(JsonCodecTest, RoundTripsAndCompressesFhirJson) {
  std::string buffer;
  std::string_view stored = EncodeJson(kObservation, buffer);
  EXPECT_TRUE(IsCompressedJson(stored));
  EXPECT_LT(stored.size() * 3, kObservation.size()) << stored.size();
  auto back = DecodeJson(stored);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, kObservation);
  // The frame names the dictionary.
  EXPECT_EQ(ZSTD_getDictID_fromFrame(stored.data(), stored.size()), BuiltInJsonDictionary().id);
}

TEST(JsonCodecTest, ShortValuesStayPlainAndPlainBytesReadAsTheyAre) {
  std::string buffer;
  const std::string tiny = R"({"n":1})";
  EXPECT_EQ(EncodeJson(tiny, buffer), tiny);
  EXPECT_FALSE(IsCompressedJson(tiny));
  EXPECT_EQ(*DecodeJson(tiny), tiny);
  EXPECT_EQ(*DecodeJson(""), "");
  EXPECT_EQ(*DecodeJson(kObservation), kObservation);
}

TEST(JsonCodecTest, ReusesTheBufferAcrossValues) {
  std::string buffer;
  std::string first(EncodeJson(kObservation, buffer));
  std::string other = kObservation;
  other.replace(other.find("6.1"), 3, "9.9");
  std::string second(EncodeJson(other, buffer));
  EXPECT_EQ(*DecodeJson(first), kObservation);
  EXPECT_EQ(*DecodeJson(second), other);
}

TEST(JsonCodecTest, RefusesDamagedFrames) {
  std::string buffer;
  std::string stored(EncodeJson(kObservation, buffer));
  std::string truncated = stored.substr(0, stored.size() / 2);
  auto r = DecodeJson(truncated);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kStorageError);
  std::string garbled = stored;
  for (size_t i = 12; i < garbled.size(); ++i) garbled[i] = static_cast<char>(~garbled[i]);
  EXPECT_FALSE(DecodeJson(garbled).ok());
  EXPECT_FALSE(DecodeJson(std::string("\x28\xB5\x2F\xFD", 4)).ok());  // magic, no header
}

// Any one flipped bit anywhere in a frame is refused, never decoded to other JSON (the frame's
// content checksum; the stores do not checksum their pages).
TEST(JsonCodecTest, NoSingleBitFlipDecodesToOtherJson) {
  std::string buffer;
  const std::string stored(EncodeJson(kObservation, buffer));
  int refused = 0;
  for (size_t i = 4; i < stored.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = stored;
      damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
      auto r = DecodeJson(damaged);
      if (!r.ok()) {
        ++refused;
        EXPECT_EQ(r.status().code(), ErrorCode::kStorageError);
        continue;
      }
      EXPECT_EQ(*r, kObservation) << "byte " << i << " bit " << bit;
    }
  }
  EXPECT_GT(refused, 0);
}

TEST(JsonCodecTest, ReadsFramesOfAnotherDictionaryOnceRegistered) {
  const uint32_t id = 40999;
  const std::string dict = DictionaryWithId(id);
  ASSERT_EQ(ZSTD_getDictID_fromDict(dict.data(), dict.size()), id);
  std::string frame(ZSTD_compressBound(kObservation.size()), '\0');
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  size_t n = ZSTD_compress_usingDict(cctx, frame.data(), frame.size(), kObservation.data(),
                                     kObservation.size(), dict.data(), dict.size(), 3);
  ZSTD_freeCCtx(cctx);
  ASSERT_FALSE(ZSTD_isError(n));
  frame.resize(n);
  auto before = DecodeJson(frame);
  ASSERT_FALSE(before.ok());
  EXPECT_NE(before.status().message().find("40999"), std::string::npos)
      << before.status().ToString();
  ASSERT_TRUE(RegisterJsonDictionary(id, dict).ok());
  auto after = DecodeJson(frame);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(*after, kObservation);
  // Registering the same bytes again is fine; other bytes under a known id are not.
  EXPECT_TRUE(RegisterJsonDictionary(id, dict).ok());
  std::string changed = dict;
  changed.back() = static_cast<char>(~changed.back());
  EXPECT_EQ(RegisterJsonDictionary(id, changed).code(), ErrorCode::kStorageError);
  // Bytes that are no dictionary of the id they claim.
  EXPECT_EQ(RegisterJsonDictionary(41000, dict).code(), ErrorCode::kStorageError);
  EXPECT_EQ(RegisterJsonDictionary(41001, "not a dictionary").code(), ErrorCode::kStorageError);
}

}  // namespace
}  // namespace hb::storage
