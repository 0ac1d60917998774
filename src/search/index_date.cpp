// date parameters (R4 search §3.1.1.4.2): date, dateTime, instant, Period, Timing.
#include "search/date_range.h"
#include "search/index_values.h"

namespace hb::search::internal {

namespace {

void AddText(std::string_view param, std::string_view text, IndexEntries* out) {
  if (auto r = DateRange(text)) out->dates.push_back({param, r->low, r->high});
}

void AddPeriod(std::string_view param, const fhir::JsonValue& p, IndexEntries* out) {
  std::string_view start = fhir::MemberString(p, "start");
  std::string_view end = fhir::MemberString(p, "end");
  if (start.empty() && end.empty()) return;
  DateEntry e{param, kMinTime, kMaxTime};
  if (auto r = DateRange(start)) e.low = r->low;
  if (auto r = DateRange(end)) e.high = r->high;
  out->dates.push_back(e);
}

}  // namespace

void AddDateValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out) {
  using K = fhirpath::ItemKind;
  if (item.kind() == K::kDate || item.kind() == K::kDateTime) {
    return AddText(param, item.datetime().ToString(), out);
  }
  if (!item.is_node()) return AddText(param, PrimitiveText(item), out);
  const fhir::JsonValue& v = item.json();
  if (fhir::IsString(v)) return AddText(param, fhir::StringView(v), out);
  if (!v.IsObject()) return;
  std::string_view t = item.node_type();
  if (t == "Period") return AddPeriod(param, v, out);
  if (t == "Timing") {
    if (const fhir::JsonValue* events = fhir::Member(v, "event");
        events != nullptr && events->IsArray()) {
      for (const auto& e : events->GetArray()) {
        if (fhir::IsString(e)) AddText(param, fhir::StringView(e), out);
      }
    }
    const fhir::JsonValue* repeat = fhir::Member(v, "repeat");
    const fhir::JsonValue* bounds = repeat ? fhir::Member(*repeat, "boundsPeriod") : nullptr;
    if (bounds != nullptr && bounds->IsObject()) AddPeriod(param, *bounds, out);
  }
}

}  // namespace hb::search::internal
