#include "demo/catalogs.h"

#include <algorithm>
#include <set>
#include <utility>

#include "common/csv.h"

namespace hb::demo {

namespace {

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

// Index of `name` in the header row, or npos.
size_t Column(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::string::npos;
}

}  // namespace

size_t Province::CommuneCount() const {
  size_t n = 0;
  for (const District& d : districts) n += d.communes.size();
  return n;
}

Result<Province> LoadProvince(std::string_view admin_units_csv, std::string_view province_code) {
  HB_ASSIGN_OR_RETURN(auto rows, ParseCsv(admin_units_csv, "administrative units"));
  if (rows.empty()) return Invalid("administrative units: empty catalogue");
  const auto& header = rows.front();
  const size_t c_pname = Column(header, "province_name"), c_pcode = Column(header, "province_code");
  const size_t c_dname = Column(header, "district_name"), c_dcode = Column(header, "district_code");
  const size_t c_cname = Column(header, "commune_name"), c_ccode = Column(header, "commune_code");
  const size_t c_level = Column(header, "level");
  for (size_t c : {c_pname, c_pcode, c_dname, c_dcode, c_cname, c_ccode, c_level}) {
    if (c == std::string::npos) return Invalid("administrative units: missing header column");
  }
  const size_t width = header.size();
  Province province;
  province.code = std::string(province_code);
  std::set<std::string> seen_communes;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() != width)
      return Invalid("administrative units: row " + std::to_string(r + 1) +
                     " has the wrong number of fields");
    if (row[c_pcode] != province_code) continue;
    province.name = row[c_pname];
    auto it = std::find_if(province.districts.begin(), province.districts.end(),
                           [&](const District& d) { return d.code == row[c_dcode]; });
    if (it == province.districts.end()) {
      province.districts.push_back(District{row[c_dcode], row[c_dname], {}});
      it = province.districts.end() - 1;
    }
    if (!seen_communes.insert(row[c_ccode]).second) {
      return Invalid("administrative units: duplicate commune code " + row[c_ccode]);
    }
    it->communes.push_back(Commune{row[c_ccode], row[c_cname], row[c_level]});
  }
  if (province.CommuneCount() == 0) {
    return Invalid("administrative units: no communes for province " + province.code);
  }
  std::sort(province.districts.begin(), province.districts.end(),
            [](const District& a, const District& b) { return a.code < b.code; });
  return province;
}

Result<std::map<std::string, IcdEntry, std::less<>>> LoadIcdCodes(
    std::string_view icd10_csv, std::span<const std::string_view> wanted) {
  HB_ASSIGN_OR_RETURN(auto rows, ParseCsv(icd10_csv, "ICD-10"));
  if (rows.empty()) return Invalid("ICD-10: empty catalogue");
  const auto& header = rows.front();
  const size_t c_code = Column(header, "MÃ BỆNH");
  const size_t c_en = Column(header, "DISEASE NAME");
  const size_t c_vi = Column(header, "TÊN BỆNH");
  if (c_code == std::string::npos || c_en == std::string::npos || c_vi == std::string::npos) {
    return Invalid("ICD-10: missing header column");
  }
  std::set<std::string_view> want(wanted.begin(), wanted.end());
  std::map<std::string, IcdEntry, std::less<>> out;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() <= std::max({c_code, c_en, c_vi})) continue;
    if (!want.contains(row[c_code])) continue;
    out.try_emplace(row[c_code], IcdEntry{row[c_code], row[c_vi], row[c_en]});
  }
  for (std::string_view code : wanted) {
    if (!out.contains(code)) return Invalid("ICD-10: catalogue lacks code " + std::string(code));
  }
  return out;
}

}  // namespace hb::demo
