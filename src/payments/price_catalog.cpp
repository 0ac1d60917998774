#include "payments/price_catalog.h"

#include <map>
#include <vector>

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

// One CSV record (RFC 4180 quotes) per line; the tables hold no line breaks in fields.
std::vector<std::string> SplitCsv(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back().push_back(c);
    }
  }
  return out;
}

void Load(std::string_view text, const char* name_column, std::multimap<std::string, Row>* out) {
  std::map<std::string, size_t> col;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> f = SplitCsv(line);
    if (col.empty()) {
      for (size_t i = 0; i < f.size(); ++i) col[f[i]] = i;
      continue;
    }
    auto get = [&](const char* name) -> std::string {
      auto it = col.find(name);
      return it != col.end() && it->second < f.size() ? f[it->second] : std::string();
    };
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
