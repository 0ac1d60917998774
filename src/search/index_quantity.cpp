// number and quantity parameters (R4 search §3.1.1.4.1, §3.1.1.4.5): decimals as
// DecimalKeys; Quantity (and Age, Duration, ...) with system/code/unit and, for UCUM
// units, the value in base units; Money with its currency.
#include <string>

#include "fhirpath/ucum.h"
#include "search/decimal_key.h"
#include "search/index_values.h"
#include "search/quantity_units.h"

namespace hb::search {

std::string UcumDimension(std::string_view code) {
  auto u = fhirpath::ParseUcum(code);
  if (!u) return {};
  std::string s;
  for (size_t i = 0; i < u->dimension.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(u->dimension[i]);
  }
  return s;
}

bool ConvertToUnit(const SearchValue& v, std::string_view code, std::string* key,
                   std::string* low_key, std::string* high_key) {
  auto from = fhirpath::ParseUcum(v.code);
  auto to = fhirpath::ParseUcum(code);
  if (!from || !to || from->dimension != to->dimension) return false;
  auto b = DecimalRange(v.number);
  if (!b) return false;
  fhirpath::Decimal low = b->low, high = b->high;
  if (v.prefix == Prefix::kAp) {
    auto tenth = fhirpath::Decimal::Div(b->value.Abs(), fhirpath::Decimal::FromInteger(10));
    if (!tenth) return false;
    low = *fhirpath::Decimal::Sub(b->value, *tenth);
    high = *fhirpath::Decimal::Add(b->value, *tenth);
  }
  // x in `to` = x in `from` * factor(from) / factor(to)
  auto convert = [&](const fhirpath::Decimal& x, std::string* out) {
    auto m = fhirpath::Decimal::Mul(x, from->factor);
    auto d = m ? fhirpath::Decimal::Div(*m, to->factor) : std::nullopt;
    if (!d) return false;
    *out = DecimalKey(*d);
    return true;
  };
  return convert(b->value, key) && convert(low, low_key) && convert(high, high_key);
}

}  // namespace hb::search

namespace hb::search::internal {

namespace {

void AddQuantity(std::string_view param, std::string_view value, std::string_view system,
                 std::string_view code, std::string_view unit, IndexEntries* out) {
  auto key = DecimalKey(value);
  if (!key) return;
  QuantityEntry e{param, std::move(*key), std::string(system), std::string(code), std::string(unit),
                  {}};
  if (system == kUcumSystem && !code.empty()) e.canonical_unit = UcumDimension(code);
  out->quantities.push_back(std::move(e));
}

}  // namespace

void AddNumberValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out) {
  using K = fhirpath::ItemKind;
  std::string text;
  if (item.kind() == K::kInteger) {
    text = std::to_string(item.integer());
  } else if (item.kind() == K::kDecimal) {
    text = item.decimal().ToString();
  } else if (item.is_node() && fhir::IsNumber(item.json())) {
    text = std::string(fhir::NumberText(item.json()));
  } else {
    return;
  }
  if (auto key = DecimalKey(text)) out->numbers.push_back({param, std::move(*key)});
}

void AddQuantityValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out) {
  if (item.kind() == fhirpath::ItemKind::kQuantity) {
    fhirpath::Quantity q = item.quantity();
    if (q.calendar) return;
    return AddQuantity(param, q.value.ToString(), kUcumSystem, q.unit, q.unit, out);
  }
  if (!item.is_node() || !item.json().IsObject()) {
    return AddNumberValues(param, item, out);  // a bare number: no unit
  }
  const fhir::JsonValue& v = item.json();
  const fhir::JsonValue* value = fhir::Member(v, "value");
  if (value == nullptr || !fhir::IsNumber(*value)) return;
  std::string_view number = fhir::NumberText(*value);
  if (item.node_type() == "Money") {
    std::string_view currency = fhir::MemberString(v, "currency");
    return AddQuantity(param, number, currency.empty() ? "" : "urn:iso:std:iso:4217", currency,
                       currency, out);
  }
  AddQuantity(param, number, fhir::MemberString(v, "system"), fhir::MemberString(v, "code"),
              fhir::MemberString(v, "unit"), out);
}

}  // namespace hb::search::internal
