#include "payments/price_catalog.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

#include "common/csv.h"
#include "common/embedded.h"
#include "payments/vnd.h"

HB_EMBEDDED(hb_price_dvkt)
HB_EMBEDDED(hb_price_thuoc)
HB_EMBEDDED(hb_price_vtyt)

namespace hb::payments {

namespace {

struct Row {
  CatalogPrice price;
  std::string from, to;    // YYYYMMDD; empty: open
  std::string facilities;  // ';'-separated MA_CSKCB; empty: every facility
};

void Load(std::string_view text, const char* name_column, std::multimap<std::string, Row>* out) {
  // The catalogues are linked into the binary: a malformed one is a build defect.
  auto table = CsvTable::Parse(text, name_column);
  if (!table.ok()) {
    std::fprintf(stderr, "healthbook: price catalogue: %s\n", table.status().message().c_str());
    std::abort();
  }
  for (size_t i = 0; i < table->rows(); ++i) {
    auto get = [&](const char* name) { return std::string(table->Get(i, name)); };
    auto price = ParseVnd(get("DON_GIA"));
    if (!price) continue;
    Row r;
    r.price.unit_price = *price;
    r.price.display = get(name_column);
    std::string ratio = get("TYLE_TT_BH");
    if (auto v = ParseVnd(ratio); v && *v >= 0 && *v <= 100) r.price.insurance_ratio = int(*v);
    r.price.in_scope = get("PHAM_VI") != "2" && get("PHAM_VI") != "3";
    r.from = get("TU_NGAY");
    r.to = get("DEN_NGAY");
    r.facilities = get("MA_CSKCB");
    // Only the facility's own code identifies one price: a national code (MA_THUOC 40.48,
    // say) is shared by every brand of the active ingredient at different prices.
    if (std::string internal = get("MA_NOI_BO"); !internal.empty()) out->emplace(internal, r);
  }
}

const std::multimap<std::string, Row>& Catalog() {
  static const auto* rows = [] {
    auto* m = new std::multimap<std::string, Row>();
    Load(hb_price_dvkt_view(), "TEN_DICH_VU", m);
    Load(hb_price_thuoc_view(), "TEN_THUOC", m);
    Load(hb_price_vtyt_view(), "TEN_VAT_TU", m);
    return m;
  }();
  return *rows;
}

bool ListsFacility(std::string_view list, std::string_view facility) {
  while (!list.empty()) {
    size_t semi = list.find(';');
    if (list.substr(0, semi) == facility) return true;
    list = semi == std::string_view::npos ? std::string_view() : list.substr(semi + 1);
  }
  return false;
}

}  // namespace

std::optional<CatalogPrice> FindCatalogPrice(std::string_view code, std::string_view facility,
                                             std::string_view date) {
  const Row* general = nullptr;
  const Row* own = nullptr;
  auto [lo, hi] = Catalog().equal_range(std::string(code));
  for (auto it = lo; it != hi; ++it) {
    const Row& r = it->second;
    if (!r.from.empty() && date < r.from) continue;
    if (!r.to.empty() && date > r.to) continue;
    if (r.facilities.empty()) {
      general = &r;
    } else if (!facility.empty() && ListsFacility(r.facilities, facility)) {
      own = &r;
    }
  }
  if (own) return own->price;
  if (general) return general->price;
  return std::nullopt;
}

}  // namespace hb::payments
