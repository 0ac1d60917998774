// XML4 (CHITIEU_CHITIET_DICHVUCANLAMSANG): the results of the paraclinical services billed
// in XML3 (MA_NHOM 1 tests, 2 imaging, 3 functional tests), one row per measured value:
// the Observation (or each of its components) or the DiagnosticReport (its result
// Observations, or its conclusion) that the ChargeItem's `service` names.
#include "claims/fhir_read.h"
#include "claims/table_mappers.h"

namespace hb::claims {

namespace {

const fhir::JsonValue* ById(const std::vector<fhir::JsonDoc>& docs, std::string_view id) {
  for (const auto& d : docs) {
    if (fhir::MemberString(d, "id") == id) return &d;
  }
  return nullptr;
}

std::string_view When(const fhir::JsonValue& r) {
  std::string_view t = Str(r, {"issued"});
  if (t.empty()) t = Str(r, {"effectiveDateTime"});
  if (t.empty()) t = Str(r, {"effectivePeriod", "end"});
  return t;
}

std::string Value(const fhir::JsonValue& o) {
  if (std::string_view v = Num(o, {"valueQuantity", "value"}); !v.empty()) return std::string(v);
  if (std::string_view v = Str(o, {"valueString"}); !v.empty()) return std::string(v);
  return std::string(ConceptText(fhir::Member(o, "valueCodeableConcept")));
}

struct Row {
  std::string name, value, unit, description, conclusion, at, reader;
};

std::string Reader(const Episode& e, const fhir::JsonValue& r, std::string_view array) {
  const fhir::JsonValue* who = First(r, array);
  std::string_view id = RefId(who, "Practitioner");
  const PractitionerFacts* p = id.empty() ? nullptr : e.Practitioner(id);
  return p ? p->licence : std::string();
}

void FromObservation(const Episode& e, const fhir::JsonValue& o, std::vector<Row>& rows) {
  const std::string at = TableDateTime(When(o));
  const std::string reader = Reader(e, o, "performer");
  const std::string interp(ConceptText(First(o, "interpretation")));
  const fhir::JsonValue* comps = fhir::Member(o, "component");
  if (comps && comps->IsArray() && !comps->Empty()) {
    for (const auto& c : comps->GetArray()) {
      rows.push_back({std::string(ConceptText(fhir::Member(c, "code"))), Value(c),
                      std::string(Str(c, {"valueQuantity", "unit"})), "", interp, at, reader});
    }
    return;
  }
  rows.push_back({std::string(ConceptText(fhir::Member(o, "code"))), Value(o),
                  std::string(Str(o, {"valueQuantity", "unit"})), "", interp, at, reader});
}

std::vector<Row> ResultsOf(const Episode& e, std::string_view ref) {
  std::vector<Row> rows;
  if (ref.starts_with("Observation/")) {
    if (const fhir::JsonValue* o = ById(e.observations, ref.substr(12)))
      FromObservation(e, *o, rows);
  } else if (ref.starts_with("DiagnosticReport/")) {
    const fhir::JsonValue* r = ById(e.diagnostic_reports, ref.substr(17));
    if (!r) return rows;
    if (const fhir::JsonValue* results = fhir::Member(*r, "result");
        results && results->IsArray()) {
      for (const auto& res : results->GetArray()) {
        if (const fhir::JsonValue* o = ById(e.observations, RefId(&res, "Observation")))
          FromObservation(e, *o, rows);
      }
    }
    const std::string conclusion(Str(*r, {"conclusion"}));
    if (rows.empty()) {
      rows.push_back({std::string(ConceptText(fhir::Member(*r, "code"))), "", "", conclusion,
                      conclusion, TableDateTime(When(*r)), Reader(e, *r, "resultsInterpreter")});
    } else {
      for (Row& row : rows) {
        if (row.conclusion.empty()) row.conclusion = conclusion;
      }
    }
  }
  return rows;
}

}  // namespace

std::string ResultTime(const Episode& e, std::string_view service_ref) {
  for (const Row& r : ResultsOf(e, service_ref)) {
    if (!r.at.empty()) return r.at;
  }
  return {};
}

void MapXml4Results(const MapInput& in, ClaimRecord& out) {
  TableRows* t = nullptr;
  int stt = 0;
  for (const CostLine& l : in.costing.services) {
    if (l.item->group < 1 || l.item->group > 3) continue;
    for (const Row& r : ResultsOf(in.episode, l.service_ref)) {
      if (!t) t = &out.Add("XML4");
      RowWriter w = ClaimRecord::AddRow(*t);
      w.Set("MA_LK", in.ma_lk);
      w.Set("STT", std::to_string(++stt));
      w.Set("MA_DICH_VU", l.item->national_code);
      w.Set("TEN_CHI_SO", r.name);
      w.Set("GIA_TRI", r.value);
      w.Set("DON_VI_DO", r.unit);
      w.Set("MO_TA", r.description);
      w.Set("KET_LUAN", r.conclusion);
      w.Set("NGAY_KQ", r.at);
      w.Set("MA_BS_DOC_KQ", r.reader);
    }
  }
}

}  // namespace hb::claims
