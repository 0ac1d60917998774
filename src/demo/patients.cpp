#include "demo/patients.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <vector>

#include "demo/dates.h"
#include "demo/facilities.h"
#include "demo/fragments.h"
#include "demo/insurance.h"
#include "demo/life_course.h"

namespace hb::demo {

namespace {

// Share of each 5-year age band (0-4, 5-9, ..., 90-94), per ten thousand: a young
// population, about 30% under 15.
constexpr uint32_t kAgeBands[] = {1050, 1000, 950, 850, 800, 800, 800, 750, 650, 550,
                                  500,  400,  350, 250, 150, 100, 60,  30,  10};

int64_t PickBirthDay(Rng& rng) {
  const int age = static_cast<int>(rng.Weighted(kAgeBands)) * 5 + rng.Between(0, 4);
  // A birthday within the year before the age's anniversary.
  return kReferenceDay - (static_cast<int64_t>(age) * 36525) / 100 - rng.Between(1, 365);
}

// District weights by ethnic group, keyed by the 2024 district codes of Điện Biên
// (094 Điện Biên Phủ, 095 Mường Lay, 096 Mường Nhé, 097 Mường Chà, 098 Tủa Chùa,
// 099 Tuần Giáo, 100 Điện Biên, 101 Điện Biên Đông, 102 Mường Ảng, 103 Nậm Pồ).
constexpr std::string_view kDistrictCodes[] = {"094", "095", "096", "097", "098",
                                               "099", "100", "101", "102", "103"};
using DistrictWeights = std::array<uint32_t, 10>;

DistrictWeights WeightsOf(Ethnicity e) {
  switch (e) {
    case Ethnicity::kThai:
      return {14, 4, 3, 6, 2, 20, 30, 6, 12, 3};
    case Ethnicity::kHmong:
      return {1, 1, 14, 16, 20, 12, 6, 14, 4, 12};
    case Ethnicity::kKinh:
      return {45, 6, 4, 4, 3, 10, 18, 3, 5, 2};
    case Ethnicity::kKhoMu:
      return {5, 1, 2, 10, 1, 25, 20, 20, 15, 1};
    case Ethnicity::kDao:
      return {1, 1, 40, 20, 15, 1, 1, 10, 1, 10};
    case Ethnicity::kHaNhi:
      return {0, 0, 90, 10, 0, 0, 0, 0, 0, 0};
    case Ethnicity::kLao:
      return {15, 0, 20, 0, 0, 0, 65, 0, 0, 0};
    case Ethnicity::kKhang:
      return {0, 30, 0, 40, 30, 0, 0, 0, 0, 0};
    case Ethnicity::kCong:
      return {0, 0, 60, 0, 0, 0, 0, 0, 0, 40};
    case Ethnicity::kSiLa:
      return {0, 0, 100, 0, 0, 0, 0, 0, 0, 0};
    default:
      return {40, 5, 0, 5, 0, 20, 25, 0, 5, 0};  // Tày, Mường
  }
}

// A district (weighted by group where the catalogue is Điện Biên's) and a commune in it.
std::pair<int, int> PickHome(const Province& p, Ethnicity e, Rng& rng) {
  std::vector<uint32_t> weights(p.districts.size(), 1);
  const DistrictWeights dw = WeightsOf(e);
  uint64_t known = 0;
  for (size_t d = 0; d < p.districts.size(); ++d) {
    for (size_t k = 0; k < std::size(kDistrictCodes); ++k) {
      if (p.districts[d].code == kDistrictCodes[k]) weights[d] = dw[k], known += dw[k];
    }
  }
  if (known == 0) std::fill(weights.begin(), weights.end(), 1);
  const int d = static_cast<int>(rng.Weighted(weights));
  const auto& communes = p.districts[d].communes;
  std::vector<uint32_t> cw(communes.size());
  const bool kinh = e == Ethnicity::kKinh;
  for (size_t c = 0; c < communes.size(); ++c) {
    const bool urban = communes[c].level != "Xã";
    cw[c] = urban ? (kinh ? 6 : 1) : (kinh ? 1 : 3);
  }
  return {d, static_cast<int>(rng.Weighted(cw))};
}

std::string CoverageJson(const DemoContext& ctx, const PatientRecord& p,
                         const BeneficiaryGroup& group, const std::string& card,
                         const std::string& coverage_id, int64_t start, int64_t end) {
  const Facility& payer = ctx.facilities[ctx.payer];
  JsonWriter w;
  w.BeginResource("Coverage", coverage_id);
  w.ArrayField("identifier");
  w.StartObject();
  w.Field("system", ctx.systems.bhyt_card);
  w.Field("value", card);
  w.EndObject();
  w.EndArray();
  w.Field("status", "active");
  w.CodeableConcept("type", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "PUBLICPOL",
                    "public healthcare", "Bảo hiểm y tế");
  w.Reference("subscriber", "Patient", p.id, p.name);
  w.Field("subscriberId", card);
  w.Reference("beneficiary", "Patient", p.id, p.name);
  w.CodeableConcept("relationship", "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
                    "self", "Self");
  w.ObjectField("period");
  w.Field("start", FormatDate(start));
  w.Field("end", FormatDate(end));
  w.EndObject();
  w.ArrayField("payor");
  w.ReferenceItem("Organization", payer.id, payer.name);
  w.EndArray();
  w.ArrayField("class");
  w.StartObject();
  w.CodeableConcept("type", "http://terminology.hl7.org/CodeSystem/coverage-class", "group",
                    "Group");
  w.Field("value", group.code);
  w.Field("name", group.name);
  w.EndObject();
  w.StartObject();
  w.CodeableConcept("type", "http://terminology.hl7.org/CodeSystem/coverage-class", "plan", "Plan");
  w.Field("value", std::string(1, static_cast<char>('0' + group.benefit_level)));
  w.Field("name", BenefitLevelName(group.benefit_level));
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace

int64_t PatientRecord::EndDay() const { return deceased ? death_day : kReferenceDay; }

Result<PatientRecord> EmitPatient(DemoContext& ctx, int number, Rng& rng) {
  PatientRecord p;
  p.number = number;
  p.id = fmt::format("pat-{:06d}", number);
  p.ethnicity = PickEthnicity(rng);
  p.gender = rng.Percent(50) ? Gender::kMale : Gender::kFemale;
  const PersonName name = MakeName(p.ethnicity, p.gender, rng);
  p.name = name.Full();
  p.birth_day = PickBirthDay(rng);
  const int birth_year = CivilFromDays(p.birth_day).year;
  const int age = AgeOn(p.birth_day, kReferenceDay);
  std::tie(p.district, p.commune) = PickHome(ctx.province, p.ethnicity, rng);
  if (ctx.lifelong) DrawDeath(ctx, p);
  const Facility& station = StationOf(ctx, p.district, p.commune);
  const EthnicGroup& group = GroupOf(p.ethnicity);

  const std::string cccd =
      ctx.ids.NewCccd(PickBirthProvince(p.ethnicity, rng), p.gender, birth_year, rng);
  const bool has_cmnd = age >= 25 && rng.Percent(45);
  const std::string cmnd = has_cmnd ? ctx.ids.NewCmnd(rng) : std::string();
  p.insured = rng.Percent(90);
  const BeneficiaryGroup* beneficiary =
      p.insured ? &PickBeneficiaryGroup(age, p.ethnicity, rng) : nullptr;
  const std::string bhxh =
      p.insured ? ctx.ids.NewNumber(ctx.province.code, 10, rng) : std::string();
  const std::string card =
      p.insured ? FormatBhytCard(*beneficiary, ctx.province.code, bhxh) : std::string();
  // Cards are renewed yearly; the demo records one validity spanning its visits.
  int64_t card_start = std::max(p.birth_day, DaysFromCivil(2024, 1, 1));
  int64_t card_end = DaysFromCivil(2026, 12, 31);
  if (beneficiary && beneficiary->code == "TE") {
    const CivilDate b = CivilFromDays(p.birth_day);
    card_end = std::min(card_end, DaysFromCivil(b.year + 6, b.month, b.day));  // 72 months old
  }
  if (p.deceased) {  // the last card ends with its holder
    const int64_t death_year = DaysFromCivil(CivilFromDays(p.death_day).year, 1, 1);
    card_start = std::max(p.birth_day, std::min(card_start, death_year));
    card_end = std::min(card_end, p.death_day);
  }
  const bool has_phone = age >= 16 && rng.Percent(p.ethnicity == Ethnicity::kKinh ? 75 : 45);
  const std::string village = ctx.province.districts[p.district].communes[p.commune].level == "Xã"
                                  ? std::string(PickVillage(p.ethnicity, rng))
                                  : fmt::format("Tổ dân phố {}", rng.Between(1, 12));

  JsonWriter w;
  w.BeginResource("Patient", p.id);
  w.ArrayField("extension");
  w.StartObject();
  w.Field("url", ctx.systems.ext_ethnicity);
  w.Key("valueCoding");
  w.Coding(ctx.systems.ethnic_group, group.code, group.display);
  w.EndObject();
  w.EndArray();
  w.ArrayField("identifier");
  WriteIdentifier(w, kTypeNationalId, "Số định danh cá nhân (CCCD)", ctx.systems.cccd, cccd);
  if (has_cmnd)
    WriteIdentifier(w, kTypeNationalId, "Chứng minh nhân dân", ctx.systems.cmnd, cmnd, "old");
  if (p.insured) {
    w.StartObject();
    w.Field("use", "official");
    w.CodeableConcept("type", "http://terminology.hl7.org/CodeSystem/v2-0203", kTypeMember.code,
                      kTypeMember.display, "Mã thẻ BHYT");
    w.Field("system", ctx.systems.bhyt_card);
    w.Field("value", card);
    w.ObjectField("period");
    w.Field("start", FormatDate(card_start));
    w.Field("end", FormatDate(card_end));
    w.EndObject();
    w.Reference("assigner", "Organization", ctx.facilities[ctx.payer].id,
                ctx.facilities[ctx.payer].name);
    w.EndObject();
    WriteIdentifier(w, kTypeSocialBeneficiary, "Mã số BHXH", ctx.systems.bhxh, bhxh, "secondary");
  }
  w.EndArray();
  w.FieldBool("active", true);
  w.ArrayField("name");
  WriteHumanName(w, name);
  w.EndArray();
  if (has_phone) {
    w.ArrayField("telecom");
    w.StartObject();
    w.Field("system", "phone");
    w.Field("value", MobileNumber(rng));
    w.Field("use", "mobile");
    w.EndObject();
    w.EndArray();
  }
  w.Field("gender", p.gender == Gender::kMale ? "male" : "female");
  w.Field("birthDate", FormatDate(p.birth_day));
  if (p.deceased) w.Field("deceasedDateTime", FormatDateTime(p.death_day, DeathMinute(p)));
  w.ArrayField("address");
  WriteAddress(w, ctx, p.district, p.commune, village, "home");
  w.EndArray();
  WriteVietnameseCommunication(w);
  w.ArrayField("generalPractitioner");
  w.ReferenceItem("Organization", station.id, station.name);
  w.EndArray();
  w.Reference("managingOrganization", "Organization", station.id, station.name);
  w.EndObject();
  HB_RETURN_IF_ERROR(ctx.emitter.Emit("Patient", p.id, w.Take()));

  if (p.insured) {
    const std::string coverage_id = fmt::format("cov-{:06d}", number);
    HB_RETURN_IF_ERROR(ctx.emitter.Emit(
        "Coverage", coverage_id,
        CoverageJson(ctx, p, *beneficiary, card, coverage_id, card_start, card_end)));
    if (ctx.lifelong) {
      // The yearly cards before this one, since 2015 (Luật BHYT 2014) or birth.
      const CivilDate b = CivilFromDays(p.birth_day);
      for (int year = std::max(2015, static_cast<int>(b.year)); year < CivilFromDays(card_start).year; ++year) {
        const int64_t start = std::max(p.birth_day, DaysFromCivil(year, 1, 1));
        const int64_t end = DaysFromCivil(year, 12, 31);
        const bool child = AgeOn(p.birth_day, start) < 6;
        const BeneficiaryGroup& g = child ? *FindBeneficiaryGroup("TE") : *beneficiary;
        const std::string old_card = FormatBhytCard(g, ctx.province.code, bhxh);
        const std::string old_id = fmt::format("cov-{:06d}-{}", number, year);
        HB_RETURN_IF_ERROR(ctx.emitter.Emit(
            "Coverage", old_id, CoverageJson(ctx, p, g, old_card, old_id, start, end)));
      }
    }
  }
  return p;
}

}  // namespace hb::demo
