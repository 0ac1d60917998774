#include "claims/test_episode.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "claims/code_lists.h"
#include "claims/resources.h"
#include "fhir/vn_systems.h"

namespace hb::claims::testing {

namespace {

fhir::JsonDoc Parse(std::string_view json) {
  auto d = fhir::ParseJson(json);
  if (!d.ok()) throw std::runtime_error("test JSON: " + d.status().message());
  return std::move(d).value();
}

std::string Sys(std::string_view slug) { return fhir::vn::Systems().base + std::string(slug); }

std::string Charge(std::string_view id, std::string_view code, std::string_view qty,
                   std::string_view at, std::string_view service = {}) {
  std::string s =
      R"({"resourceType":"ChargeItem","id":")" + std::string(id) +
      R"(","status":"billable","code":{"coding":[{"system":")" + Sys("charge-code") +
      R"(","code":")" + std::string(code) +
      R"("}]},"subject":{"reference":"Patient/p1"},"context":{"reference":"Encounter/e1"},"occurrenceDateTime":")" +
      std::string(at) + R"(","quantity":{"value":)" + std::string(qty) +
      R"(},"enterer":{"reference":"Practitioner/dr"},"performer":[{"actor":{"reference":"Practitioner/nurse"}}])";
  if (!service.empty()) s += R"(,"service":[{"reference":")" + std::string(service) + R"("}])";
  return s + "}";
}

}  // namespace

void SetJson(fhir::JsonDoc& doc, std::string_view json) { doc = Parse(json); }

Episode MakeEpisode() {
  Episode e;
  e.encounter = Parse(
      R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
      "subject":{"reference":"Patient/p1"},"participant":[{"type":[{"coding":[{"code":"PPRF"}]}],"individual":{"reference":"Practitioner/dr"}}],
      "period":{"start":"2025-03-10T08:15:00+07:00","end":"2025-03-14T09:30:00+07:00"},
      "hospitalization":{"dischargeDisposition":{"coding":[{"code":"home"}]}},
      "serviceProvider":{"reference":"Organization/org-11011"}})");
  e.patient = Parse(
      R"({"resourceType":"Patient","id":"p1","extension":[{"url":")" + Sys("extension/ethnicity") +
      R"(","valueCoding":{"code":"03"}}],"identifier":[{"system":")" + Sys("cccd") +
      R"(","value":"011090123456"}],"name":[{"text":"Lò Văn An"}],"gender":"male","birthDate":"1990-03-15",
                    "address":[{"extension":[{"url":")" +
      Sys("extension/address-admin-units") +
      R"(","extension":[{"url":"province","valueCoding":{"code":"11"}},{"url":"district","valueCoding":{"code":"094"}},{"url":"commune","valueCoding":{"code":"03127"}}]}],
                    "text":"Bản Huổi Phạ, Phường Him Lam, Thành phố Điện Biên Phủ, Tỉnh Điện Biên"}]})");
  e.coverage = Parse(
      R"({"resourceType":"Coverage","id":"c1","status":"active","identifier":[{"system":")" +
      Sys("bhyt-card") +
      R"(","value":"GD4111234567890"}],"beneficiary":{"reference":"Patient/p1"},"payor":[{"reference":"Organization/bhxh"}],
                     "period":{"start":"2025-01-01","end":"2025-12-31"}})");
  e.facility = {"org-11011", "11011", "Trung tâm Y tế thành phố Điện Biên Phủ",
                FacilityLevel::kDistrict};
  e.registered = {"org-11101", "11101", "Trạm Y tế phường Him Lam", FacilityLevel::kCommune};
  e.conditions.push_back(Parse(
      R"({"resourceType":"Condition","id":"d1","clinicalStatus":{"coding":[{"code":"resolved"}]},
      "code":{"coding":[{"system":")" +
      Sys("icd-10-vn") +
      R"(","code":"J18.9"}],"text":"Viêm phổi, không đặc hiệu"},"subject":{"reference":"Patient/p1"}})"));
  e.conditions.push_back(Parse(
      R"J({"resourceType":"Condition","id":"d2","clinicalStatus":{"coding":[{"code":"active"}]},
      "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"I10"}],"text":"Tăng huyết áp vô căn (nguyên phát)"},"subject":{"reference":"Patient/p1"}})J"));
  e.medication_requests.push_back(Parse(
      R"({"resourceType":"MedicationRequest","id":"rx1","status":"completed","intent":"order","subject":{"reference":"Patient/p1"},
      "authoredOn":"2025-03-10T08:40:00+07:00","requester":{"reference":"Practitioner/dr"},
      "dosageInstruction":[{"text":"Uống 1 viên/lần, 3 lần/ngày","timing":{"repeat":{"frequency":3,"period":1,"periodUnit":"d"}},
      "doseAndRate":[{"doseQuantity":{"value":1,"unit":"viên"}}]}]})"));
  e.medication_dispenses.push_back(Parse(
      R"({"resourceType":"MedicationDispense","id":"md1","status":"completed","authorizingPrescription":[{"reference":"MedicationRequest/rx1"}],
      "whenHandedOver":"2025-03-10T09:00:00+07:00"})"));
  e.observations.push_back(Parse(
      R"J({"resourceType":"Observation","id":"cbc","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"code":{"text":"Tổng phân tích tế bào máu"},
      "effectiveDateTime":"2025-03-10T09:10:00+07:00","issued":"2025-03-10T10:00:00+07:00","performer":[{"reference":"Practitioner/nurse"}],
      "component":[{"code":{"text":"Số lượng bạch cầu (WBC)"},"valueQuantity":{"value":12.5,"unit":"G/L"}},{"code":{"text":"Huyết sắc tố (HGB)"},"valueQuantity":{"value":131,"unit":"g/L"}}]})J"));
  e.observations.push_back(Parse(
      R"({"resourceType":"Observation","id":"hr","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
      "effectiveDateTime":"2025-03-10T08:20:00+07:00","performer":[{"reference":"Practitioner/nurse"}],"valueQuantity":{"value":96}})"));
  e.observations.push_back(Parse(
      R"({"resourceType":"Observation","id":"temp","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8310-5"}]},
      "effectiveDateTime":"2025-03-10T08:20:00+07:00","performer":[{"reference":"Practitioner/nurse"}],"valueQuantity":{"value":38.6}})"));
  e.observations.push_back(Parse(
      R"({"resourceType":"Observation","id":"wt","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},
      "effectiveDateTime":"2025-03-10T08:20:00+07:00","valueQuantity":{"value":56.25}})"));
  e.charge_items.push_back(Parse(Charge("ci1", "KB", "1", "2025-03-10T08:20:00+07:00")));
  e.charge_items.push_back(Parse(
      Charge("ci2", "T-AMOX500", "21", "2025-03-10T09:00:00+07:00", "MedicationDispense/md1")));
  e.charge_items.push_back(
      Parse(Charge("ci3", "XN-CTM", "1", "2025-03-10T09:10:00+07:00", "Observation/cbc")));
  e.charge_items.push_back(Parse(Charge("ci4", "VT-BOMTIEM5", "2", "2025-03-10T09:15:00+07:00")));
  e.charge_items.push_back(Parse(Charge("ci5", "GIUONG-NOI", "4", "2025-03-14T09:30:00+07:00")));
  e.appointments.push_back(Parse(
      R"({"resourceType":"Appointment","id":"ap1","status":"booked","start":"2025-04-13T08:00:00+07:00",
      "created":"2025-03-14","participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]})"));
  e.practitioners["dr"] = {"000110/ĐB-CCHN", "Điêu Văn Cương"};
  e.practitioners["nurse"] = {"000220/ĐB-CCHN", "Quàng Thị Hoa"};
  return e;
}

const PriceList& TestPrices() {
  static const PriceList prices = [] {
    auto p = PriceList::Load(EmbeddedResource("demo-price-list/thuoc.csv"),
                             EmbeddedResource("demo-price-list/dvkt.csv"),
                             EmbeddedResource("demo-price-list/vtyt.csv"));
    if (!p.ok()) throw std::runtime_error(p.status().message());
    return std::move(p).value();
  }();
  return prices;
}

const Icd10& TestIcd() {
  static const Icd10 icd = [] {
    std::ifstream in(HB_ICD10_CSV, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto i = Icd10::Load(ss.str());
    if (!i.ok()) throw std::runtime_error(i.status().message());
    return std::move(i).value();
  }();
  return icd;
}

Catalogs TestCatalogs() { return Catalogs{&CodeLists::Embedded(), &TestPrices(), &TestIcd()}; }

}  // namespace hb::claims::testing
