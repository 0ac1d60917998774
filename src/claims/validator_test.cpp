// Each validator rule, with a failing case made by changing one value of a valid claim.
#include "claims/validator.h"

#include <gtest/gtest.h>

#include "claims/claim_builder.h"
#include "claims/envelope.h"
#include "claims/test_episode.h"
#include "common/base64.h"

namespace hb::claims {
namespace {

using testing::TestCatalogs;

ClaimRecord Valid() {
  ClaimErrors problems;
  auto r = BuildClaim(testing::MakeEpisode(), TestCatalogs(), SchemaVersion::k4750, &problems);
  return std::move(r).value();
}

void Set(ClaimRecord& r, std::string_view table, std::string_view field, std::string value,
         size_t row = 0) {
  for (auto& t : r.tables) {
    if (t.def->loaihoso == table) t.rows[row][t.def->IndexOf(field)] = std::move(value);
  }
}

// The errors of `r` on `field`, with the rule names.
std::vector<std::string> Rules(const ClaimRecord& r, std::string_view table,
                               std::string_view field) {
  std::vector<std::string> out;
  for (const auto& e : ValidateRecord(r, TestCatalogs())) {
    if (e.table == table && e.field == field) out.push_back(e.rule);
  }
  return out;
}

bool Has(const std::vector<std::string>& rules, std::string_view rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

TEST(Validator, AcceptsTheBuiltClaim) {
  EXPECT_TRUE(ValidateRecord(Valid(), TestCatalogs()).empty());
}

TEST(Validator, FieldRules) {
  struct Case {
    const char* table;
    const char* field;
    std::string value;
    const char* rule;
  } cases[] = {
      {"XML1", "HO_TEN", "", "required"},
      {"XML1", "HO_TEN", std::string(256, 'a'), "max-size"},
      {"XML1", "MA_THE_BHYT", "GD411123456789", "format"},
      {"XML1", "NGAY_VAO", "202502301200", "format"},  // 30 February
      {"XML1", "NGAY_VAO", "2025-03-10", "format"},
      {"XML1", "NGAY_SINH", "199000150000", "format"},  // month unknown but day known
      {"XML1", "GIOI_TINH", "4", "code-list"},
      {"XML1", "MA_LOAI_KCB", "3", "code-list"},  // "03": strings keep the zero
      {"XML1", "KET_QUA_DTRI", "9", "code-list"},
      {"XML1", "MA_BENH_CHINH", "J18.9", "code-list"},  // the tables write it without the dot
      {"XML1", "MA_BENH_CHINH", "J1899", "code-list"},  // not in QĐ 4469
      {"XML1", "SO_CCCD", "12345", "format"},
      {"XML1", "MA_CSKCB", "1101", "format"},
      {"XML1", "T_TONGCHI_BV", "12,5", "number"},
      {"XML2", "DON_GIA", "720.1234", "format"},  // at most 3 decimals
      {"XML2", "MUC_HUONG", "120", "format"},
      {"XML3", "NGAY_YL", "", "required"},
  };
  for (const Case& c : cases) {
    ClaimRecord r = Valid();
    Set(r, c.table, c.field, c.value);
    EXPECT_TRUE(Has(Rules(r, c.table, c.field), c.rule))
        << c.table << "." << c.field << "=" << c.value;
  }
}

TEST(Validator, LineArithmetic) {
  ClaimRecord r = Valid();
  Set(r, "XML2", "THANH_TIEN_BV", "15120.01");
  EXPECT_TRUE(Has(Rules(r, "XML2", "THANH_TIEN_BV"), "line-amount"));
  r = Valid();
  Set(r, "XML2", "T_BHTT", "12000");
  EXPECT_TRUE(Has(Rules(r, "XML2", "T_BHTT"), "line-amount"));
  r = Valid();
  Set(r, "XML3", "TYLE_TT_DV", "50");  // the amounts no longer follow
  EXPECT_TRUE(Has(Rules(r, "XML3", "THANH_TIEN_BV"), "line-amount"));
  r = Valid();
  Set(r, "XML3", "PHAM_VI", "2");  // outside the scope yet paid
  EXPECT_TRUE(Has(Rules(r, "XML3", "TYLE_TT_BH"), "scope"));
  r = Valid();
  Set(r, "XML2", "T_NGUONKHAC_NSNN", "100");
  EXPECT_TRUE(Has(Rules(r, "XML2", "T_NGUONKHAC"), "line-amount"));
}

TEST(Validator, OtherSourcesPayThePatientsPartsFirst) {
  ClaimRecord r = Valid();
  // Drug line: BV 15120, BH 15120, 80% -> BHTT 12096, BNCCT 3024. 1000 from a donor goes to
  // the co-payment (T_BNTT is 0), then totals change accordingly.
  Set(r, "XML2", "T_NGUONKHAC_VTNN", "1000");
  Set(r, "XML2", "T_NGUONKHAC", "1000");
  Set(r, "XML2", "T_BNCCT", "2024");
  for (const auto& e : ValidateRecord(r, TestCatalogs())) {
    EXPECT_NE(e.table, "XML2") << FormatError(e);
  }
}

TEST(Validator, Totals) {
  ClaimRecord r = Valid();
  Set(r, "XML1", "T_TONGCHI_BV", "819321");
  EXPECT_TRUE(Has(Rules(r, "XML1", "T_TONGCHI_BV"), "sum"));
  r = Valid();
  Set(r, "XML1", "T_BHTT", "655457");
  EXPECT_TRUE(Has(Rules(r, "XML1", "T_BHTT"), "sum"));
  r = Valid();
  Set(r, "XML1", "T_VTYT", "0");
  EXPECT_TRUE(Has(Rules(r, "XML1", "T_VTYT"), "sum"));
  r = Valid();
  Set(r, "XML1", "T_THUOC", "0");
  EXPECT_TRUE(Has(Rules(r, "XML1", "T_THUOC"), "sum"));
}

TEST(Validator, CrossTable) {
  ClaimRecord r = Valid();
  Set(r, "XML2", "MA_LK", "other");
  EXPECT_TRUE(Has(Rules(r, "XML2", "MA_LK"), "ma-lk"));
  r = Valid();
  Set(r, "XML3", "STT", "7", 1);
  EXPECT_TRUE(Has(Rules(r, "XML3", "STT"), "stt"));
  r = Valid();
  Set(r, "XML1", "NGAY_RA", "202503090930");
  EXPECT_TRUE(Has(Rules(r, "XML1", "NGAY_RA"), "date-order"));
  EXPECT_TRUE(Has(Rules(r, "XML7", "NGAY_RA"), "cross-table"));
  r = Valid();
  Set(r, "XML1", "GT_THE_DEN", "20250301");
  EXPECT_TRUE(Has(Rules(r, "XML1", "GT_THE_DEN"), "card-validity"));
  r = Valid();
  Set(r, "XML4", "MA_DICH_VU", "99.9999");
  EXPECT_TRUE(Has(Rules(r, "XML4", "MA_DICH_VU"), "cross-table"));
  r = Valid();
  Set(r, "XML1", "SO_NGAY_DTRI", "3");
  Set(r, "XML1", "MA_LOAI_KCB", "01");  // an examination now, with a stay of 3 days and XML5/7/8
  EXPECT_TRUE(Has(Rules(r, "XML1", "SO_NGAY_DTRI"), "treatment-days"));
  EXPECT_TRUE(Has(Rules(r, "XML5", ""), "table-not-applicable"));
  r = Valid();
  Set(r, "XML1", "MA_LOAI_RV", "2");  // referred, without XML13 or MA_NOI_DEN
  EXPECT_TRUE(Has(Rules(r, "XML13", ""), "table-required"));
  EXPECT_TRUE(Has(Rules(r, "XML1", "MA_NOI_DEN"), "required"));
  r = Valid();
  Set(r, "XML1", "NAM_QT", "2024");
  EXPECT_TRUE(Has(Rules(r, "XML1", "NAM_QT"), "settlement"));
}

TEST(Validator, ErrorsSpeakBothLanguages) {
  ClaimRecord r = Valid();
  Set(r, "XML2", "THANH_TIEN_BV", "1");
  auto errors = ValidateRecord(r, TestCatalogs());
  ASSERT_FALSE(errors.empty());
  const ClaimError& e = errors.front();
  EXPECT_EQ(e.table, "XML2");
  EXPECT_EQ(e.row, 1);
  EXPECT_EQ(e.value, "1");
  EXPECT_NE(e.message_vi.find("Phải bằng"), std::string::npos);
  EXPECT_NE(e.message_en.find("must equal"), std::string::npos);
  EXPECT_NE(FormatError(e).find("XML2 dòng/row 1 THANH_TIEN_BV [line-amount] '1'"),
            std::string::npos);
}

TEST(Validator, FileStructure) {
  ClaimRecord r = Valid();
  std::string xml = EnvelopeXml({&r}, "11011", "20250314");
  EXPECT_TRUE(ValidateFile(xml, TestCatalogs()).ok());
  // An inner table with its elements swapped, one missing, one unknown.
  TableRows swapped = *r.Find("XML1");
  std::string inner = TableXml(swapped);
  auto swap = [&](std::string s, std::string_view a, std::string_view b) {
    const size_t i = s.find(a), j = s.find(b);
    std::string x(s.substr(i, j - i)), y(s.substr(j, s.find("</", j) + b.size() + 1 - j));
    return s.substr(0, i) + y + x + s.substr(j + y.size());
  };
  inner = swap(inner, "<MA_BN>", "<HO_TEN>");
  std::string bad = xml;
  const size_t at = bad.find("<NOIDUNGFILE>") + 13;
  bad.replace(at, bad.find("</NOIDUNGFILE>") - at, Base64Encode(inner));
  auto check = ValidateFile(bad, TestCatalogs());
  bool order = false;
  for (const auto& e : check.errors) order |= e.rule == "order" || e.rule == "missing-element";
  EXPECT_TRUE(order);
  // Count and base64 of the envelope.
  std::string count = xml;
  count.replace(count.find("<SOLUONGHOSO>1<"), 15, "<SOLUONGHOSO>2<");
  EXPECT_EQ(ValidateFile(count, TestCatalogs()).errors.at(0).field, "SOLUONGHOSO");
  std::string b64 = xml;
  b64.replace(b64.find("<NOIDUNGFILE>") + 13, 4, "!!!!");
  EXPECT_EQ(ValidateFile(b64, TestCatalogs()).errors.at(0).rule, "base64");
  EXPECT_EQ(ValidateFile("<x/>", TestCatalogs()).errors.at(0).rule, "root");
  EXPECT_EQ(ValidateFile("not xml", TestCatalogs()).errors.at(0).rule, "xml");
}

}  // namespace
}  // namespace hb::claims
