// Importing price lists as facilities export them (price_list_import.h).
#include "claims/price_list_import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "claims/resources.h"
#include "common/csv.h"
#include "common/temp_dir_test_util.h"

namespace hb::claims {
namespace {

std::string Utf16Le(std::string_view utf8_ascii_or_vi) {
  // Test helper: the few characters used below, UTF-8 -> UTF-16LE with a BOM.
  std::string out = "\xFF\xFE";
  for (size_t i = 0; i < utf8_ascii_or_vi.size();) {
    unsigned char c = utf8_ascii_or_vi[i];
    char32_t cp;
    if (c < 0x80) {
      cp = c, i += 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = (c & 0x1F) << 6 | (utf8_ascii_or_vi[i + 1] & 0x3F), i += 2;
    } else {
      cp = (c & 0x0F) << 12 | (utf8_ascii_or_vi[i + 1] & 0x3F) << 6 |
           (utf8_ascii_or_vi[i + 2] & 0x3F),
      i += 3;
    }
    out.push_back(static_cast<char>(cp & 0xFF));
    out.push_back(static_cast<char>(cp >> 8));
  }
  return out;
}

TEST(PriceListImport, ExcelUnicodeTextWithTabsAndLocalDates) {
  const std::string exported =
      "STT\tMa noi bo\tMa dich vu\tTen dich vu\tDon vi tinh\tDon gia\tDon gia BH\tMa nhom\t"
      "Tyle TT DV\tTyle TT BH\tPham vi\tTu ngay\tDen ngay\tMa CSKCB\r\n"
      "1\tKB\t02.1896\tKhám "
      "Nội\tlần\t39800\t39800\t13\t100\t100\t1\t01/01/2024\t31/12/2025\t11011\r\n"
      "2\tKB\t02.1896\tKhám Nội\tlần\t42100\t42100\t13\t100\t100\t1\t01/01/2026\t\t11011\r\n"
      "\t\t\t\t\t\t\t\t\t\t\t\t\t\r\n";
  auto t = NormalizePriceTable(Utf16Le(exported), "dvkt.txt");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->kind, ItemKind::kService);
  EXPECT_EQ(t->file_name, "dvkt.csv");
  EXPECT_EQ(t->rows, 2u);
  auto list = PriceList::Load("", t->csv, "");
  ASSERT_TRUE(list.ok()) << list.status().message() << "\n" << t->csv;
  // Two versions of the same item, by validity date.
  ASSERT_NE(list->Find("KB", "11011", 20250601), nullptr);
  EXPECT_EQ(list->Find("KB", "11011", 20250601)->price.ToString(), "39800");
  EXPECT_EQ(list->Find("KB", "11011", 20260301)->price.ToString(), "42100");
  EXPECT_EQ(list->Find("KB", "11011", 20250601)->name, "Khám Nội");
}

TEST(PriceListImport, SemicolonCsvWithBomAndQuotes) {
  std::string thuoc(EmbeddedResource("demo-price-list/thuoc.csv"));
  // As a Vietnamese-locale spreadsheet writes it: BOM, semicolons, CRLF, and the fields
  // holding a semicolon (TT_THAU "112/QĐ-SYT;G1;N4;2024") quoted.
  auto rows = ParseCsv(thuoc);
  ASSERT_TRUE(rows.ok());
  std::string semi = "\xEF\xBB\xBF";
  for (const auto& row : *rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) semi += ';';
      semi += row[i].find(';') == std::string::npos ? row[i] : '"' + row[i] + '"';
    }
    semi += "\r\n";
  }
  auto t = NormalizePriceTable(semi, "thuoc-export.csv");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->kind, ItemKind::kDrug);
  auto list = PriceList::Load(t->csv, "", "");
  auto original = PriceList::Load(thuoc, "", "");
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(list->size(), original->size());
}

TEST(PriceListImport, RefusesWhatIsNotAPriceList) {
  EXPECT_FALSE(NormalizePriceTable("A,B\n1,2\n", "x.csv").ok());
  auto latin1 = NormalizePriceTable("MA_NOI_BO,MA_VAT_TU,TEN_VAT_TU\nX,Y,Kim lu\xF4n\n", "x.csv");
  ASSERT_FALSE(latin1.ok());
  EXPECT_NE(latin1.status().message().find("UTF-8"), std::string::npos);
}

TEST(PriceListImport, ReplacesOnlyWhenTheWholeListLoads) {
  namespace fs = std::filesystem;
  const hb::testing::TempDir tmp("hb-price-import");
  const fs::path dir = tmp / "price-list";
  ASSERT_TRUE(InstallDemoPriceList(dir.string()).ok());
  const fs::path good = dir / "in-good.csv", bad = dir / "in-bad.csv";
  std::ofstream(good)
      << "MA_NOI_BO,MA_VAT_TU,TEN_VAT_TU,DON_VI_TINH,DON_GIA,MA_NHOM,TU_NGAY,DEN_NGAY\n"
         "VT-GANG,N02.01.010,Găng tay,đôi,2500,10,2026-01-01,\n";
  std::ofstream(bad)
      << "MA_NOI_BO,MA_VAT_TU,TEN_VAT_TU,DON_VI_TINH,DON_GIA,MA_NHOM,TU_NGAY,DEN_NGAY\n"
         "VT-GANG,N02.01.010,Găng tay,đôi,hai nghìn,10,20260101,\n";
  auto refused = ImportPriceList(dir.string(), {bad.string()});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("DON_GIA"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(fs::exists(dir / "vtyt.csv.previous"));  // nothing changed
  auto done = ImportPriceList(dir.string(), {good.string()});
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_TRUE(fs::exists(dir / "vtyt.csv.previous"));
  auto list = PriceList::LoadDir(dir.string());
  ASSERT_TRUE(list.ok());
  EXPECT_NE(list->Find("VT-GANG", "11011", 20260201), nullptr);
  EXPECT_EQ(list->Find("VT-KIMLUON", "11011", 20260201), nullptr);  // the old table replaced
  EXPECT_NE(list->Find("KB", "11011", 20260201), nullptr);          // the others kept
}

}  // namespace
}  // namespace hb::claims
