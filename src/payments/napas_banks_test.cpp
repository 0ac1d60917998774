#include "payments/napas_banks.h"

#include <gtest/gtest.h>

namespace hb::payments {
namespace {

TEST(NapasBanks, EmbeddedCatalogueLoads) {
  const auto& banks = NapasBanks();
  EXPECT_GE(banks.size(), 40u);
  for (size_t i = 1; i < banks.size(); ++i) EXPECT_LT(banks[i - 1].bin, banks[i].bin);
  for (const NapasBank& b : banks) {
    EXPECT_EQ(b.bin.size(), 6u);
    EXPECT_FALSE(b.code.empty()) << b.bin;
    EXPECT_FALSE(b.short_name.empty()) << b.bin;
    EXPECT_FALSE(b.name.empty()) << b.bin;
  }
}

TEST(NapasBanks, KnownBins) {
  const std::pair<const char*, const char*> expected[] = {
      {"970436", "Vietcombank"}, {"970415", "VietinBank"}, {"970418", "BIDV"},
      {"970405", "Agribank"},    {"970422", "MBBank"},     {"970423", "TPBank"},
      {"970407", "Techcombank"}, {"970416", "ACB"}};
  for (const auto& [bin, name] : expected) {
    const NapasBank* bank = FindNapasBank(bin);
    ASSERT_NE(bank, nullptr) << bin;
    EXPECT_EQ(bank->short_name, name);
  }
  EXPECT_EQ(FindNapasBank("970436")->name, "Ngân hàng TMCP Ngoại Thương Việt Nam");
  EXPECT_EQ(FindNapasBank("970436")->code, "VCB");
}

TEST(NapasBanks, UnknownBin) {
  EXPECT_EQ(FindNapasBank("123456"), nullptr);
  EXPECT_EQ(FindNapasBank(""), nullptr);
  EXPECT_EQ(FindNapasBank("9704360"), nullptr);
}

TEST(NapasBanks, QuotedNameWithComma) {
  const NapasBank* citi = FindNapasBank("533948");
  ASSERT_NE(citi, nullptr);
  EXPECT_EQ(citi->name, "Ngân hàng Citibank, N.A. - Chi nhánh Hà Nội");
}

TEST(NapasBanks, ParseErrorsNameTheLine) {
  auto bad = [](std::string_view csv, std::string_view part) {
    auto r = ParseNapasBanksCsv(csv);
    ASSERT_FALSE(r.ok()) << csv;
    EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
  };
  bad("bin,name\n", "header");
  bad("bin,code,short_name,name\n97043,X,X,X\n", "record 2: BIN '97043'");
  bad("bin,code,short_name,name\n970436,VCB,Vietcombank\n", "record 2: 3 fields");
  bad("bin,code,short_name,name\n970436,A,B,C\n970436,D,E,F\n", "970436 appears twice");
  bad("bin,code,short_name,name\n970436,A,B,\"C\n", "unterminated");
  bad("bin,code,short_name,name\r\n970436,A,,C\r\n", "required");

  auto ok = ParseNapasBanksCsv("bin,code,short_name,name\r\n970436,A,B,\"say \"\"hi\"\"\"\r\n\r\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->size(), 1u);
  EXPECT_EQ((*ok)[0].name, "say \"hi\"");
}

}  // namespace
}  // namespace hb::payments
