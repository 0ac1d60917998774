#include "claims/episode_facts.h"

#include <fmt/format.h>

#include <algorithm>

#include "claims/fhir_read.h"
#include "fhir/vn_systems.h"

namespace hb::claims {

namespace {

constexpr std::string_view kIcdWho = "http://hl7.org/fhir/sid/icd-10";
constexpr std::string_view kLoinc = "http://loinc.org";

std::string IcdOf(const fhir::JsonValue& condition) {
  const fhir::JsonValue* code = fhir::Member(condition, "code");
  std::string_view c = CodeIn(code, fhir::vn::Systems().icd10_vn);
  if (c.empty()) c = CodeIn(code, kIcdWho);
  std::string out;
  for (char ch : c) {
    if (ch != '.') out.push_back(ch);
  }
  return out;
}

// Main diagnosis first: Encounter.diagnosis by rank when given, else the conditions in the
// order they were recorded (the demo and the reception write the main one first).
std::vector<const fhir::JsonValue*> OrderedDiagnoses(const Episode& e) {
  std::vector<const fhir::JsonValue*> out;
  for (const auto& c : e.conditions) out.push_back(&c);
  const fhir::JsonValue* dx = fhir::Member(e.encounter, "diagnosis");
  if (!dx || !dx->IsArray()) return out;
  auto rank = [&](const fhir::JsonValue* c) {
    const std::string ref = "Condition/" + std::string(fhir::MemberString(*c, "id"));
    for (const auto& d : dx->GetArray()) {
      if (Str(d, {"condition", "reference"}) == ref) {
        std::string_view r = Num(d, {"rank"});
        return r.empty() ? 1000 : std::stoi(std::string(r));
      }
    }
    return 1000;
  };
  std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
  return out;
}

std::string AdminUnit(const fhir::JsonValue& address, std::string_view part) {
  const fhir::JsonValue* exts = fhir::Member(address, "extension");
  if (!exts || !exts->IsArray()) return {};
  for (const auto& ext : exts->GetArray()) {
    if (fhir::MemberString(ext, "url") != fhir::vn::Systems().ext_address_admin_units) continue;
    const fhir::JsonValue* parts = fhir::Member(ext, "extension");
    if (!parts || !parts->IsArray()) continue;
    for (const auto& p : parts->GetArray()) {
      if (fhir::MemberString(p, "url") == part) return std::string(Str(p, {"valueCoding", "code"}));
    }
  }
  return {};
}

std::string EthnicityOf(const fhir::JsonValue& patient) {
  const fhir::JsonValue* exts = fhir::Member(patient, "extension");
  if (!exts || !exts->IsArray()) return {};
  for (const auto& ext : exts->GetArray()) {
    if (fhir::MemberString(ext, "url") == fhir::vn::Systems().ext_ethnicity)
      return std::string(Str(ext, {"valueCoding", "code"}));
  }
  return {};
}

int64_t DayNumber(const std::string& yyyymmddhhmm) {
  if (yyyymmddhhmm.size() < 8) return 0;
  int64_t m;
  const std::string iso =
      yyyymmddhhmm.substr(0, 4) + "-" + yyyymmddhhmm.substr(4, 2) + "-" + yyyymmddhhmm.substr(6, 2);
  return FhirMinutes(iso, &m) ? (m + 7 * 60) / 1440 : 0;
}

std::string LoaiKcb(const Episode& e, bool inpatient) {
  const std::string_view cls = Str(e.encounter, {"class", "code"});
  if (cls == "SS") return "04";
  if (inpatient) return e.facility.level == FacilityLevel::kCommune ? "06" : "03";
  return "01";
}

std::string KetQua(const Episode& e, const std::vector<const fhir::JsonValue*>& dx) {
  if (CodeIn(At(e.encounter, {"hospitalization", "dischargeDisposition"})) == "exp") return "5";
  if (dx.empty()) return "7";
  std::string_view status = CodeIn(fhir::Member(*dx.front(), "clinicalStatus"));
  if (status == "resolved" || status == "remission" || status == "inactive") return "1";
  if (status == "active" || status == "recurrence" || status == "relapse") return "2";
  return "7";
}

std::string LoaiRv(const Episode& e) {
  std::string_view d = CodeIn(At(e.encounter, {"hospitalization", "dischargeDisposition"}));
  if (d == "other-hcf" || !e.referrals.empty()) return "2";
  if (d == "aadvice") return "4";
  return "1";
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

}  // namespace

std::string BirthField(const fhir::JsonValue& patient) {
  std::string_view b = fhir::MemberString(patient, "birthDate");
  std::string out = "000000000000";
  for (size_t i = 0, o = 0; i < b.size() && o < 8; ++i) {
    if (b[i] != '-') out[o++] = b[i];
  }
  const fhir::JsonValue* bd = fhir::Member(patient, "_birthDate");
  if (bd) {
    const fhir::JsonValue* exts = fhir::Member(*bd, "extension");
    if (exts && exts->IsArray()) {
      for (const auto& ext : exts->GetArray()) {
        if (fhir::MemberString(ext, "url") !=
            "http://hl7.org/fhir/StructureDefinition/patient-birthTime")
          continue;
        std::string t = TableDateTime(Str(ext, {"valueDateTime"}));
        if (!t.empty()) out = t;
      }
    }
  }
  return out;
}

std::string VitalSignsText(const std::vector<const fhir::JsonValue*>& obs) {
  std::vector<std::string> parts;
  auto code = [](const fhir::JsonValue* o) { return CodeIn(fhir::Member(*o, "code"), kLoinc); };
  for (const fhir::JsonValue* o : obs) {
    std::string_view c = code(o);
    std::string_view v = Num(*o, {"valueQuantity", "value"});
    if (c == "8867-4") parts.push_back("M" + std::string(v));
    if (c == "8310-5") parts.push_back("T" + std::string(v));
    if (c == "9279-1") parts.push_back("NT" + std::string(v));
    if (c == "59408-5" || c == "2708-6") parts.push_back("SP" + std::string(v));
    if (c == "85354-9") {
      std::string sys, dia;
      if (const fhir::JsonValue* comps = fhir::Member(*o, "component"); comps && comps->IsArray()) {
        for (const auto& comp : comps->GetArray()) {
          std::string_view cc = CodeIn(fhir::Member(comp, "code"), kLoinc);
          if (cc == "8480-6") sys = std::string(Num(comp, {"valueQuantity", "value"}));
          if (cc == "8462-4") dia = std::string(Num(comp, {"valueQuantity", "value"}));
        }
      }
      if (!sys.empty()) parts.push_back("HA" + sys + "/" + dia);
    }
  }
  return parts.empty() ? std::string() : "CSST<" + Join(parts, "_") + ">";
}

EpisodeFacts ComputeFacts(const Episode& e, const Costing& c) {
  const auto& sys = fhir::vn::Systems();
  EpisodeFacts f;
  const fhir::JsonValue& p = e.patient;
  f.ma_bn = std::string(fhir::MemberString(p, "id"));
  if (const fhir::JsonValue* n = First(p, "name")) f.ho_ten = std::string(Str(*n, {"text"}));
  f.so_cccd = std::string(IdentifierIn(p, sys.cccd));
  f.ngay_sinh = BirthField(p);
  const std::string_view g = fhir::MemberString(p, "gender");
  f.gioi_tinh = g == "male" ? "1" : g == "female" ? "2" : "3";
  f.ma_quoctich = "000";       // Việt Nam; the demo records no other nationality
  f.ma_nghe_nghiep = "00000";  // no occupation recorded: the code the decision gives for it
  f.ma_dantoc = EthnicityOf(p);
  if (const fhir::JsonValue* a = First(p, "address")) {
    f.dia_chi = std::string(Str(*a, {"text"}));
    f.matinh = AdminUnit(*a, "province");
    f.mahuyen = AdminUnit(*a, "district");
    f.maxa = AdminUnit(*a, "commune");
  }
  if (const fhir::JsonValue* tel = fhir::Member(p, "telecom"); tel && tel->IsArray()) {
    for (const auto& t : tel->GetArray()) {
      if (fhir::MemberString(t, "system") == "phone") {
        f.dien_thoai = std::string(fhir::MemberString(t, "value"));
        break;
      }
    }
  }
  f.ma_the = c.benefit.card;
  if (c.benefit.insured) {
    f.ma_dkbd = e.registered.code;
    if (e.coverage) {
      f.gt_the_tu = TableDate(Str(*e.coverage, {"period", "start"}));
      f.gt_the_den = TableDate(Str(*e.coverage, {"period", "end"}));
    }
  }

  f.inpatient = IsInpatient(e);
  f.ma_loai_kcb = LoaiKcb(e, f.inpatient);
  std::string_view dept = CodeIn(First(e.encounter, "serviceType"));
  f.ma_khoa =
      dept.size() == 3 && dept[0] == 'K' ? std::string(dept) : (f.inpatient ? "K03" : "K01");
  f.ngay_vao = TableDateTime(Str(e.encounter, {"period", "start"}));
  f.ngay_ra = TableDateTime(Str(e.encounter, {"period", "end"}));
  if (f.inpatient) f.ngay_vao_noi_tru = f.ngay_vao;
  // No payment record yet: the episode is settled when it ends (docs: NGAY_TTOAN).
  f.ngay_ttoan = f.ngay_ra;
  const std::string& t = f.ma_loai_kcb;
  if (t == "02" || t == "03" || t == "04" || t == "06") {
    f.so_ngay_dtri = std::to_string(DayNumber(f.ngay_ra) - DayNumber(f.ngay_vao) + 1);
  } else {
    f.so_ngay_dtri = "0";
  }
  f.diagnoses = OrderedDiagnoses(e);
  std::vector<std::string> names, extra;
  for (size_t i = 0; i < f.diagnoses.size(); ++i) {
    const fhir::JsonValue& d = *f.diagnoses[i];
    names.emplace_back(ConceptText(fhir::Member(d, "code")));
    if (i == 0) {
      f.ma_benh_chinh = IcdOf(d);
    } else if (extra.size() < 12) {
      extra.push_back(IcdOf(d));
    }
  }
  f.ma_benh_kt = Join(extra, ";");
  f.chan_doan_rv = Join(names, "; ");
  f.chan_doan_vao = names.empty() ? std::string() : names.front();
  std::string_view reason = ConceptText(First(e.encounter, "reasonCode"));
  f.ly_do_vv = reason.empty() ? f.chan_doan_vao : std::string(reason);
  f.ket_qua_dtri = KetQua(e, f.diagnoses);
  f.ma_loai_rv = LoaiRv(e);
  f.ma_hsba = std::string(e.encounter_id());

  std::vector<std::string> drugs;
  for (const CostLine& l : c.drugs) drugs.push_back(l.item->name);
  std::sort(drugs.begin(), drugs.end());
  drugs.erase(std::unique(drugs.begin(), drugs.end()), drugs.end());
  f.pp_dieu_tri = drugs.empty() ? "Theo dõi, tư vấn" : "Điều trị nội khoa: " + Join(drugs, ", ");

  std::string weight_at;
  for (const auto& o : e.observations) {
    if (CodeIn(fhir::Member(o, "code"), kLoinc) != "29463-7") continue;
    std::string_view at = Str(o, {"effectiveDateTime"});
    auto v = Decimal::Parse(Num(o, {"valueQuantity", "value"}));
    if (v && std::string(at) >= weight_at) {
      weight_at = std::string(at);
      f.can_nang = v->Round(2).ToString();
    }
  }
  std::vector<std::string> follow_ups;
  for (const auto& a : e.appointments) follow_ups.push_back(TableDate(Str(a, {"start"})));
  f.ngay_tai_kham = Join(follow_ups, ";");
  if (const fhir::JsonValue* parts = fhir::Member(e.encounter, "participant");
      parts && parts->IsArray()) {
    for (const auto& pa : parts->GetArray()) {
      std::string_view pid = RefId(fhir::Member(pa, "individual"), "Practitioner");
      const PractitionerFacts* pf = pid.empty() ? nullptr : e.Practitioner(pid);
      if (!pf) continue;
      f.doctor = pf->licence;
      f.doctor_name = pf->name;
      break;
    }
  }
  if (f.ma_loai_rv == "2") {
    std::string_view dest;
    if (!e.referrals.empty()) dest = RefId(First(e.referrals.front(), "performer"), "Organization");
    if (dest.empty())
      dest = RefId(At(e.encounter, {"hospitalization", "destination"}), "Organization");
    auto it = e.organizations.find(std::string(dest));
    if (it != e.organizations.end()) f.ma_noi_den = it->second.code;
  }
  return f;
}

}  // namespace hb::claims
