#include "demo/practitioners.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "demo/dates.h"
#include "demo/fragments.h"

namespace hb::demo {

namespace {

struct ProfessionInfo {
  std::string_view title;        // Vietnamese job title
  std::string_view degree_code;  // v2-0360
  std::string_view degree_display;
  std::string_view degree_text;
  std::string_view role_code;  // practitioner-role
  std::string_view role_display;
  int female_percent;
};

const ProfessionInfo& Info(Profession p) {
  static const ProfessionInfo kInfo[] = {
      {"Bác sĩ", "MD", "Doctor of Medicine", "Bác sĩ y khoa", "doctor", "Doctor", 40},
      {"Y sĩ", "PA", "Physician Assistant", "Y sĩ đa khoa", "doctor", "Doctor", 50},
      {"Điều dưỡng", "RN", "Registered Nurse", "Điều dưỡng", "nurse", "Nurse", 80},
      {"Hộ sinh", "CNM", "Certified Nurse Midwife", "Hộ sinh", "nurse", "Nurse", 100},
      {"Dược sĩ", "RPH", "Registered Pharmacist", "Dược sĩ", "pharmacist", "Pharmacist", 65},
  };
  return kInfo[static_cast<int>(p)];
}

struct Specialty {
  std::string_view snomed, display, text;
};
constexpr Specialty kNone{};
constexpr Specialty kGeneral{"394802001", "General medicine", "Đa khoa"};
constexpr Specialty kInternal{"419192003", "Internal medicine", "Nội khoa"};
constexpr Specialty kPaediatric{"394537008", "Paediatric specialty", "Nhi khoa"};
constexpr Specialty kObstetric{"394585009", "Obstetrics and gynaecology", "Sản phụ khoa"};
constexpr Specialty kSurgery{"394609007", "General surgery", "Ngoại khoa"};
constexpr Specialty kFamily{"419772000", "Family practice", "Y học gia đình"};

struct Post {
  Profession profession;
  Specialty specialty;
};

std::vector<Post> PostsOf(const Facility& f, Rng& rng) {
  using P = Profession;
  switch (f.kind) {
    case FacilityKind::kHospital:
      return {{P::kDoctor, kInternal}, {P::kDoctor, kPaediatric}, {P::kDoctor, kObstetric},
              {P::kDoctor, kSurgery},  {P::kDoctor, kGeneral},    {P::kDoctor, kGeneral},
              {P::kDoctor, kInternal}, {P::kNurse, kNone},        {P::kNurse, kNone},
              {P::kNurse, kNone},      {P::kNurse, kNone},        {P::kMidwife, kNone},
              {P::kMidwife, kNone},    {P::kPharmacist, kNone}};
    case FacilityKind::kDistrictCentre:
      return {{P::kDoctor, kGeneral}, {P::kDoctor, kFamily}, {P::kAssistantPhysician, kGeneral},
              {P::kNurse, kNone},     {P::kNurse, kNone},    {P::kMidwife, kNone}};
    case FacilityKind::kCommuneStation: {
      std::vector<Post> posts;
      posts.push_back(rng.Percent(35) ? Post{P::kDoctor, kFamily}
                                      : Post{P::kAssistantPhysician, kGeneral});
      if (rng.Percent(60)) posts.push_back({rng.Percent(50) ? P::kNurse : P::kMidwife, kNone});
      return posts;
    }
    default:
      return {};
  }
}

Ethnicity StaffEthnicity(Rng& rng) {
  switch (rng.Weighted({45, 35, 15, 5})) {
    case 0:
      return Ethnicity::kKinh;
    case 1:
      return Ethnicity::kThai;
    case 2:
      return Ethnicity::kHmong;
    default:
      return Ethnicity::kKhoMu;
  }
}

}  // namespace

Status EmitStaff(DemoContext& ctx, uint64_t seed) {
  Rng rng(StreamSeed(seed, "staff"));
  const Facility& department = ctx.facilities[ctx.department];
  int serial = 0;
  for (const Facility& f : ctx.facilities) {
    for (const Post& post : PostsOf(f, rng)) {
      ++serial;
      const ProfessionInfo& info = Info(post.profession);
      const std::string prac_id = fmt::format("prac-{:04d}", serial);
      const std::string role_id = fmt::format("role-{:04d}", serial);
      const Gender gender = rng.Percent(info.female_percent) ? Gender::kFemale : Gender::kMale;
      const Ethnicity ethnicity = StaffEthnicity(rng);
      const PersonName name = MakeName(ethnicity, gender, rng);
      const int age = rng.Between(24, 58);
      const int64_t birth_day =
          kReferenceDay - (static_cast<int64_t>(age) * 36525) / 100 - rng.Between(1, 364);
      const int birth_year = CivilFromDays(birth_day).year;
      const int64_t licence_day =
          std::max(DaysFromCivil(2012, 1, 1), birth_day + 24 * 365 + rng.Between(0, 3 * 365));
      const int64_t start_day = std::min(kReferenceDay - 30, licence_day + rng.Between(0, 2 * 365));
      const std::string licence =
          fmt::format("{:06d}/ĐB-{}", 100 + serial * 7 + rng.Between(0, 6),
                      post.profession == Profession::kPharmacist ? "CCHND" : "CCHN");
      const std::string cccd =
          ctx.ids.NewCccd(PickBirthProvince(ethnicity, rng), gender, birth_year, rng);

      JsonWriter w;
      w.BeginResource("Practitioner", prac_id);
      w.ArrayField("identifier");
      WriteIdentifier(w, kTypeLicence, "Chứng chỉ hành nghề", ctx.systems.practitioner_licence,
                      licence);
      WriteIdentifier(w, kTypeNationalId, "Căn cước công dân", ctx.systems.cccd, cccd);
      w.EndArray();
      w.FieldBool("active", true);
      w.ArrayField("name");
      WriteHumanName(w, name, post.profession == Profession::kDoctor ? "BS." : "");
      w.EndArray();
      w.ArrayField("telecom");
      w.StartObject();
      w.Field("system", "phone");
      w.Field("value", MobileNumber(rng));
      w.Field("use", "mobile");
      w.EndObject();
      w.EndArray();
      w.Field("gender", gender == Gender::kMale ? "male" : "female");
      w.Field("birthDate", FormatDate(birth_day));
      w.ArrayField("qualification");
      w.StartObject();
      w.ArrayField("identifier");
      w.StartObject();
      w.Field("system", ctx.systems.practitioner_licence);
      w.Field("value", licence);
      w.EndObject();
      w.EndArray();
      w.CodeableConcept("code", "http://terminology.hl7.org/CodeSystem/v2-0360/2.7",
                        info.degree_code, info.degree_display, info.degree_text);
      w.ObjectField("period");
      w.Field("start", FormatDate(licence_day));
      w.EndObject();
      w.Reference("issuer", "Organization", department.id, department.name);
      w.EndObject();
      w.EndArray();
      WritePractitionerCommunication(w);
      w.EndObject();
      HB_RETURN_IF_ERROR(ctx.emitter.Emit("Practitioner", prac_id, w.Take()));

      w.BeginResource("PractitionerRole", role_id);
      w.FieldBool("active", true);
      w.ObjectField("period");
      w.Field("start", FormatDate(start_day));
      w.EndObject();
      w.Reference("practitioner", "Practitioner", prac_id, name.Full());
      w.Reference("organization", "Organization", f.id, f.name);
      w.ArrayField("code");
      w.StartObject();
      w.ArrayField("coding");
      w.Coding("http://terminology.hl7.org/CodeSystem/practitioner-role", info.role_code,
               info.role_display);
      w.EndArray();
      w.Field("text", info.title);
      w.EndObject();
      w.EndArray();
      if (!post.specialty.snomed.empty()) {
        w.ArrayField("specialty");
        w.StartObject();
        w.ArrayField("coding");
        w.Coding("http://snomed.info/sct", post.specialty.snomed, post.specialty.display);
        w.EndArray();
        w.Field("text", post.specialty.text);
        w.EndObject();
        w.EndArray();
      }
      if (!f.location_id.empty()) {
        w.ArrayField("location");
        w.ReferenceItem("Location", f.location_id, f.name);
        w.EndArray();
      }
      w.EndObject();
      HB_RETURN_IF_ERROR(ctx.emitter.Emit("PractitionerRole", role_id, w.Take()));
      ctx.staff[f.id].push_back(StaffMember{prac_id, name.Full(), post.profession});
    }
  }
  return Status::Ok();
}

}  // namespace hb::demo
