#include "demo/names.h"

#include <algorithm>
#include <array>

namespace hb::demo {

namespace {

using SV = std::string_view;

// Shared middle names.
constexpr SV kVan[] = {"Văn"};
constexpr SV kThi[] = {"Thị"};
constexpr SV kAOrVan[] = {"A", "Văn"};

// Thái (and Tai-speaking neighbours' family names).
constexpr SV kThaiFamily[] = {"Lò", "Lường", "Quàng", "Cầm",    "Tòng",
                              "Lù", "Vì",    "Điêu",  "Khoàng", "Hoàng"};
constexpr uint32_t kThaiFamilyW[] = {22, 14, 14, 8, 10, 8, 8, 6, 4, 6};
constexpr SV kThaiMale[] = {"Ơn",   "Pọm",   "Khẩm",  "Panh", "Xôm",  "Hùng",  "Dũng", "Thắng",
                            "Tuấn", "Cương", "Phong", "Sơn",  "Bình", "Chiến", "Quý",  "Kiên"};
constexpr SV kThaiFemale[] = {"Hoa",  "Ín",   "Ban",  "Xuân", "Lan", "Mai", "Hương", "Nhung",
                              "Thủy", "Hiên", "Ngân", "Vân",  "Oai", "Lả",  "Ánh",   "Duyên"};

// H'Mông.
constexpr SV kHmongFamily[] = {"Giàng", "Vàng", "Sùng", "Thào", "Mùa",
                               "Lý",    "Lầu",  "Hạng", "Cứ",   "Chá"};
constexpr uint32_t kHmongFamilyW[] = {18, 16, 14, 12, 10, 10, 7, 5, 4, 4};
constexpr SV kHmongMale[] = {"Dính", "Páo",   "Chứ", "Sình", "Lềnh",  "Pó",    "Chông",
                             "Tủa",  "Sử",    "Dế",  "Của",  "Phổng", "Chống", "Giống",
                             "Súa",  "Tráng", "Lử",  "Nhà",  "Thề"};
constexpr SV kHmongFemale[] = {"Mỷ",  "Dợ",   "Pà", "Sua", "Chở", "Máy", "Ly",
                               "Xia", "Sinh", "Dí", "Nu",  "Say", "Chi", "Pằng"};

// Kinh.
constexpr SV kKinhFamily[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ",
                              "Đặng",   "Bùi",  "Đỗ", "Ngô",  "Dương", "Đinh"};
constexpr uint32_t kKinhFamilyW[] = {38, 11, 10, 7, 5, 5, 3, 3, 3, 2, 2, 2};
constexpr SV kKinhMaleMiddle[] = {"Văn", "Đức", "Minh", "Quang", "Hữu", "Tiến", "Mạnh", "Công"};
constexpr SV kKinhFemaleMiddle[] = {"Thị", "Thu", "Thùy", "Hồng", "Kim", "Diệu"};
constexpr SV kKinhMale[] = {"Dũng", "Hùng",  "Cường", "Tuấn",  "Hải", "Thắng", "Nam",
                            "Sơn",  "Long",  "Quân",  "Khánh", "Đạt", "Hiếu",  "Trung",
                            "Tùng", "Phong", "Bình",  "Thành", "Huy", "Kiên"};
constexpr SV kKinhFemale[] = {"Lan",    "Hương", "Hoa",   "Mai",   "Hằng", "Nga", "Thảo",
                              "Trang",  "Linh",  "Huyền", "Nhung", "Hà",   "Yến", "Ngọc",
                              "Phương", "Thủy",  "Loan",  "Dung",  "Vân",  "Oanh"};

// Smaller groups share given-name lists in the Tai/Mon-Khmer style of the area.
constexpr SV kMinorityMale[] = {"Xôm", "Pâng",  "Nọi", "Khăm", "Ỏn",  "Phăn",
                                "Bun", "Xiêng", "Thi", "Ten",  "Hặc", "Pánh"};
constexpr SV kMinorityFemale[] = {"Ín",  "Bua", "Mon",  "Kẹo", "Ọn",   "Xỉ",
                                  "Pha", "Ún",  "Liên", "Hoa", "Nhất", "Mẩy"};
constexpr SV kKhoMuFamily[] = {"Lò", "Quàng", "Vì", "Cà", "Lường", "Tòng", "Lù"};
constexpr SV kDaoFamily[] = {"Triệu", "Bàn", "Lý", "Đặng", "Chảo", "Tẩn", "Phùn"};
constexpr SV kDaoMale[] = {"Minh", "Phúc", "Tài", "Quý", "Lở", "Sơn", "Pao", "Chòi"};
constexpr SV kDaoFemale[] = {"Mẩy", "Sinh", "Xoan", "Nhất", "Mùi", "Liều"};
constexpr SV kHaNhiFamily[] = {"Lỳ", "Pờ", "Chu", "Sần", "Lò", "Ly", "Chang", "Phu"};
constexpr SV kHaNhiMale[] = {"Xá", "Phí", "Hờ", "Chừ", "Cò", "Sò", "Giơ", "Phì"};
constexpr SV kHaNhiFemale[] = {"Mé", "Sú", "Xé", "Phà", "Gơ", "Mì"};
constexpr SV kLaoFamily[] = {"Lò", "Vì", "Tòng", "Lường", "Cầm"};
constexpr SV kKhangFamily[] = {"Lò", "Quàng", "Lường", "Vì"};
constexpr SV kCongFamily[] = {"Chang", "Lò", "Pờ", "Pạc"};
constexpr SV kSiLaFamily[] = {"Hù", "Pờ", "Lý"};
constexpr SV kTayFamily[] = {"Hoàng", "Nông", "Lương", "Hà"};
constexpr SV kMuongFamily[] = {"Bùi", "Đinh", "Hà", "Quách"};

constexpr NamingStyle kThaiStyle{kThaiFamily, kThaiFamilyW, kVan, kThi, kThaiMale, kThaiFemale};
constexpr NamingStyle kHmongStyle{kHmongFamily, kHmongFamilyW, kAOrVan, kThi,
                                  kHmongMale,   kHmongFemale,  90};
constexpr NamingStyle kKinhStyle{
    kKinhFamily, kKinhFamilyW, kKinhMaleMiddle, kKinhFemaleMiddle, kKinhMale, kKinhFemale, 40};
constexpr NamingStyle kKhoMuStyle{kKhoMuFamily, {}, kVan, kThi, kMinorityMale, kMinorityFemale};
constexpr NamingStyle kDaoStyle{kDaoFamily, {}, kVan, kThi, kDaoMale, kDaoFemale};
constexpr NamingStyle kHaNhiStyle{kHaNhiFamily, {}, kAOrVan, kThi, kHaNhiMale, kHaNhiFemale, 85};
constexpr NamingStyle kLaoStyle{kLaoFamily, {}, kVan, kThi, kMinorityMale, kMinorityFemale};
constexpr NamingStyle kKhangStyle{kKhangFamily, {}, kVan, kThi, kMinorityMale, kMinorityFemale};
constexpr NamingStyle kCongStyle{kCongFamily, {}, kVan, kThi, kMinorityMale, kMinorityFemale};
constexpr NamingStyle kSiLaStyle{kSiLaFamily, {}, kVan, kThi, kMinorityMale, kMinorityFemale};
constexpr NamingStyle kTayStyle{kTayFamily, {}, kVan, kThi, kThaiMale, kThaiFemale};
constexpr NamingStyle kMuongStyle{kMuongFamily, {}, kVan, kThi, kKinhMale, kKinhFemale};

// Per mille of the population; sums to 1000.
constexpr EthnicGroup kGroups[] = {
    {Ethnicity::kThai, "03", "Thái", 380, &kThaiStyle},
    {Ethnicity::kHmong, "08", "Mông", 350, &kHmongStyle},
    {Ethnicity::kKinh, "01", "Kinh", 180, &kKinhStyle},
    {Ethnicity::kKhoMu, "29", "Khơ Mú", 34, &kKhoMuStyle},
    {Ethnicity::kDao, "09", "Dao", 15, &kDaoStyle},
    {Ethnicity::kHaNhi, "35", "Hà Nhì", 8, &kHaNhiStyle},
    {Ethnicity::kLao, "37", "Lào", 8, &kLaoStyle},
    {Ethnicity::kKhang, "33", "Kháng", 7, &kKhangStyle},
    {Ethnicity::kCong, "48", "Cống", 4, &kCongStyle},
    {Ethnicity::kSiLa, "50", "Si La", 2, &kSiLaStyle},
    {Ethnicity::kTay, "02", "Tày", 6, &kTayStyle},
    {Ethnicity::kMuong, "06", "Mường", 6, &kMuongStyle},
};

constexpr SV kTaiVillages[] = {"Bản Huổi Phạ",   "Bản Noong Bua", "Bản Na Hai",    "Bản Co Mỵ",
                               "Bản Pá Chả",     "Bản Hua Pe",    "Bản Huổi Lóng", "Bản Nà Pen",
                               "Bản Phiêng Ban", "Bản Tà Lèng",   "Bản Nà Lốc",    "Bản Púng Báng",
                               "Bản Văn Hồ",     "Bản Che Căn",   "Bản Mển"};
constexpr SV kHighlandVillages[] = {"Bản Háng Lìa", "Bản Sín Chải", "Bản Pú Ngáy", "Bản Ca Dính",
                                    "Bản Tả Phìn",  "Bản Phình Hồ", "Bản Chua Ta", "Bản Xá Nhè",
                                    "Bản Lồng Sua", "Bản Hồ Củ",    "Bản Sáng Tớ", "Bản Háng Tàu",
                                    "Bản Pa Cheo",  "Bản Tìa Ghềnh"};
constexpr SV kLowlandVillages[] = {"Bản Thanh Bình", "Bản Đông Biên", "Bản Tân Ngoại",
                                   "Bản Bắc Hà",     "Bản Nam Tiến",  "Bản Thống Nhất",
                                   "Bản Đội 9",      "Bản Độc Lập"};

SV PickFrom(std::span<const SV> list, Rng& rng) { return list[rng.Below(list.size())]; }

SV PickMiddle(std::span<const SV> list, int first_percent, Rng& rng) {
  if (list.size() == 1 || rng.Percent(first_percent)) return list[0];
  return list[1 + rng.Below(list.size() - 1)];
}

bool Contains(std::span<const SV> list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

std::span<const EthnicGroup> EthnicGroups() { return kGroups; }

const EthnicGroup& GroupOf(Ethnicity ethnicity) {
  for (const EthnicGroup& g : kGroups) {
    if (g.ethnicity == ethnicity) return g;
  }
  return kGroups[0];  // unreachable: every enumerator has a row
}

const EthnicGroup* GroupByCode(std::string_view code) {
  for (const EthnicGroup& g : kGroups) {
    if (g.code == code) return &g;
  }
  return nullptr;
}

Ethnicity PickEthnicity(Rng& rng) {
  std::array<uint32_t, std::size(kGroups)> weights{};
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = kGroups[i].per_mille;
  return kGroups[rng.Weighted(weights)].ethnicity;
}

PersonName MakeName(Ethnicity ethnicity, Gender gender, Rng& rng) {
  const NamingStyle& s = *GroupOf(ethnicity).style;
  PersonName name;
  name.family =
      s.family_weights.empty() ? PickFrom(s.family, rng) : s.family[rng.Weighted(s.family_weights)];
  const bool male = gender == Gender::kMale;
  name.middle = PickMiddle(male ? s.male_middle : s.female_middle, s.first_middle_percent, rng);
  name.given = PickFrom(male ? s.male_given : s.female_given, rng);
  return name;
}

bool NameFitsGender(Ethnicity ethnicity, Gender gender, std::string_view middle,
                    std::string_view given) {
  const NamingStyle& s = *GroupOf(ethnicity).style;
  const bool male = gender == Gender::kMale;
  return Contains(male ? s.male_middle : s.female_middle, middle) &&
         Contains(male ? s.male_given : s.female_given, given);
}

std::string_view PickVillage(Ethnicity ethnicity, Rng& rng) {
  switch (ethnicity) {
    case Ethnicity::kHmong:
    case Ethnicity::kDao:
    case Ethnicity::kHaNhi:
    case Ethnicity::kSiLa:
      return PickFrom(kHighlandVillages, rng);
    case Ethnicity::kKinh:
      return PickFrom(kLowlandVillages, rng);
    default:
      return PickFrom(kTaiVillages, rng);
  }
}

}  // namespace hb::demo
