#include "claims/price_list.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "claims/code_lists.h"
#include "common/csv.h"
#include "claims/resources.h"

namespace hb::claims {

namespace {

Status RowError(std::string_view file, size_t row, std::string_view column,
                std::string_view problem) {
  return Status(ErrorCode::kInvalidArgument, std::string(file) + " row " + std::to_string(row + 2) +
                                                 ", " + std::string(column) + ": " +
                                                 std::string(problem));
}

Result<int> Int(const CsvTable& t, size_t row, std::string_view col, int fallback,
                std::string_view file) {
  std::string_view s = t.Get(row, col);
  if (s.empty()) return fallback;
  auto d = Decimal::Parse(s);
  if (!d || !d->ToInteger()) return RowError(file, row, col, "not a whole number");
  return static_cast<int>(*d->ToInteger());
}

std::vector<std::string> SplitCodes(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const size_t semi = s.find(';');
    std::string_view part = s.substr(0, semi);
    if (!part.empty()) out.emplace_back(part);
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return out;
}

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Status PriceList::Add(ItemKind kind, std::string_view csv, std::string_view file) {
  if (csv.empty()) return Status::Ok();
  HB_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(csv, file));
  const char* code_col = kind == ItemKind::kDrug      ? "MA_THUOC"
                         : kind == ItemKind::kService ? "MA_DICH_VU"
                                                      : "MA_VAT_TU";
  const char* name_col = kind == ItemKind::kDrug      ? "TEN_THUOC"
                         : kind == ItemKind::kService ? "TEN_DICH_VU"
                                                      : "TEN_VAT_TU";
  HB_RETURN_IF_ERROR(t.Require({"MA_NOI_BO", code_col, name_col, "DON_VI_TINH", "DON_GIA",
                                "MA_NHOM", "TU_NGAY", "DEN_NGAY"}));
  for (size_t i = 0; i < t.rows(); ++i) {
    PriceItem p;
    p.kind = kind;
    p.local_code = std::string(t.Get(i, "MA_NOI_BO"));
    p.national_code = std::string(t.Get(i, code_col));
    p.name = std::string(t.Get(i, name_col));
    p.unit = std::string(t.Get(i, "DON_VI_TINH"));
    p.strength = std::string(t.Get(i, "HAM_LUONG"));
    p.route_code = std::string(t.Get(i, "MA_DUONG_DUNG"));
    p.dosage_form = std::string(t.Get(i, "DANG_BAO_CHE"));
    p.registration = std::string(t.Get(i, "SO_DANG_KY"));
    p.tender = std::string(t.Get(i, "TT_THAU"));
    if (p.local_code.empty() || p.national_code.empty() || p.name.empty())
      return RowError(file, i, "MA_NOI_BO", "the code, national code and name are required");
    auto price = Decimal::Parse(t.Get(i, "DON_GIA"));
    if (!price || price->IsNegative() || price->DecimalPlaces() > 3)
      return RowError(file, i, "DON_GIA", "not a price with at most 3 decimals");
    p.price = *price;
    p.insured_price = p.price;
    if (std::string_view bh = t.Get(i, "DON_GIA_BH"); !bh.empty()) {
      auto insured = Decimal::Parse(bh);
      if (!insured || insured->IsNegative() || insured->DecimalPlaces() > 3)
        return RowError(file, i, "DON_GIA_BH", "not a price with at most 3 decimals");
      p.insured_price = *insured;
    }
    HB_ASSIGN_OR_RETURN(p.group, Int(t, i, "MA_NHOM", 0, file));
    HB_ASSIGN_OR_RETURN(p.service_rate, Int(t, i, "TYLE_TT_DV", 100, file));
    HB_ASSIGN_OR_RETURN(p.insured_rate, Int(t, i, "TYLE_TT_BH", 100, file));
    HB_ASSIGN_OR_RETURN(p.scope, Int(t, i, "PHAM_VI", 1, file));
    p.valid_from = ParseDay(t.Get(i, "TU_NGAY"));
    p.valid_to = ParseDay(t.Get(i, "DEN_NGAY"));
    if (p.valid_from <= 0) return RowError(file, i, "TU_NGAY", "not a yyyyMMdd date");
    if (p.valid_to < 0 || (p.valid_to > 0 && p.valid_to < p.valid_from))
      return RowError(file, i, "DEN_NGAY", "not a yyyyMMdd date on or after TU_NGAY");
    p.facilities = SplitCodes(t.Get(i, "MA_CSKCB"));
    items_[p.local_code].push_back(std::move(p));
  }
  return Status::Ok();
}

Result<PriceList> PriceList::Load(std::string_view drugs_csv, std::string_view services_csv,
                                  std::string_view supplies_csv) {
  PriceList list;
  HB_RETURN_IF_ERROR(list.Add(ItemKind::kDrug, drugs_csv, "thuoc.csv"));
  HB_RETURN_IF_ERROR(list.Add(ItemKind::kService, services_csv, "dvkt.csv"));
  HB_RETURN_IF_ERROR(list.Add(ItemKind::kSupply, supplies_csv, "vtyt.csv"));
  return list;
}

Result<PriceList> PriceList::LoadDir(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) return Status(ErrorCode::kNotFound, "no price list folder " + dir);
  auto read = [&](const char* name) {
    const fs::path p = fs::path(dir) / name;
    return fs::exists(p) ? ReadAll(p) : std::string();
  };
  return Load(read("thuoc.csv"), read("dvkt.csv"), read("vtyt.csv"));
}

std::vector<const PriceItem*> PriceList::ValidOn(std::string_view facility, int day) const {
  std::vector<const PriceItem*> out;
  for (const auto& [code, versions] : items_) {
    if (const PriceItem* item = Find(code, facility, day)) out.push_back(item);
  }
  return out;
}

const PriceItem* PriceList::Find(std::string_view local_code, std::string_view facility,
                                 int day) const {
  auto it = items_.find(local_code);
  if (it == items_.end()) return nullptr;
  const PriceItem* general = nullptr;
  for (const PriceItem& p : it->second) {
    if (day < p.valid_from || (p.valid_to > 0 && day > p.valid_to)) continue;
    if (p.facilities.empty()) {
      general = &p;
      continue;
    }
    for (const std::string& f : p.facilities) {
      if (f == facility) return &p;
    }
  }
  return general;
}

size_t PriceList::size() const {
  size_t n = 0;
  for (const auto& [code, versions] : items_) n += versions.size();
  return n;
}

Status InstallDemoPriceList(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kUnavailable, "cannot create " + dir + ": " + ec.message());
  for (const char* name : {"thuoc.csv", "dvkt.csv", "vtyt.csv"}) {
    const fs::path p = fs::path(dir) / name;
    if (fs::exists(p)) continue;
    std::ofstream out(p, std::ios::binary);
    out << EmbeddedResource(std::string("demo-price-list/") + name);
    if (!out) return Status(ErrorCode::kUnavailable, "cannot write " + p.string());
  }
  return Status::Ok();
}

}  // namespace hb::claims
