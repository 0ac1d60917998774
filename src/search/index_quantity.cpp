// number and quantity parameters (R4 search §3.1.1.4.1, §3.1.1.4.5): decimals as
// DecimalKeys; Quantity (and Age, Duration, ...) with system/code/unit and, for UCUM
// units, the value in base units; Money with its currency.
#include <string>

#include "fhirpath/ucum.h"
#include "search/decimal_key.h"
#include "search/index_values.h"

namespace hb::search::internal {

namespace {

constexpr std::string_view kUcum = "http://unitsofmeasure.org";

std::string DimensionText(const fhirpath::UnitDimension& d) {
  std::string s;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(d[i]);
  }
  return s;
}

void AddQuantity(std::string_view param, std::string_view value, std::string_view system,
                 std::string_view code, std::string_view unit, IndexEntries* out) {
  auto key = DecimalKey(value);
  if (!key) return;
  QuantityEntry e{param, std::move(*key), std::string(system), std::string(code),
                  std::string(unit), {}, {}};
  if (system == kUcum && !code.empty()) {
    if (auto u = fhirpath::ParseUcum(code)) {
      auto d = fhirpath::Decimal::Parse(value, true);
      auto c = d ? fhirpath::Decimal::Mul(*d, u->factor) : std::nullopt;
      if (c) {
        e.canonical_key = DecimalKey(*c);
        e.canonical_unit = DimensionText(u->dimension);
      }
    }
  }
  out->quantities.push_back(std::move(e));
}

}  // namespace

// The canonical (base units) form of a UCUM value, for query values. Declared in
// query parsing; defined here beside the indexing it must match.
bool CanonicalUcum(std::string_view value, std::string_view code, std::string* key,
                   std::string* dimension) {
  auto u = fhirpath::ParseUcum(code);
  auto d = fhirpath::Decimal::Parse(value, true);
  if (!u || !d) return false;
  auto c = fhirpath::Decimal::Mul(*d, u->factor);
  if (!c) return false;
  *key = DecimalKey(*c);
  *dimension = DimensionText(u->dimension);
  return true;
}

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
    return AddQuantity(param, q.value.ToString(), kUcum, q.unit, q.unit, out);
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
