// Money checks: each XML2/XML3 line's arithmetic, then the XML1 totals (QĐ 130/4750
// formulas, quoted in docs/implementation/claims-xml.md).
#include <fmt/format.h>

#include "claims/decimal.h"
#include "claims/validator.h"

namespace hb::claims {

namespace {

class Row {
 public:
  Row(const TableRows& t, size_t i) : t_(t), i_(i) {}
  std::string_view S(std::string_view f) const {
    const int at = t_.def->IndexOf(f);
    return at < 0 ? std::string_view() : std::string_view(t_.rows[i_][at]);
  }
  // The value as a Decimal; 0 when empty or malformed (the field checks report those).
  Decimal D(std::string_view f) const { return Decimal::Parse(S(f)).value_or(Decimal()); }
  int P(std::string_view f) const {
    auto d = Decimal::Parse(S(f));
    auto i = d ? d->ToInteger() : std::nullopt;
    return i ? static_cast<int>(*i) : 0;
  }
  int number() const { return static_cast<int>(i_ + 1); }

 private:
  const TableRows& t_;
  size_t i_;
};

void Expect(ClaimErrors& errors, const std::string& table, int row, std::string_view field,
            const Decimal& got, const Decimal& want, std::string_view formula_vi,
            std::string_view formula_en, std::string rule = "line-amount") {
  if (got == want) return;
  errors.push_back(ClaimError{table, row, std::string(field), std::move(rule), got.ToString(),
                              fmt::format("Phải bằng {} = {}", formula_vi, want.ToString()),
                              fmt::format("must equal {} = {}", formula_en, want.ToString())});
}

// The shares of one line (T_NGUONKHAC case (a): other sources pay the patient's parts first).
void CheckShares(ClaimErrors& errors, const std::string& table, const Row& r) {
  const Decimal bv = r.D("THANH_TIEN_BV"), bh = r.D("THANH_TIEN_BH");
  const Decimal nk = r.D("T_NGUONKHAC");
  Expect(errors, table, r.number(), "T_NGUONKHAC", nk,
         r.D("T_NGUONKHAC_NSNN") + r.D("T_NGUONKHAC_VTNN") + r.D("T_NGUONKHAC_VTTN") +
             r.D("T_NGUONKHAC_CL"),
         "T_NGUONKHAC_NSNN + _VTNN + _VTTN + _CL", "T_NGUONKHAC_NSNN + _VTNN + _VTTN + _CL");
  const Decimal bhtt0 = bh.Percent(r.P("MUC_HUONG")).Round(2);
  const Decimal bncct0 = bh - bhtt0, bntt0 = bv - bh;
  Decimal bntt = bntt0, bncct = bncct0, bhtt = bhtt0;
  if (nk > Decimal()) {
    Decimal rest = nk - bntt0;
    bntt = rest > Decimal() ? Decimal() : bntt0 - nk;
    if (rest < Decimal()) rest = Decimal();
    bncct = bncct0 > rest ? bncct0 - rest : Decimal();
    Decimal rest2 = rest - bncct0;
    if (rest2 > Decimal()) bhtt = bhtt0 - rest2;
  }
  Expect(errors, table, r.number(), "T_BHTT", r.D("T_BHTT"), bhtt,
         "THANH_TIEN_BH * MUC_HUONG/100 (làm tròn 2 số lẻ, trừ nguồn khác)",
         "THANH_TIEN_BH * MUC_HUONG/100 (rounded to 2 places, less other sources)");
  Expect(errors, table, r.number(), "T_BNCCT", r.D("T_BNCCT"), bncct,
         "THANH_TIEN_BH - T_BHTT (trừ nguồn khác)", "THANH_TIEN_BH - T_BHTT (less other sources)");
  Expect(errors, table, r.number(), "T_BNTT", r.D("T_BNTT"), bntt,
         "THANH_TIEN_BV - THANH_TIEN_BH (trừ nguồn khác)",
         "THANH_TIEN_BV - THANH_TIEN_BH (less other sources)");
  if (r.P("PHAM_VI") == 2 && (r.P("TYLE_TT_BH") != 0 || !bh.IsZero())) {
    errors.push_back(
        ClaimError{table, r.number(), "TYLE_TT_BH", "scope", std::string(r.S("TYLE_TT_BH")),
                   "Ngoài phạm vi hưởng (PHAM_VI 2): TYLE_TT_BH và THANH_TIEN_BH phải là 0",
                   "outside the scope (PHAM_VI 2): TYLE_TT_BH and THANH_TIEN_BH must be 0"});
  }
}

struct Sums {
  Decimal bv, bh, bntt, bncct, bhtt, nk, gdv, vtyt;
};

void AddTo(Sums& s, const Row& r) {
  s.bv += r.D("THANH_TIEN_BV");
  s.bh += r.D("THANH_TIEN_BH");
  s.bntt += r.D("T_BNTT");
  s.bncct += r.D("T_BNCCT");
  s.bhtt += r.D("T_BHTT");
  s.nk += r.D("T_NGUONKHAC");
  if (r.S("MA_PTTT") == "1") s.gdv += r.D("T_BHTT");
}

}  // namespace

void CheckMoney(const ClaimRecord& rec, ClaimErrors& errors) {
  Sums drugs, services;
  if (const TableRows* x2 = rec.Find("XML2")) {
    for (size_t i = 0; i < x2->rows.size(); ++i) {
      Row r(*x2, i);
      const Decimal qty_price = r.D("SO_LUONG") * r.D("DON_GIA");
      Expect(errors, "XML2", r.number(), "THANH_TIEN_BV", r.D("THANH_TIEN_BV"), qty_price.Round(2),
             "SO_LUONG * DON_GIA (làm tròn 2 số lẻ)", "SO_LUONG * DON_GIA (rounded to 2 places)");
      Expect(errors, "XML2", r.number(), "THANH_TIEN_BH", r.D("THANH_TIEN_BH"),
             qty_price.Percent(r.P("TYLE_TT_BH")).Round(2),
             "SO_LUONG * DON_GIA * TYLE_TT_BH/100 (làm tròn 2 số lẻ)",
             "SO_LUONG * DON_GIA * TYLE_TT_BH/100 (rounded to 2 places)");
      CheckShares(errors, "XML2", r);
      AddTo(drugs, r);
    }
  }
  if (const TableRows* x3 = rec.Find("XML3")) {
    for (size_t i = 0; i < x3->rows.size(); ++i) {
      Row r(*x3, i);
      const int dv = r.P("TYLE_TT_DV");
      Expect(errors, "XML3", r.number(), "THANH_TIEN_BV", r.D("THANH_TIEN_BV"),
             (r.D("SO_LUONG") * r.D("DON_GIA_BV")).Percent(dv).Round(2),
             "SO_LUONG * DON_GIA_BV * TYLE_TT_DV/100 (làm tròn 2 số lẻ)",
             "SO_LUONG * DON_GIA_BV * TYLE_TT_DV/100 (rounded to 2 places)");
      Expect(errors, "XML3", r.number(), "THANH_TIEN_BH", r.D("THANH_TIEN_BH"),
             (r.D("SO_LUONG") * r.D("DON_GIA_BH")).Percent(dv).Percent(r.P("TYLE_TT_BH")).Round(2),
             "SO_LUONG * DON_GIA_BH * TYLE_TT_DV/100 * TYLE_TT_BH/100 (làm tròn 2 số lẻ)",
             "SO_LUONG * DON_GIA_BH * TYLE_TT_DV/100 * TYLE_TT_BH/100 (rounded to 2 places)");
      if (r.D("DON_GIA_BH") > r.D("DON_GIA_BV")) {
        errors.push_back(ClaimError{
            "XML3", r.number(), "DON_GIA_BH", "price", std::string(r.S("DON_GIA_BH")),
            "DON_GIA_BH không được lớn hơn DON_GIA_BV", "DON_GIA_BH may not exceed DON_GIA_BV"});
      }
      CheckShares(errors, "XML3", r);
      AddTo(services, r);
      if (r.S("MA_NHOM") == "10") services.vtyt += r.D("THANH_TIEN_BV");
    }
  }
  const TableRows* x1 = rec.Find("XML1");
  if (!x1 || x1->rows.empty()) return;
  Row s(*x1, 0);
  auto total = [&](std::string_view field, const Decimal& want, std::string_view vi,
                   std::string_view en) {
    Expect(errors, "XML1", 1, field, s.D(field), want, vi, en, "sum");
  };
  total("T_THUOC", drugs.bv, "tổng THANH_TIEN_BV của XML2", "the sum of XML2 THANH_TIEN_BV");
  total("T_VTYT", services.vtyt, "tổng THANH_TIEN_BV của XML3 có MA_NHOM 10",
        "the sum of XML3 THANH_TIEN_BV with MA_NHOM 10");
  total("T_TONGCHI_BV", drugs.bv + services.bv, "tổng THANH_TIEN_BV của XML2 và XML3",
        "the sum of THANH_TIEN_BV over XML2 and XML3");
  total("T_TONGCHI_BH", drugs.bh + services.bh, "tổng THANH_TIEN_BH của XML2 và XML3",
        "the sum of THANH_TIEN_BH over XML2 and XML3");
  total("T_BNTT", drugs.bntt + services.bntt, "tổng T_BNTT của XML2 và XML3",
        "the sum of T_BNTT over XML2 and XML3");
  total("T_BNCCT", drugs.bncct + services.bncct, "tổng T_BNCCT của XML2 và XML3",
        "the sum of T_BNCCT over XML2 and XML3");
  total("T_BHTT", s.D("T_TONGCHI_BH") - s.D("T_BNCCT"), "T_TONGCHI_BH - T_BNCCT",
        "T_TONGCHI_BH - T_BNCCT");
  total("T_NGUONKHAC", drugs.nk + services.nk, "tổng T_NGUONKHAC của XML2 và XML3",
        "the sum of T_NGUONKHAC over XML2 and XML3");
  total("T_BHTT_GDV", drugs.gdv + services.gdv, "tổng T_BHTT các dòng có MA_PTTT 1",
        "the sum of T_BHTT over lines with MA_PTTT 1");
}

}  // namespace hb::claims
