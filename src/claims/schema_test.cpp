#include <gtest/gtest.h>

#include "claims/code_lists.h"
#include "claims/price_list.h"
#include "claims/resources.h"
#include "claims/table_schema.h"

namespace hb::claims {
namespace {

std::vector<std::string> Names(const TableDef& t) {
  std::vector<std::string> out;
  for (const auto& f : t.fields) out.push_back(f.name);
  return out;
}

TEST(Schema, FieldOrderIsTheOfficialOne) {
  const TableDef* x1 = Schemas(SchemaVersion::k4750).Table("XML1");
  ASSERT_NE(x1, nullptr);
  EXPECT_EQ(x1->root, "TONG_HOP");
  const auto n = Names(*x1);
  ASSERT_EQ(n.size(), 66u);
  EXPECT_EQ(n[0], "MA_LK");
  EXPECT_EQ(n[7], "NHOM_MAU");  // added by 4750 after GIOI_TINH, without a number
  EXPECT_EQ(n.back(), "DU_PHONG");
  const TableDef* x2 = Schemas(SchemaVersion::k4750).Table("XML2");
  ASSERT_NE(x2, nullptr);
  EXPECT_EQ(x2->list, "DSACH_CHI_TIET_THUOC");
  EXPECT_EQ(x2->row, "CHI_TIET_THUOC");
  EXPECT_EQ(x2->IndexOf("NGAY_TH_YL"), x2->IndexOf("NGAY_YL") + 1);
}

TEST(Schema, AmendmentsApply) {
  const TableDef& x1 = *Schemas(SchemaVersion::k4750).Table("XML1");
  EXPECT_FALSE(x1.Find("SO_CCCD")->number);            // "Đổi kiểu dữ liệu thành chuỗi"
  EXPECT_FALSE(x1.Find("MA_LOAI_KCB")->number);        // keeps its leading zero
  EXPECT_EQ(x1.Find("MA_DOITUONG_KCB")->max_size, 4);  // "Tăng kích thước tối đa lên 4"
  EXPECT_TRUE(x1.Find("T_TONGCHI_BV")->number);
  EXPECT_EQ(x1.Find("CHAN_DOAN_RV")->max_size, 0);  // "n"
  EXPECT_TRUE(x1.Find("HO_TEN")->cdata);
  EXPECT_FALSE(x1.Find("MA_BENH_CHINH")->cdata);
  EXPECT_EQ(Schemas(SchemaVersion::k4750).Table("XML2")->Find("MA_KHOA")->max_size, 50);
}

TEST(Schema, RulesAreAttached) {
  const TableDef& x1 = *Schemas(SchemaVersion::k4750).Table("XML1");
  EXPECT_TRUE(x1.Find("MA_LK")->required);
  EXPECT_EQ(x1.Find("NGAY_VAO")->format, FieldFormat::kDateTime);
  EXPECT_EQ(x1.Find("NGAY_SINH")->format, FieldFormat::kBirth);
  EXPECT_EQ(x1.Find("KET_QUA_DTRI")->code_list, "KET_QUA_DTRI");
  EXPECT_FALSE(x1.Find("GHI_CHU")->required);
}

TEST(Schema, Qd3176ChangesXml13Only) {
  const TableDef& a = *Schemas(SchemaVersion::k4750).Table("XML13");
  const TableDef& b = *Schemas(SchemaVersion::k3176).Table("XML13");
  ASSERT_EQ(a.fields.size(), b.fields.size());
  EXPECT_EQ(b.IndexOf("MA_CSKCB_DI"), a.IndexOf("MA_NOI_DI"));
  EXPECT_EQ(b.IndexOf("MA_CSKCB_DEN"), a.IndexOf("MA_NOI_DEN"));
  EXPECT_EQ(b.IndexOf("TINH_TRANG_CT"), a.IndexOf("PP_DIEU_TRI"));
  EXPECT_TRUE(b.Find("MA_CSKCB_DEN")->required);
  EXPECT_LT(b.IndexOf("MA_NOI_DI"), 0);
  EXPECT_EQ(Names(*Schemas(SchemaVersion::k4750).Table("XML1")),
            Names(*Schemas(SchemaVersion::k3176).Table("XML1")));
}

TEST(CodeLists, HoldTheTablesCodes) {
  const CodeLists& c = CodeLists::Embedded();
  EXPECT_TRUE(c.Contains("KET_QUA_DTRI", "8"));  // added by 4750
  EXPECT_FALSE(c.Contains("KET_QUA_DTRI", "9"));
  EXPECT_TRUE(c.Contains("MA_LOAI_KCB", "01"));
  EXPECT_FALSE(c.Contains("MA_LOAI_KCB", "1"));  // strings keep their leading zero
  EXPECT_TRUE(c.Contains("MA_DOITUONG_KCB", "1.11"));
  EXPECT_TRUE(c.Contains("MA_DANTOC", "08"));
  EXPECT_EQ(c.ValidOn("LUONG_CO_SO", 20240630), "1800000");
  EXPECT_EQ(c.ValidOn("LUONG_CO_SO", 20240701), "2340000");
}

TEST(PriceList, PicksTheVersionAndTheFacility) {
  auto p = PriceList::Load(EmbeddedResource("demo-price-list/thuoc.csv"),
                           EmbeddedResource("demo-price-list/dvkt.csv"),
                           EmbeddedResource("demo-price-list/vtyt.csv"));
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->Find("T-PARA500", "11101", 20241231)->price.ToString(), "180");
  EXPECT_EQ(p->Find("T-PARA500", "11101", 20250101)->price.ToString(), "195");
  EXPECT_EQ(p->Find("T-PARA500", "11101", 20231231), nullptr);  // before the first version
  EXPECT_EQ(p->Find("KB", "11101", 20250101)->price.ToString(), "35800");
  EXPECT_EQ(p->Find("KB", "11013", 20250101)->price.ToString(), "39800");
  EXPECT_EQ(p->Find("KB", "11001", 20250101)->price.ToString(), "50600");
  EXPECT_EQ(p->Find("VT-KIMLUON", "11001", 20250101)->kind, ItemKind::kSupply);
  EXPECT_EQ(p->Find("NOPE", "11001", 20250101), nullptr);
}

TEST(PriceList, RejectsBadRowsByName) {
  auto bad = PriceList::Load(
      {},
      "MA_NOI_BO,MA_DICH_VU,TEN_DICH_VU,DON_VI_TINH,DON_GIA,MA_NHOM,TU_NGAY,DEN_NGAY\n"
      "KB,02.1896,Khám,lần,12.3456,13,20240101,\n",
      {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("dvkt.csv row 2, DON_GIA"), std::string::npos);
  auto dates = PriceList::Load(
      {},
      "MA_NOI_BO,MA_DICH_VU,TEN_DICH_VU,DON_VI_TINH,DON_GIA,MA_NHOM,TU_NGAY,DEN_NGAY\n"
      "KB,02.1896,Khám,lần,1,13,20240101,20231231\n",
      {});
  ASSERT_FALSE(dates.ok());
  EXPECT_NE(dates.status().message().find("DEN_NGAY"), std::string::npos);
  auto missing = PriceList::Load({}, "MA_NOI_BO,TEN_DICH_VU\nKB,Khám\n", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("MA_DICH_VU"), std::string::npos);
}

}  // namespace
}  // namespace hb::claims
