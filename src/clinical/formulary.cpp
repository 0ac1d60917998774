#include "clinical/formulary.h"

#include "common/csv.h"
#include "common/embedded.h"

HB_EMBEDDED(hb_clinical_formulary)
HB_EMBEDDED(hb_clinical_interactions)

namespace hb::clinical {

namespace {

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (true) {
    size_t j = s.find(';', i);
    std::string_view part = s.substr(i, j == std::string_view::npos ? s.npos : j - i);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    out.emplace_back(part);
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}

Result<double> ParseAmount(std::string_view s, std::string_view what) {
  std::string t(s);
  for (char& c : t) {
    if (c == ',') c = '.';
  }
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(t, &used);
  } catch (...) {
    used = 0;
  }
  if (used != t.size() || v < 0) {
    return Status(ErrorCode::kInvalidArgument, std::string(what) + ": '" + t + "' is not a number");
  }
  return v;
}

Status LoadInteractions(std::string_view csv, std::string_view file,
                        std::vector<Interaction>* out) {
  HB_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(csv, file));
  HB_RETURN_IF_ERROR(t.Require({"HOAT_CHAT_1", "HOAT_CHAT_2", "MUC_DO", "CANH_BAO"}));
  for (size_t i = 0; i < t.rows(); ++i) {
    Interaction x;
    x.atc_a = std::string(t.Get(i, "HOAT_CHAT_1"));
    x.atc_b = std::string(t.Get(i, "HOAT_CHAT_2"));
    x.severity = std::string(t.Get(i, "MUC_DO"));
    x.warning = std::string(t.Get(i, "CANH_BAO"));
    x.source = std::string(t.Get(i, "NGUON"));
    if (x.atc_a.empty() || x.atc_b.empty() || x.warning.empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    std::string(file) + " row " + std::to_string(i + 2) +
                        ": HOAT_CHAT_1, HOAT_CHAT_2 and CANH_BAO are required");
    }
    out->push_back(std::move(x));
  }
  return Status::Ok();
}

}  // namespace

std::string_view EmbeddedFormularyCsv() { return hb_clinical_formulary_view(); }
std::string_view EmbeddedInteractionsCsv() { return hb_clinical_interactions_view(); }

Result<Formulary> Formulary::Load(std::string_view drugs_csv, std::string_view interactions_csv,
                                  std::string_view extra_interactions_csv) {
  HB_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(drugs_csv, "drug-formulary.csv"));
  HB_RETURN_IF_ERROR(t.Require({"MA_NOI_BO", "TEN_THUOC", "HOAT_CHAT", "MA_ATC", "HAM_LUONG",
                                "DON_VI_HAM_LUONG", "LIEU_TOI_DA_NGAY"}));
  Formulary f;
  for (size_t i = 0; i < t.rows(); ++i) {
    const std::string where = "drug-formulary.csv row " + std::to_string(i + 2);
    Drug d;
    d.code = std::string(t.Get(i, "MA_NOI_BO"));
    d.name = std::string(t.Get(i, "TEN_THUOC"));
    d.unit = std::string(t.Get(i, "DON_VI_TINH"));
    d.form = std::string(t.Get(i, "DANG_BAO_CHE"));
    d.route = std::string(t.Get(i, "DUONG_DUNG"));
    d.route_code = std::string(t.Get(i, "MA_DUONG_DUNG"));
    d.source = std::string(t.Get(i, "NGUON"));
    auto names = SplitList(t.Get(i, "HOAT_CHAT")), atcs = SplitList(t.Get(i, "MA_ATC")),
         strengths = SplitList(t.Get(i, "HAM_LUONG")), units = SplitList(t.Get(i, "DON_VI_HAM_LUONG")),
         maxes = SplitList(t.Get(i, "LIEU_TOI_DA_NGAY"));
    if (d.code.empty() || atcs.size() != names.size() || strengths.size() != names.size() ||
        units.size() != names.size() || (maxes.size() != names.size() && maxes != std::vector<std::string>{""})) {
      return Status(ErrorCode::kInvalidArgument,
                    where + ": each ingredient needs its ATC code, strength, unit and maximum");
    }
    for (size_t k = 0; k < names.size(); ++k) {
      Ingredient ing;
      ing.name = names[k];
      ing.atc = atcs[k];
      HB_ASSIGN_OR_RETURN(ing.strength, ParseAmount(strengths[k], where + " HAM_LUONG"));
      ing.unit = units[k];
      if (k < maxes.size() && !maxes[k].empty()) {
        HB_ASSIGN_OR_RETURN(double m, ParseAmount(maxes[k], where + " LIEU_TOI_DA_NGAY"));
        ing.max_daily = m;
      }
      d.ingredients.push_back(std::move(ing));
    }
    f.drugs_.push_back(std::move(d));
  }
  HB_RETURN_IF_ERROR(LoadInteractions(interactions_csv, "drug-interactions.csv", &f.interactions_));
  if (!extra_interactions_csv.empty()) {
    HB_RETURN_IF_ERROR(LoadInteractions(extra_interactions_csv,
                                        "drug-interactions.csv (data folder)", &f.interactions_));
  }
  return f;
}

const Drug* Formulary::Find(std::string_view code) const {
  for (const Drug& d : drugs_) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

const Interaction* Formulary::FindInteraction(std::string_view a, std::string_view b) const {
  for (const Interaction& x : interactions_) {
    if ((x.atc_a == a && x.atc_b == b) || (x.atc_a == b && x.atc_b == a)) return &x;
  }
  return nullptr;
}

}  // namespace hb::clinical
