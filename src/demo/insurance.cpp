#include "demo/insurance.h"

namespace hb::demo {

namespace {

constexpr BeneficiaryGroup kGroups[] = {
    {"TE", 1, "Trẻ em dưới 6 tuổi"},
    {"HS", 4, "Học sinh"},
    {"SV", 4, "Sinh viên"},
    {"DT", 2,
     "Người dân tộc thiểu số đang sinh sống tại vùng có điều kiện kinh tế - xã hội khó khăn"},
    {"HN", 2, "Người thuộc hộ gia đình nghèo"},
    {"CN", 3, "Người thuộc hộ gia đình cận nghèo"},
    {"BT", 2, "Người được hưởng trợ cấp xã hội hằng tháng"},
    {"GD", 4, "Người tham gia bảo hiểm y tế theo hộ gia đình"},
    {"DN", 4, "Người lao động làm việc trong doanh nghiệp"},
    {"HC", 4, "Cán bộ, công chức, viên chức"},
    {"HT", 3, "Người hưởng lương hưu"},
};

const BeneficiaryGroup& ByCode(std::string_view code) { return *FindBeneficiaryGroup(code); }

}  // namespace

const BeneficiaryGroup* FindBeneficiaryGroup(std::string_view code) {
  for (const BeneficiaryGroup& g : kGroups) {
    if (g.code == code) return &g;
  }
  return nullptr;
}

const BeneficiaryGroup& PickBeneficiaryGroup(int age, Ethnicity ethnicity, Rng& rng) {
  const bool minority = ethnicity != Ethnicity::kKinh;
  if (age < 6) return ByCode("TE");
  if (age >= 80 && rng.Percent(60)) return ByCode("BT");
  if (age < 18) {
    if (minority) return ByCode(rng.Percent(70) ? "DT" : (rng.Percent(50) ? "HN" : "HS"));
    return ByCode(rng.Percent(85) ? "HS" : "GD");
  }
  if (age < 23 && rng.Percent(15)) return ByCode("SV");
  if (minority) {
    switch (rng.Weighted({55, 25, 5, 5, 4, 3, 3})) {
      case 0:
        return ByCode("DT");
      case 1:
        return ByCode("HN");
      case 2:
        return ByCode("CN");
      case 3:
        return ByCode("GD");
      case 4:
        return ByCode("HC");
      case 5:
        return ByCode("DN");
      default:
        return ByCode(age >= 60 ? "HT" : "GD");
    }
  }
  if (age >= 60 && rng.Percent(50)) return ByCode("HT");
  switch (rng.Weighted({35, 22, 20, 8, 5})) {
    case 0:
      return ByCode("GD");
    case 1:
      return ByCode("HC");
    case 2:
      return ByCode("DN");
    case 3:
      return ByCode("CN");
    default:
      return ByCode("HN");
  }
}

std::string_view BenefitLevelName(int level) {
  switch (level) {
    case 1:
      return "Mức hưởng 1: 100% chi phí, không giới hạn tỷ lệ thanh toán một số thuốc, dịch vụ";
    case 2:
      return "Mức hưởng 2: 100% chi phí trong phạm vi quyền lợi";
    case 3:
      return "Mức hưởng 3: 95% chi phí trong phạm vi quyền lợi";
    case 4:
      return "Mức hưởng 4: 80% chi phí trong phạm vi quyền lợi";
    default:
      return "Mức hưởng 5: 100% chi phí, kể cả chi phí ngoài phạm vi";
  }
}

std::string FormatBhytCard(const BeneficiaryGroup& group, std::string_view province2,
                           std::string_view bhxh10) {
  std::string card(group.code);
  card.push_back(static_cast<char>('0' + group.benefit_level));
  card.append(province2).append(bhxh10);
  return card;
}

}  // namespace hb::demo
