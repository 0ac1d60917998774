#include "claims/icd10.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/csv.h"

namespace hb::claims {

std::string UndottedIcd(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c != '.') out.push_back(c);
  }
  return out;
}

Result<Icd10> Icd10::Load(std::string_view csv) {
  HB_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(csv, "icd10-vn-qd4469.csv"));
  HB_RETURN_IF_ERROR(t.Require({"MÃ BỆNH", "MÃ BỆNH KHÔNG DẤU", "TÊN BỆNH", "DISEASE NAME"}));
  const int dotted = t.Column("MÃ BỆNH"), undotted = t.Column("MÃ BỆNH KHÔNG DẤU");
  const int vi = t.Column("TÊN BỆNH"), en = t.Column("DISEASE NAME");
  Icd10 out;
  out.codes_.reserve(t.rows());
  for (size_t i = 0; i < t.rows(); ++i) {
    IcdCode c;
    c.dotted = std::string(t.Get(i, dotted));
    c.undotted = std::string(t.Get(i, undotted));
    if (c.dotted.empty()) continue;
    if (c.undotted.empty()) c.undotted = UndottedIcd(c.dotted);
    c.name_vi = std::string(t.Get(i, vi));
    c.name_en = std::string(t.Get(i, en));
    if (out.by_code_.count(c.dotted)) continue;  // the catalogue repeats a few codes
    out.by_code_[c.dotted] = out.codes_.size();
    out.by_code_[c.undotted] = out.codes_.size();
    out.codes_.push_back(std::move(c));
  }
  if (out.codes_.empty())
    return Status(ErrorCode::kInvalidArgument, "icd10-vn-qd4469.csv holds no codes");
  return out;
}

const IcdCode* Icd10::Find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &codes_[it->second];
}

std::string Icd10::CodeSystemJson(std::string_view id, std::string_view system_url) const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  str("resourceType");
  str("CodeSystem");
  str("id");
  str(id);
  str("url");
  str(system_url);
  str("version");
  str("QĐ 4469/QĐ-BYT 2020");
  str("name");
  str("VnIcd10");
  str("title");
  str("Bảng phân loại quốc tế bệnh tật ICD-10 (QĐ 4469/QĐ-BYT)");
  str("status");
  str("active");
  str("publisher");
  str("Bộ Y tế (Ministry of Health of Viet Nam)");
  str("caseSensitive");
  w.Bool(true);
  str("content");
  str("complete");
  str("count");
  w.Uint(static_cast<unsigned>(codes_.size()));
  str("concept");
  w.StartArray();
  for (const IcdCode& c : codes_) {
    w.StartObject();
    str("code");
    str(c.dotted);
    str("display");
    str(c.name_vi.empty() ? c.name_en : c.name_vi);
    if (!c.name_en.empty()) {
      str("designation");
      w.StartArray();
      w.StartObject();
      str("language");
      str("en");
      str("value");
      str(c.name_en);
      w.EndObject();
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace hb::claims
