#include "payments/vietqr.h"

#include <gtest/gtest.h>

#include <cctype>

#include "payments/crc16.h"

namespace hb::payments {
namespace {

struct Published {
  std::string_view payload;
  bool dynamic;
  const char* bin;
  const char* account;
  std::optional<uint64_t> amount;
  std::optional<std::string> purpose;
};

// The published test strings of subiz/vietqr (shared/reference/README.md §3).
const Published kPublished[] = {
    {"00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4",
     false, "970423", "0099999999", std::nullopt, std::nullopt},
    {"00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA53037045405401235802"
     "VN62200816test text string6304D9C6",
     true, "970422", "0023457923442", 40123, "test text string"},
    {"00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA53037045405401235802"
     "VN62160812chuyen khoan6304722F",
     true, "970422", "0023457923442", 40123, "chuyen khoan"},
    {"00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA53037045405401"
     "23"
     "5802VN62290825chuyen khoan alsdkf laksj6304E5DB",
     true, "970422", "0023457923442ASDFLJ", 40123, "chuyen khoan alsdkf laksj"},
    {"00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA53037045406120000580"
     "2VN62170813ung ho lu lut6304C15C",
     true, "970415", "0011001932418", 120000, "ung ho lu lut"},
};

std::string WithCrc(std::string body) {
  body += "6304";
  return body + Crc16Hex(body);
}

VietQrTransfer Account(std::string bin, std::string account) {
  VietQrTransfer t;
  t.bin = std::move(bin);
  t.account = std::move(account);
  return t;
}

void ExpectEncodeError(const VietQrTransfer& t, std::string_view part,
                       const VietQrEncodeOptions& options = {}) {
  auto r = EncodeVietQr(t, options);
  ASSERT_FALSE(r.ok()) << *r;
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
}

void ExpectDecodeError(std::string_view payload, ErrorCode code, std::string_view part,
                       std::string_view location = {}) {
  auto r = DecodeVietQr(payload);
  ASSERT_FALSE(r.ok()) << payload;
  EXPECT_EQ(r.status().code(), code) << r.status().ToString();
  EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().ToString();
  if (!location.empty()) {
    EXPECT_EQ(r.status().location(), location);
  }
}

TEST(VietQr, PublishedStringsDecodeToTheirFields) {
  for (const Published& p : kPublished) {
    SCOPED_TRACE(p.payload);
    auto r = DecodeVietQr(p.payload);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->dynamic, p.dynamic);
    EXPECT_EQ(r->transfer.bin, p.bin);
    EXPECT_EQ(r->transfer.account, p.account);
    EXPECT_EQ(r->transfer.service, VietQrService::kAccount);
    EXPECT_EQ(r->transfer.amount, p.amount);
    EXPECT_EQ(r->transfer.purpose, p.purpose);
    EXPECT_EQ(r->transfer.bill_number, std::nullopt);
    EXPECT_EQ(r->currency, "704");
    EXPECT_EQ(r->country, "VN");
    EXPECT_EQ(r->crc, p.payload.substr(p.payload.size() - 4));
  }
}

TEST(VietQr, PublishedStringsRoundTripExactly) {
  for (const Published& p : kPublished) {
    SCOPED_TRACE(p.payload);
    auto decoded = DecodeVietQr(p.payload);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    auto again = EncodeVietQr(decoded->transfer);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, p.payload);

    VietQrTransfer t = Account(p.bin, p.account);
    t.amount = p.amount;
    t.purpose = p.purpose;
    auto fresh = EncodeVietQr(t);
    ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
    EXPECT_EQ(*fresh, p.payload);
  }
}

TEST(VietQr, CardStaticPayload) {
  VietQrTransfer t = Account("970436", "9704366614952148");
  t.service = VietQrService::kCard;
  auto r = EncodeVietQr(t);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r,
            "00020101021138600010A00000072701300006970436011697043666149521480208QRIBFTTC5303704"
            "5802VN6304B989");
  auto d = DecodeVietQr(*r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->transfer.service, VietQrService::kCard);
  EXPECT_FALSE(d->dynamic);
  EXPECT_EQ(d->transfer.amount, std::nullopt);
}

TEST(VietQr, BillNumberAndVietnamesePurpose) {
  VietQrTransfer t = Account("970418", "21510001234567");
  t.amount = 150000;
  t.bill_number = "HD2025-0001";
  t.purpose = "Thanh toán viện phí Đợt 2";
  auto r = EncodeVietQr(t);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(
      *r,
      "00020101021238580010A000000727012800069704180114215100012345670208QRIBFTTA5303704540615"
      "00005802VN62440111HD2025-00010825Thanh toan vien phi Dot 2630447F6");
  auto d = DecodeVietQr(*r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->transfer.bill_number, "HD2025-0001");
  EXPECT_EQ(d->transfer.purpose, "Thanh toan vien phi Dot 2");
  EXPECT_TRUE(d->dynamic);
}

TEST(VietQr, AmountMakesItDynamic) {
  VietQrTransfer t = Account("970405", "8888888888888");
  t.amount = 1;
  auto r = EncodeVietQr(t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r,
            "00020101021238570010A00000072701270006970405011388888888888880208QRIBFTTA5303704540115"
            "802VN63040BE5");
  t.amount = kMaxAmount;
  EXPECT_TRUE(EncodeVietQr(t).ok());
  // Empty texts are absent: no field 62 at all.
  t.amount.reset();
  t.purpose = "";
  t.bill_number = "";
  r = EncodeVietQr(t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->substr(6, 6), "010211");
  auto d = DecodeVietQr(*r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->tree.Find("62"), nullptr);
}

TEST(VietQr, PurposeLengthRule) {
  VietQrTransfer t = Account("970436", "0011001932418");
  t.purpose = std::string(25, 'x');
  EXPECT_TRUE(EncodeVietQr(t).ok());
  t.purpose = std::string(26, 'x');
  ExpectEncodeError(t, "purpose is 26 characters without diacritics; the limit is 25");
  // The limit counts ASCII characters after folding, not UTF-8 bytes: 25 letters with marks.
  t.purpose = "Đóng tiền khám bệnh ngày 2";  // 26 characters
  ExpectEncodeError(t, "purpose is 26 characters");
  t.purpose = "Đóng tiền khám bệnh ngày ";  // 25 characters, 33 bytes; kept as given
  auto r = EncodeVietQr(t);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(r->find("0825Dong tien kham benh ngay 6304"), std::string::npos) << *r;

  t.purpose = "Thanh toán viện phí cho bệnh nhân Lò Văn A";
  ExpectEncodeError(t, "purpose is 42 characters");
  VietQrEncodeOptions cut;
  cut.truncate_purpose = true;
  r = EncodeVietQr(t, cut);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto d = DecodeVietQr(*r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->transfer.purpose, "Thanh toan vien phi cho b");
  // A cut that lands after a space drops the trailing blanks.
  EXPECT_EQ(*VietQrPurpose("Thanh toan vien phi cho  benh nhan", true), "Thanh toan vien phi cho");
}

TEST(VietQr, PurposeCharacters) {
  VietQrTransfer t = Account("970436", "0011001932418");
  t.purpose = "chuyển tiền 中文";
  ExpectEncodeError(t, "purpose: U+4E2D");
  t.purpose = "line\nbreak";
  ExpectEncodeError(t, "purpose must be printable text; found 0x0A at position 4");
}

TEST(VietQr, EncoderValidatesEveryField) {
  ExpectEncodeError(Account("97043", "1"), "BIN must be 6 digits, got '97043'");
  ExpectEncodeError(Account("97043A", "1"), "BIN must be 6 digits");
  ExpectEncodeError(Account("970436", ""), "account number is empty");
  ExpectEncodeError(Account("970436", "0011 0019"),
                    "account number may hold letters and digits only; found ' ' at position 4");
  ExpectEncodeError(Account("970436", std::string(20, '1')),
                    "account number is 20 characters; VietQR allows at most 19");
  VietQrTransfer card = Account("970436", "9704ABCD");
  card.service = VietQrService::kCard;
  ExpectEncodeError(card, "card number may hold digits only; found 'A' at position 4");

  VietQrTransfer t = Account("970436", "0011001932418");
  t.amount = 0;
  ExpectEncodeError(t, "amount must be a positive number of VND");
  t.amount = kMaxAmount + 1;
  ExpectEncodeError(t, "more than 13 digits");
  t.amount.reset();
  t.bill_number = std::string(26, 'B');
  ExpectEncodeError(t, "bill number is 26 characters; the limit is 25");
  t.bill_number = "HĐ-1";
  ExpectEncodeError(t, "bill number must be printable ASCII; found 0xC4 at position 1");
}

TEST(VietQr, DecodeIsTolerant) {
  // Any tag order, lowercase CRC, extra fields (merchant name, city, reference).
  const std::string payload = WithCrc(
      "5802VN"
      "5303704"
      "540540123"
      "5907BV Tinh"
      "6009Dien Bien"
      "62280816test text string0504R123"
      "010212"
      "38570010A00000072701270006970422011300234579234420208QRIBFTTA"
      "000201");
  std::string lower = payload;
  for (size_t i = lower.size() - 4; i < lower.size(); ++i) {
    lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower[i])));
  }
  for (const std::string& p : {payload, lower}) {
    auto r = DecodeVietQr(p);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->transfer.bin, "970422");
    EXPECT_EQ(r->transfer.amount, 40123u);
    EXPECT_EQ(r->transfer.purpose, "test text string");
    EXPECT_EQ(r->tree.Find("59")->value, "BV Tinh");
    EXPECT_EQ(r->tree.Find("62.05")->value, "R123");
    // Re-encoding gives the canonical form: sorted, without the fields VietQR does not hold.
    auto again = EncodeVietQr(r->transfer);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, kPublished[1].payload);
  }
}

TEST(VietQr, TamperedAndTruncatedPayloads) {
  const std::string good(kPublished[4].payload);
  for (size_t i = 0; i + 8 < good.size(); ++i) {
    std::string bad = good;
    bad[i] = bad[i] == '0' ? '1' : '0';
    auto r = DecodeVietQr(bad);
    ASSERT_FALSE(r.ok()) << "at " << i;
    EXPECT_EQ(r.status().code(), ErrorCode::kQrChecksumMismatch) << "at " << i;
  }
  std::string bad = good;
  bad[bad.find("120000")] = '9';
  ExpectDecodeError(bad, ErrorCode::kQrChecksumMismatch, "CRC mismatch: expected ", "63");
  for (size_t n = 1; n < good.size(); ++n) EXPECT_FALSE(DecodeVietQr(good.substr(0, n)).ok());
}

TEST(VietQr, DecodeNamesWhatIsWrong) {
  const std::string beneficiary = "38570010A00000072701270006970422011300234579234420208QRIBFTTA";
  auto with = [&](std::string_view initiation, std::string_view b, std::string_view rest) {
    return WithCrc("000201" + std::string(initiation) + std::string(b) + std::string(rest));
  };
  ExpectDecodeError(with("", beneficiary, "53037045802VN"), ErrorCode::kMalformedQr,
                    "missing field 01 (point of initiation)", "01");
  ExpectDecodeError(with("010213", beneficiary, "53037045802VN"), ErrorCode::kMalformedQr,
                    "must be 11 (static) or 12 (dynamic), found '13'", "01");
  ExpectDecodeError(with("010211", "", "53037045802VN"), ErrorCode::kMalformedQr,
                    "missing field 38 (VietQR beneficiary): not a VietQR payload", "38");
  ExpectDecodeError(with("010211", "38570010A00000077501270006970422011300234579234420208QRIBFTTA",
                         "53037045802VN"),
                    ErrorCode::kMalformedQr,
                    "wrong GUID in field 38.00: expected A000000727 (NAPAS), found 'A000000775'",
                    "38.00");
  ExpectDecodeError(with("010211", "38260010A0000007270208QRIBFTTA", "53037045802VN"),
                    ErrorCode::kMalformedQr, "missing field 38.01 (beneficiary organisation)");
  ExpectDecodeError(
      with("010211", "38420010A00000072701120108ABCDEFGH0208QRIBFTTA", "53037045802VN"),
      ErrorCode::kMalformedQr, "missing field 38.01.00 (acquirer BIN)", "38.01.00");
  ExpectDecodeError(
      with("010211", "38450010A00000072701150005970420102120208QRIBFTTA", "53037045802VN"),
      ErrorCode::kMalformedQr, "field 38.01.00 (acquirer BIN) must be 6 digits, found '97042'");
  ExpectDecodeError(with("010211", "38370010A000000727011900069704220105ABCDE", "53037045802VN"),
                    ErrorCode::kMalformedQr, "missing field 38.02 (service code)");
  ExpectDecodeError(
      with("010211", "38530010A000000727012500069704220111002345790230206QRPUSH", "53037045802VN"),
      ErrorCode::kMalformedQr, "must be QRIBFTTA (account) or QRIBFTTC (card), found 'QRPUSH'");
  ExpectDecodeError(with("010211", beneficiary, "5802VN"), ErrorCode::kMalformedQr,
                    "missing field 53 (transaction currency)", "53");
  ExpectDecodeError(with("010211", beneficiary, "5303VND5802VN"), ErrorCode::kMalformedQr,
                    "ISO 4217 numeric code, found 'VND'");
  ExpectDecodeError(with("010212", beneficiary, "5303704540412.55802VN"), ErrorCode::kMalformedQr,
                    "field 54 (amount) must be a positive whole number of VND, found '12.5'", "54");
  ExpectDecodeError(with("010212", beneficiary,
                         "5303704540200"
                         "5802VN"),
                    ErrorCode::kMalformedQr, "found '00'");
  ExpectDecodeError(with("010211", beneficiary, "5303704"), ErrorCode::kMalformedQr,
                    "missing field 58 (country code)", "58");
  ExpectDecodeError(with("010211", beneficiary, "53037045802vn"), ErrorCode::kMalformedQr,
                    "ISO 3166 alpha-2 code, found 'vn'");
  // A broken template inside 38.01, CRC intact.
  ExpectDecodeError(with("010211", "38370010A000000727010700069700208QRIBFTTA", "53037045802VN"),
                    ErrorCode::kMalformedQr, "truncated TLV: field 38.01.00");
}

}  // namespace
}  // namespace hb::payments
