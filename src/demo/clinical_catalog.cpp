#include "demo/clinical_catalog.h"

#include <vector>

namespace hb::demo {

namespace {

// icd, weight <15, weight 15+, ages, sex, chronic, fever %, inpatient %, medicines
constexpr DiagnosisSpec kDiagnoses[] = {
    {"J00", 60, 45, 0, 120, '*', false, 40, 0, {"paracetamol", ""}},
    {"J02.9", 25, 25, 2, 120, '*', false, 50, 0, {"paracetamol", "amoxicillin"}},
    {"J03.9", 20, 12, 3, 60, '*', false, 60, 0, {"amoxicillin", "paracetamol"}},
    {"J06.9", 80, 40, 0, 120, '*', false, 50, 1, {"paracetamol", ""}},
    {"J20.9", 25, 20, 0, 120, '*', false, 40, 3, {"paracetamol", ""}},
    {"J18.9", 15, 8, 0, 120, '*', false, 80, 45, {"amoxicillin", "paracetamol"}},
    {"J45.9", 4, 6, 5, 120, '*', true, 0, 8, {"salbutamol", ""}},
    {"A09.0", 45, 15, 0, 120, '*', false, 30, 8, {"oresol", "zinc"}},
    {"B82.9", 15, 0, 2, 14, '*', false, 0, 0, {"albendazole", ""}},
    {"E44.1", 12, 0, 0, 5, '*', true, 0, 5, {"zinc", ""}},
    {"D50.9", 5, 6, 1, 50, '*', true, 0, 0, {"iron", ""}},
    {"K02.1", 10, 8, 3, 70, '*', false, 0, 0, {"paracetamol", ""}},
    {"H10.9", 8, 6, 0, 120, '*', false, 0, 0, {"chloramphenicol-eye", ""}},
    {"L30.9", 8, 8, 0, 120, '*', false, 0, 0, {"cetirizine", ""}},
    {"J30.4", 4, 6, 5, 120, '*', true, 0, 0, {"cetirizine", ""}},
    {"K29.7", 0, 30, 15, 120, '*', false, 0, 2, {"omeprazole", ""}},
    {"K29.5", 0, 12, 25, 120, '*', true, 0, 0, {"omeprazole", ""}},
    {"I10", 0, 45, 35, 120, '*', true, 0, 4, {"amlodipine", ""}},
    {"E11.9", 0, 18, 35, 120, '*', true, 0, 5, {"metformin", ""}},
    {"M54.5", 0, 30, 20, 120, '*', false, 0, 0, {"meloxicam", ""}},
    {"M54.2", 0, 12, 20, 120, '*', false, 0, 0, {"meloxicam", ""}},
    {"M17.9", 0, 14, 45, 120, '*', true, 0, 0, {"meloxicam", "paracetamol"}},
    {"N39.0", 1, 10, 15, 120, 'F', false, 30, 5, {"ciprofloxacin", ""}},
    {"Z34.9", 0, 16, 16, 44, 'F', false, 0, 0, {"iron", ""}},
    {"O80.0", 0, 8, 16, 44, 'F', false, 0, 100, {"iron", ""}},
    {"A15.0", 0, 2, 15, 120, '*', true, 30, 60, {"rhze", ""}},
};

// key, ages, text, ATC, ATC display, unit, dose, frequency, period, unit, prn, days, dispense,
// unit, eye, text
constexpr MedicineSpec kMedicines[] = {
    {"paracetamol", 12, 120, "Paracetamol 500 mg (viên nén)", "N02BE01", "paracetamol", "viên", 1,
     1, 6, "h", true, 3, 10, "viên", false,
     "Uống 1 viên khi sốt trên 38,5 °C hoặc khi đau, cách nhau ít nhất 6 giờ, không quá 4 "
     "viên/ngày"},
    {"paracetamol", 0, 11, "Paracetamol 250 mg (gói bột)", "N02BE01", "paracetamol", "gói", 1, 1, 6,
     "h", true, 3, 8, "gói", false,
     "Hòa 1 gói với 20 ml nước, uống khi sốt trên 38,5 °C, cách nhau ít nhất 6 giờ"},
    {"amoxicillin", 12, 120, "Amoxicilin 500 mg (viên nang)", "J01CA04", "amoxicillin", "viên", 1,
     3, 1, "d", false, 7, 21, "viên", false,
     "Uống 1 viên/lần, 3 lần/ngày (sáng, chiều, tối), dùng đủ 7 ngày"},
    {"amoxicillin", 0, 11, "Amoxicilin 250 mg (gói bột)", "J01CA04", "amoxicillin", "gói", 1, 3, 1,
     "d", false, 7, 21, "gói", false, "Hòa 1 gói với nước, uống 3 lần/ngày, dùng đủ 7 ngày"},
    {"salbutamol", 5, 120, "Salbutamol 2 mg (viên nén)", "R03CC02", "salbutamol", "viên", 1, 3, 1,
     "d", false, 7, 21, "viên", false,
     "Uống 1 viên/lần, 3 lần/ngày; tái khám ngay nếu khó thở tăng"},
    {"oresol", 0, 120, "Oresol 245 (gói 4,22 g)", "A07CA", "oral rehydration salt formulations",
     "gói", 1, 1, 4, "h", true, 3, 6, "gói", false,
     "Pha 1 gói với 200 ml nước đun sôi để nguội, uống từng ngụm sau mỗi lần đi ngoài; pha dùng "
     "trong ngày"},
    {"zinc", 0, 14, "Kẽm sulfat 10 mg (gói)", "A12CB01", "zinc sulfate", "gói", 1, 1, 1, "d", false,
     10, 10, "gói", false, "Uống 1 gói/ngày, dùng đủ 10 ngày"},
    {"albendazole", 2, 120, "Albendazol 400 mg (viên nhai)", "P02CA03", "albendazole", "viên", 1, 1,
     1, "d", false, 1, 1, "viên", false, "Nhai 1 viên, liều duy nhất, sau bữa ăn"},
    {"iron", 12, 120, "Viên sắt (sắt sulfat 60 mg + acid folic 0,4 mg)", "B03AD03",
     "ferrous sulfate", "viên", 1, 1, 1, "d", false, 30, 30, "viên", false,
     "Uống 1 viên/ngày, trước bữa ăn 1 giờ hoặc sau ăn 2 giờ"},
    {"chloramphenicol-eye", 0, 120, "Cloramphenicol 0,4% (lọ nhỏ mắt 10 ml)", "S01AA01",
     "chloramphenicol", "giọt", 2, 4, 1, "d", false, 7, 1, "lọ", true,
     "Nhỏ 1–2 giọt vào mắt bệnh/lần, 4 lần/ngày, dùng 7 ngày"},
    {"cetirizine", 6, 120, "Cetirizin 10 mg (viên nén)", "R06AE07", "cetirizine", "viên", 1, 1, 1,
     "d", false, 7, 7, "viên", false, "Uống 1 viên/ngày vào buổi tối"},
    {"omeprazole", 15, 120, "Omeprazol 20 mg (viên nang)", "A02BC01", "omeprazole", "viên", 1, 1, 1,
     "d", false, 14, 14, "viên", false, "Uống 1 viên trước bữa ăn sáng 30 phút"},
    {"amlodipine", 18, 120, "Amlodipin 5 mg (viên nén)", "C08CA01", "amlodipine", "viên", 1, 1, 1,
     "d", false, 30, 30, "viên", false,
     "Uống 1 viên vào buổi sáng, dùng hằng ngày, không tự ý ngừng thuốc"},
    {"metformin", 18, 120, "Metformin 500 mg (viên nén)", "A10BA02", "metformin", "viên", 1, 2, 1,
     "d", false, 30, 60, "viên", false, "Uống 1 viên/lần, 2 lần/ngày, ngay sau bữa ăn sáng và tối"},
    {"meloxicam", 18, 120, "Meloxicam 7,5 mg (viên nén)", "M01AC06", "meloxicam", "viên", 1, 1, 1,
     "d", false, 7, 7, "viên", false, "Uống 1 viên/ngày sau bữa ăn no"},
    {"ciprofloxacin", 18, 120, "Ciprofloxacin 500 mg (viên nén)", "J01MA02", "ciprofloxacin",
     "viên", 1, 2, 1, "d", false, 7, 14, "viên", false,
     "Uống 1 viên/lần, 2 lần/ngày cách nhau 12 giờ, uống nhiều nước"},
    {"rhze", 15, 120,
     "RHZE (rifampicin 150 mg, isoniazid 75 mg, pyrazinamid 400 mg, ethambutol 275 mg)", "J04AM06",
     "rifampicin, pyrazinamide, ethambutol and isoniazid", "viên", 3, 1, 1, "d", false, 56, 168,
     "viên", false,
     "Uống 3 viên một lần vào buổi sáng lúc đói, đều đặn hằng ngày trong 2 tháng tấn công"},
};

}  // namespace

std::span<const DiagnosisSpec> Diagnoses() { return kDiagnoses; }

std::span<const std::string_view> DiagnosisCodes() {
  static const std::vector<std::string_view> codes = [] {
    std::vector<std::string_view> out;
    for (const DiagnosisSpec& d : kDiagnoses) out.push_back(d.icd);
    return out;
  }();
  return codes;
}

const DiagnosisSpec& PickDiagnosis(int age, Gender gender, Rng& rng) {
  uint32_t weights[std::size(kDiagnoses)];
  for (size_t i = 0; i < std::size(kDiagnoses); ++i) {
    const DiagnosisSpec& d = kDiagnoses[i];
    const bool fits = age >= d.min_age && age <= d.max_age &&
                      (d.sex == '*' || (d.sex == 'F') == (gender == Gender::kFemale));
    weights[i] = fits ? (age < 15 ? d.weight_child : d.weight_adult) : 0;
  }
  return kDiagnoses[rng.Weighted(weights)];  // J00 fits everyone, so the total is > 0
}

const DiagnosisSpec* FindDiagnosis(std::string_view icd) {
  for (const DiagnosisSpec& d : kDiagnoses) {
    if (d.icd == icd) return &d;
  }
  return nullptr;
}

const MedicineSpec* FindMedicine(std::string_view key, int age) {
  for (const MedicineSpec& m : kMedicines) {
    if (m.key == key && age >= m.min_age && age <= m.max_age) return &m;
  }
  return nullptr;
}

}  // namespace hb::demo
