#include "clinical/eprescription.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>

#include "common/hash.h"
#include "common/xml_escape.h"

namespace hb::clinical {

namespace {

// "2026-01-02T08:30:00+07:00" -> "02/01/2026"
std::string ViDate(std::string_view iso) {
  if (iso.size() < 10) return std::string(iso);
  return std::string(iso.substr(8, 2)) + "/" + std::string(iso.substr(5, 2)) + "/" +
         std::string(iso.substr(0, 4));
}

std::string Html(std::string_view s) { return HtmlEscape(s); }

}  // namespace

std::string HtmlEscape(std::string_view s) { return XmlEscaped(s); }

std::string NationalPrescriptionCode(std::string_view facility_code, std::string_view group,
                                     char kind) {
  uint64_t h = Fnv1a64(group);
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string serial(7, '0');
  for (int i = 6; i >= 0; --i) {
    serial[i] = kDigits[h % 36];
    h /= 36;
  }
  std::string facility(facility_code.substr(0, 5));
  while (facility.size() < 5) facility.insert(facility.begin(), '0');
  return facility + serial + "-" + std::string(1, kind);
}

std::string PrescriptionMessageJson(const PrescriptionDoc& doc) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto kv = [&](const char* k, std::string_view v) {
    w.Key(k);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  kv("loai_don_thuoc", doc.code.empty() ? "c" : doc.code.substr(doc.code.size() - 1));
  kv("ma_don_thuoc", doc.code);
  kv("ma_co_so_kham_chua_benh", doc.facility_code);
  kv("ho_ten_benh_nhan", doc.patient_name);
  kv("ngay_sinh_benh_nhan", doc.patient_birth);
  kv("gioi_tinh", doc.patient_gender);
  kv("ma_so_the_bao_hiem_y_te", doc.insurance_number);
  kv("dia_chi", doc.patient_address);
  w.Key("chan_doan");
  w.StartArray();
  for (const auto& [code, name] : doc.diagnoses) {
    w.StartObject();
    kv("ma_chan_doan", code);
    kv("ten_chan_doan", name);
    w.EndObject();
  }
  w.EndArray();
  kv("luu_y", "");
  kv("loi_dan", doc.advice);
  kv("ngay_tai_kham", doc.follow_up);
  kv("ngay_gio_ke_don", doc.issued);
  kv("ten_bac_si", doc.doctor_name);
  kv("so_chung_chi_hanh_nghe", doc.doctor_licence);
  w.Key("thong_tin_don_thuoc");
  w.StartArray();
  for (const auto& l : doc.lines) {
    w.StartObject();
    kv("ma_thuoc", l.drug_code);
    kv("biet_duoc", l.name);
    kv("ten_thuoc", l.ingredient);
    kv("ham_luong", l.strength);
    kv("don_vi_tinh", l.unit);
    kv("so_luong", l.quantity);
    kv("cach_dung", l.instruction);
    kv("duong_dung", l.route);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string PrescriptionHtml(const PrescriptionDoc& doc, std::string_view qr_svg) {
  std::string h;
  h += "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Đơn thuốc " +
       Html(doc.code) + "</title><style>body{font-family:serif;max-width:190mm;margin:10mm auto;"
       "font-size:13pt}h1{text-align:center;font-size:18pt;margin:4mm 0}table{width:100%;"
       "border-collapse:collapse}td,th{border:1px solid #444;padding:2mm;vertical-align:top}"
       ".head{display:flex;justify-content:space-between}.qr svg{width:32mm;height:32mm}"
       ".sign{margin-top:10mm;text-align:right}@media print{.noprint{display:none}}</style>"
       "</head><body>";
  h += "<div class=\"head\"><div><b>" + Html(doc.facility_name) + "</b><br>Mã cơ sở: " +
       Html(doc.facility_code) + "</div><div class=\"qr\">" + std::string(qr_svg) +
       "<br><b>Mã đơn thuốc: " + Html(doc.code) + "</b></div></div>";
  h += "<h1>ĐƠN THUỐC</h1>";
  h += "<p>Họ tên: <b>" + Html(doc.patient_name) + "</b> &nbsp; Ngày sinh: " +
       Html(ViDate(doc.patient_birth)) + " &nbsp; Giới tính: " + Html(doc.patient_gender) + "</p>";
  if (!doc.insurance_number.empty()) h += "<p>Số thẻ BHYT: " + Html(doc.insurance_number) + "</p>";
  if (!doc.patient_address.empty()) h += "<p>Địa chỉ: " + Html(doc.patient_address) + "</p>";
  h += "<p>Chẩn đoán: ";
  for (size_t i = 0; i < doc.diagnoses.size(); ++i) {
    h += (i ? "; " : "") + Html(doc.diagnoses[i].second) + " (" + Html(doc.diagnoses[i].first) + ")";
  }
  h += "</p><table><tr><th>STT</th><th>Tên thuốc, hàm lượng</th><th>Số lượng</th>"
       "<th>Cách dùng</th></tr>";
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    const auto& l = doc.lines[i];
    h += "<tr><td>" + std::to_string(i + 1) + "</td><td><b>" + Html(l.name) + "</b>" +
         (l.ingredient.empty() ? "" : "<br>(" + Html(l.ingredient) + ")") + "</td><td>" +
         Html(l.quantity) + " " + Html(l.unit) + "</td><td>" + Html(l.instruction) +
         (l.route.empty() ? "" : " (" + Html(l.route) + ")") + "</td></tr>";
  }
  h += "</table>";
  if (!doc.advice.empty()) h += "<p>Lời dặn: " + Html(doc.advice) + "</p>";
  if (!doc.follow_up.empty()) h += "<p>Hẹn tái khám: " + Html(ViDate(doc.follow_up)) + "</p>";
  h += "<div class=\"sign\">Ngày " + Html(ViDate(doc.issued)) + "<br>Bác sĩ kê đơn<br><br><br><b>" +
       Html(doc.doctor_name) + "</b></div>";
  h += "<p class=\"noprint\"><small>Đơn thuốc điện tử liên thông Hệ thống Đơn thuốc quốc gia "
       "(Thông tư 04/2022/TT-BYT).</small></p></body></html>";
  return h;
}

}  // namespace hb::clinical
