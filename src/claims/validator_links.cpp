// Cross-table checks: MA_LK, STT, which tables must be there, dates in order, the card,
// and the fields XML7/XML8/XML13/XML14 repeat from XML1.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "claims/table_mappers.h"
#include "claims/validator.h"

namespace hb::claims {

namespace {

void Error(ClaimErrors& e, std::string table, int row, std::string field, std::string rule,
           std::string value, std::string vi, std::string en) {
  e.push_back(ClaimError{std::move(table), row, std::move(field), std::move(rule), std::move(value),
                         std::move(vi), std::move(en)});
}

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const size_t semi = s.find(';');
    out.emplace_back(s.substr(0, semi));
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return out;
}

void CheckKeys(const ClaimRecord& r, std::string_view ma_lk, ClaimErrors& e) {
  std::set<std::string> seen;
  for (const TableRows& t : r.tables) {
    const TableDef& d = *t.def;
    if (!seen.insert(d.loaihoso).second)
      Error(e, d.loaihoso, 0, "", "duplicate-table", "", "Bảng xuất hiện hai lần trong một hồ sơ",
            "the table appears twice in one HOSO");
    if (!d.repeated() && t.rows.size() > 1)
      Error(e, d.loaihoso, 0, "", "structure", std::to_string(t.rows.size()),
            "Bảng này chỉ có một bản ghi", "this table holds one record");
    const int lk = d.IndexOf("MA_LK"), stt = d.IndexOf("STT");
    for (size_t i = 0; i < t.rows.size(); ++i) {
      if (lk >= 0 && t.rows[i][lk] != ma_lk)
        Error(e, d.loaihoso, static_cast<int>(i + 1), "MA_LK", "ma-lk", t.rows[i][lk],
              "MA_LK khác MA_LK của XML1 (" + std::string(ma_lk) + ")",
              "MA_LK differs from XML1's (" + std::string(ma_lk) + ")");
      if (stt >= 0 && t.rows[i][stt] != std::to_string(i + 1))
        Error(e, d.loaihoso, static_cast<int>(i + 1), "STT", "stt", t.rows[i][stt],
              fmt::format("STT phải tăng dần từ 1, dòng này là {}", i + 1),
              fmt::format("STT must count from 1; this row is {}", i + 1));
    }
  }
}

void RequireTable(const ClaimRecord& r, std::string_view table, bool needed, std::string why_vi,
                  std::string why_en, ClaimErrors& e) {
  const bool present = r.Find(table) != nullptr;
  if (needed && !present)
    Error(e, std::string(table), 0, "", "table-required", "", "Thiếu bảng: " + why_vi,
          "the table is missing: " + why_en);
  if (!needed && present)
    Error(e, std::string(table), 0, "", "table-not-applicable", "", "Bảng không áp dụng: " + why_vi,
          "the table does not apply: " + why_en);
}

void CheckDates(const ClaimRecord& r, ClaimErrors& e) {
  const std::string vao(r.Value("XML1", "NGAY_VAO")), ra(r.Value("XML1", "NGAY_RA"));
  const std::string noitru(r.Value("XML1", "NGAY_VAO_NOI_TRU")), tt(r.Value("XML1", "NGAY_TTOAN"));
  if (vao.size() == 12 && ra.size() == 12 && ra < vao)
    Error(e, "XML1", 1, "NGAY_RA", "date-order", ra, "NGAY_RA trước NGAY_VAO",
          "NGAY_RA is before NGAY_VAO");
  if (!noitru.empty() && vao.size() == 12 && (noitru < vao || (ra.size() == 12 && noitru > ra)))
    Error(e, "XML1", 1, "NGAY_VAO_NOI_TRU", "date-order", noitru,
          "NGAY_VAO_NOI_TRU phải nằm giữa NGAY_VAO và NGAY_RA",
          "NGAY_VAO_NOI_TRU must lie between NGAY_VAO and NGAY_RA");
  if (tt.size() == 12 && tt.find_first_not_of("0123456789") == std::string::npos) {
    if (vao.size() == 12 && tt < vao)
      Error(e, "XML1", 1, "NGAY_TTOAN", "date-order", tt, "NGAY_TTOAN trước NGAY_VAO",
            "NGAY_TTOAN is before NGAY_VAO");
    if (r.Value("XML1", "NAM_QT") != tt.substr(0, 4) ||
        r.Value("XML1", "THANG_QT") != std::to_string(std::stoi(tt.substr(4, 2))))
      Error(e, "XML1", 1, "NAM_QT", "settlement", std::string(r.Value("XML1", "NAM_QT")),
            "NAM_QT/THANG_QT phải là năm/tháng của NGAY_TTOAN",
            "NAM_QT/THANG_QT must be the year/month of NGAY_TTOAN");
  }
  // Orders fall inside the episode (day precision: weekend orders may be dated earlier).
  for (const char* table : {"XML2", "XML3"}) {
    const TableRows* t = r.Find(table);
    if (!t || vao.size() != 12 || ra.size() != 12) continue;
    const int yl = t->def->IndexOf("NGAY_YL");
    for (size_t i = 0; i < t->rows.size(); ++i) {
      const std::string& v = t->rows[i][yl];
      if (v.size() == 12 && (v.substr(0, 8) < vao.substr(0, 8) || v.substr(0, 8) > ra.substr(0, 8)))
        Error(e, table, static_cast<int>(i + 1), "NGAY_YL", "date-range", v,
              "NGAY_YL ngoài khoảng NGAY_VAO - NGAY_RA", "NGAY_YL is outside NGAY_VAO..NGAY_RA");
    }
  }
  // SO_NGAY_DTRI by MA_LOAI_KCB (QĐ 4750): 0 for 01/07/09; RA - VAO + 1 for 02/03/04/06.
  const std::string loai(r.Value("XML1", "MA_LOAI_KCB")), days(r.Value("XML1", "SO_NGAY_DTRI"));
  if ((loai == "01" || loai == "07" || loai == "09") && !days.empty() && days != "0")
    Error(e, "XML1", 1, "SO_NGAY_DTRI", "treatment-days", days, "Khám bệnh: SO_NGAY_DTRI = 0",
          "an examination has SO_NGAY_DTRI = 0");
}

void CheckCard(const ClaimRecord& r, ClaimErrors& e) {
  const std::string card(r.Value("XML1", "MA_THE_BHYT"));
  if (card.empty()) return;
  const auto cards = Split(card), reg = Split(r.Value("XML1", "MA_DKBD"));
  const auto from = Split(r.Value("XML1", "GT_THE_TU")), to = Split(r.Value("XML1", "GT_THE_DEN"));
  for (const auto& [field, parts] :
       {std::pair{"MA_DKBD", reg}, {"GT_THE_TU", from}, {"GT_THE_DEN", to}}) {
    if (parts.size() != cards.size())
      Error(e, "XML1", 1, field, "card", std::string(r.Value("XML1", field)),
            "Mỗi thẻ trong MA_THE_BHYT cần một giá trị tương ứng",
            "each card in MA_THE_BHYT needs its own value here");
  }
  const std::string vao(r.Value("XML1", "NGAY_VAO"));
  if (vao.size() < 8 || from.size() != cards.size() || to.size() != cards.size()) return;
  bool valid = false;
  for (size_t i = 0; i < cards.size(); ++i) {
    if (from[i] <= vao.substr(0, 8) && vao.substr(0, 8) <= to[i]) valid = true;
  }
  if (!valid)
    Error(e, "XML1", 1, "GT_THE_DEN", "card-validity", std::string(r.Value("XML1", "GT_THE_DEN")),
          "Thẻ BHYT không còn giá trị vào NGAY_VAO", "no card is valid on NGAY_VAO");
}

void CheckRepeated(const ClaimRecord& r, ClaimErrors& e) {
  static const std::pair<const char*, std::vector<const char*>> kRepeats[] = {
      {"XML7", {"NGAY_VAO", "NGAY_RA"}},
      {"XML8", {"NGAY_VAO", "NGAY_RA", "MA_LOAI_KCB", "KET_QUA_DTRI"}},
      {"XML13", {"HO_TEN", "NGAY_SINH", "GIOI_TINH", "NGAY_VAO", "NGAY_RA", "MA_BENH_CHINH"}},
      {"XML14", {"HO_TEN", "NGAY_SINH", "GIOI_TINH", "NGAY_VAO", "NGAY_RA", "MA_BENH_CHINH"}},
  };
  for (const auto& [table, fields] : kRepeats) {
    if (!r.Find(table)) continue;
    for (const char* f : fields) {
      if (r.Value(table, f) != r.Value("XML1", f))
        Error(e, table, 1, f, "cross-table", std::string(r.Value(table, f)),
              "Khác giá trị của XML1 (" + std::string(r.Value("XML1", f)) + ")",
              "differs from XML1 (" + std::string(r.Value("XML1", f)) + ")");
    }
  }
  if (r.Find("XML14")) {
    const std::string day = std::string(r.Value("XML14", "NGAY_HEN_KL")).substr(0, 8);
    const auto follow = Split(r.Value("XML1", "NGAY_TAI_KHAM"));
    if (!day.empty() && std::find(follow.begin(), follow.end(), day) == follow.end())
      Error(e, "XML1", 1, "NGAY_TAI_KHAM", "cross-table",
            std::string(r.Value("XML1", "NGAY_TAI_KHAM")),
            "Phải có ngày hẹn khám lại của XML14 (" + day + ")",
            "must hold XML14's follow-up date (" + day + ")");
  }
  if (const TableRows* x4 = r.Find("XML4")) {
    std::set<std::string> billed;
    if (const TableRows* x3 = r.Find("XML3")) {
      const int at = x3->def->IndexOf("MA_DICH_VU");
      for (const auto& row : x3->rows) billed.insert(row[at]);
    }
    const int at = x4->def->IndexOf("MA_DICH_VU");
    for (size_t i = 0; i < x4->rows.size(); ++i) {
      if (!billed.count(x4->rows[i][at]))
        Error(e, "XML4", static_cast<int>(i + 1), "MA_DICH_VU", "cross-table", x4->rows[i][at],
              "Dịch vụ không có trong XML3", "the service is not billed in XML3");
    }
  }
}

}  // namespace

void CheckLinks(const ClaimRecord& r, ClaimErrors& e) {
  const TableRows* x1 = r.Find("XML1");
  if (const TableRows* x0 = r.Find("XML0"); x0 && !x1) {
    // A check-in file, sent at the start of the visit: XML0 alone, one row.
    if (x0->rows.size() != 1 || r.tables.size() != 1)
      Error(e, "XML0", 0, "", "table-required", "", "Hồ sơ check-in chỉ gồm một dòng XML0",
            "a check-in HOSO holds one XML0 row and no other table");
    CheckKeys(r, r.Value("XML0", "MA_LK"), e);
    return;
  }
  if (!x1 || x1->rows.size() != 1) {
    Error(e, "XML1", 0, "", "table-required", "", "Mỗi hồ sơ phải có đúng một XML1",
          "every HOSO needs exactly one XML1");
    return;
  }
  CheckKeys(r, r.Value("XML1", "MA_LK"), e);
  const std::string loai(r.Value("XML1", "MA_LOAI_KCB")), rv(r.Value("XML1", "MA_LOAI_RV"));
  RequireTable(r, "XML5", IsTreatment(loai),
               "XML5 đi cùng các đợt điều trị (MA_LOAI_KCB " + loai + ")",
               "XML5 goes with treatment episodes (MA_LOAI_KCB " + loai + ")", e);
  for (const char* t : {"XML7", "XML8"}) {
    RequireTable(r, t, IsAdmission(loai),
                 std::string(t) + " chỉ dùng cho điều trị nội trú (03, 04, 06)",
                 std::string(t) + " is for admissions only (03, 04, 06)", e);
  }
  RequireTable(r, "XML13", rv == "2" || rv == "5",
               "XML13 đi cùng chuyển tuyến (MA_LOAI_RV 2 hoặc 5)",
               "XML13 goes with referrals (MA_LOAI_RV 2 or 5)", e);
  if (IsAdmission(loai) && r.Value("XML1", "NGAY_VAO_NOI_TRU").empty())
    Error(e, "XML1", 1, "NGAY_VAO_NOI_TRU", "required", "",
          "Điều trị nội trú phải có NGAY_VAO_NOI_TRU", "an admission needs NGAY_VAO_NOI_TRU");
  if ((rv == "2" || rv == "5") && r.Value("XML1", "MA_NOI_DEN").empty())
    Error(e, "XML1", 1, "MA_NOI_DEN", "required", "", "Chuyển tuyến phải có MA_NOI_DEN",
          "a referral needs MA_NOI_DEN");
  // Children under one year need their weight.
  const std::string birth(r.Value("XML1", "NGAY_SINH")), vao(r.Value("XML1", "NGAY_VAO"));
  const bool dated = birth.size() == 12 && vao.size() == 12 && birth.substr(4, 4) != "0000" &&
                     birth.find_first_not_of("0123456789") == std::string::npos &&
                     vao.find_first_not_of("0123456789") == std::string::npos;
  const int age = dated ? std::stoi(vao.substr(0, 4)) - std::stoi(birth.substr(0, 4)) -
                              (vao.substr(4, 4) < birth.substr(4, 4) ? 1 : 0)
                        : 99;
  if (age < 1 && r.Value("XML1", "CAN_NANG").empty())
    Error(e, "XML1", 1, "CAN_NANG", "required", "", "Trẻ dưới 1 tuổi phải có cân nặng",
          "a child under one year needs CAN_NANG");
  CheckDates(r, e);
  CheckCard(r, e);
  CheckRepeated(r, e);
}

}  // namespace hb::claims
