// OBX -> Observation: value types, units, reference ranges, abnormal flags, status.
// docs/implementation/hl7v2-mapping.md, "Observation".
#include "lis/result_mapping.h"

#include <cctype>

#include "common/base64.h"
#include "common/hex.h"
#include "lis/code_tables.h"
#include "lis/lis_systems.h"

namespace hb::lis {

namespace {

// A Quantity (value, unit as written, UCUM code when known) from a number and OBX-6.
void WriteQuantity(JsonNode q, std::string_view number, const Segment& obx,
                   std::string_view comparator = {}) {
  q.Num("value", JsonNumber(number));
  q.Str("comparator", comparator);
  std::string code = obx.Get(6, 1, 1), text = obx.Get(6, 1, 2), system = obx.Get(6, 1, 3);
  q.Str("unit", !text.empty() ? text : code);
  std::optional<std::string_view> ucum;
  if (system == "UCUM" && !code.empty()) {
    ucum = code;
  } else {
    ucum = UcumCode(code);
    if (!ucum && !text.empty()) ucum = UcumCode(text);
  }
  if (ucum) q.Str("system", kUcumSystem).Str("code", *ucum);
}

// SN: comparator^num1^separator^num2. A bound ("<^10") is a Quantity with a comparator, a
// ratio (":" or "/") a Ratio, a range ("-") a Range; "2+" and "<>" have no FHIR number type
// and stay text.
void WriteStructuredNumeric(JsonNode obs, const Segment& obx) {
  Sn sn = ReadSn(obx, 5);
  const std::string& cmp = sn.comparator;
  if (sn.separator.empty() && !sn.num1.empty() && cmp != "<>") {
    WriteQuantity(obs.Obj("valueQuantity"), sn.num1, obx, cmp == "=" ? "" : cmp);
  } else if ((sn.separator == ":" || sn.separator == "/") && !sn.num2.empty()) {
    JsonNode r = obs.Obj("valueRatio");
    r.Obj("numerator").Num("value", JsonNumber(sn.num1));
    r.Obj("denominator").Num("value", JsonNumber(sn.num2));
  } else if (sn.separator == "-" && !sn.num1.empty() && !sn.num2.empty()) {
    JsonNode r = obs.Obj("valueRange");
    WriteQuantity(r.Obj("low"), sn.num1, obx);
    WriteQuantity(r.Obj("high"), sn.num2, obx);
  } else {
    obs.Str("valueString", cmp + sn.num1 + sn.separator + sn.num2);
  }
}

// HL7 TM "hhmm[ss[.s]]" as a FHIR time "hh:mm:ss"; "" when it is not one.
std::string FhirTime(std::string_view tm) {
  tm = tm.substr(0, tm.find_first_of("+-."));
  if (tm.size() != 4 && tm.size() != 6) return {};
  for (char c : tm) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  }
  std::string out{tm.substr(0, 2)};
  out.append(1, ':').append(tm.substr(2, 2)).append(1, ':');
  out.append(tm.size() == 6 ? tm.substr(4, 2) : "00");
  return out;
}

void WriteValue(MapContext& ctx, JsonNode obs, const Segment& obx) {
  const std::string type = obx.Get(2);
  if (obx.RawField(5).empty()) return;
  if (type == "NM") {
    WriteQuantity(obs.Obj("valueQuantity"), obx.Get(5), obx);
  } else if (type == "SN") {
    WriteStructuredNumeric(obs, obx);
  } else if (type == "CE" || type == "CWE" || type == "CNE" || type == "CF") {
    ctx.CodeableConcept(obs.Obj("valueCodeableConcept"), obx, 5);
  } else if (type == "DT" || type == "TS" || type == "DTM") {
    obs.Str("valueDateTime", ctx.DateTime(obx, 5));
  } else if (type == "TM") {
    obs.Str("valueTime", FhirTime(obx.Get(5)));
  } else {
    // ST, TX, FT and the rest: text, repetitions as lines, components as they read.
    std::string text;
    for (int rep = 1; rep <= obx.RepetitionCount(5); ++rep) {
      if (rep > 1) text.push_back('\n');
      for (int comp = 1; comp <= obx.ComponentCount(5, rep); ++comp) {
        std::string part = obx.Get(5, rep, comp);
        if (part.empty()) continue;
        if (comp > 1 && !text.empty() && text.back() != '\n') text.push_back(' ');
        text += part;
      }
    }
    obs.Str("valueString", text);
  }
}

}  // namespace

void MapReferenceRange(JsonNode observation, std::string_view range, const Segment& obx) {
  if (range.empty()) return;
  JsonNode rr = observation.Arr("referenceRange").Add();
  std::string_view r = range;
  // "3.9-6.4" (the dash after the first character: "-1-1" starts with a sign).
  size_t dash = r.find('-', 1);
  if (dash != std::string_view::npos && IsHl7Numeric(r.substr(0, dash)) &&
      IsHl7Numeric(r.substr(dash + 1))) {
    WriteQuantity(rr.Obj("low"), r.substr(0, dash), obx);
    WriteQuantity(rr.Obj("high"), r.substr(dash + 1), obx);
    return;
  }
  // One-sided limits keep their text too: FHIR's low and high are inclusive.
  for (std::string_view op : {">=", "<=", ">", "<"}) {
    if (r.starts_with(op) && IsHl7Numeric(r.substr(op.size()))) {
      WriteQuantity(rr.Obj(op[0] == '>' ? "low" : "high"), r.substr(op.size()), obx);
      rr.Str("text", range);
      return;
    }
  }
  rr.Str("text", range);
}

void MapAttachment(MapContext& ctx, JsonNode attachment, const Segment& obx) {
  std::string type = obx.Get(5, 1, 2), subtype = obx.Get(5, 1, 3);
  std::string encoding = obx.Get(5, 1, 4), data = obx.Get(5, 1, 5);
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  type = lower(type);
  subtype = lower(subtype);
  // Table 0191 names (AP, IM, TEXT) or MIME top-level types.
  if (type == "ap" || type == "application") {
    type = "application";
  } else if (type == "im" || type == "image") {
    type = "image";
  } else if (type == "text" || type == "tx") {
    type = "text";
    if (subtype.empty()) subtype = "plain";
  } else if (type != "audio" && type != "video") {
    type = "application";
    subtype = "octet-stream";
  }
  if (subtype.empty()) subtype = "octet-stream";
  attachment.Str("contentType", type + "/" + subtype);
  std::string bytes;
  if (encoding == "Base64") {
    for (char c : data) {
      if (!std::isspace(static_cast<unsigned char>(c))) bytes.push_back(c);
    }
  } else if (encoding == "Hex") {
    std::optional<std::string> raw = HexDecode(data);
    if (!raw) {
      ctx.Error(Hl7Error::kDataType, obx, 5, "OBX-5.5 is not hexadecimal (OBX-5.4 is Hex)");
      return;
    }
    bytes = Base64Encode(*raw);
  } else {
    bytes = Base64Encode(data);
  }
  attachment.Str("data", bytes);
  Cwe code = ReadCwe(obx, 3);
  attachment.Str("title", !code.text.empty() ? code.text : code.code);
  attachment.Str("creation", ctx.DateTime(obx, 14));
}

fhir::JsonValue MapResult(MapContext& ctx, BundleBuilder& bundle, const ResultInput& in) {
  const Segment& obx = *in.obx->obx;
  fhir::JsonValue res = bundle.NewResource("Observation");
  JsonNode o(&res, &bundle.alloc());
  {
    JsonNode id = o.Arr("identifier").Add();
    id.Str("system", LabResultSystem(ctx.options().facility)).Str("value", in.identifier);
  }
  if (!in.service_request.empty()) o.Arr("basedOn").Add().Str("reference", in.service_request);
  o.Str("status", ObservationStatus(obx.Get(11)));
  {
    JsonNode cat = o.Arr("category").Add();
    cat.Arr("coding").Add().Coding(kObservationCategorySystem, "laboratory", "Laboratory");
  }
  ctx.CodeableConcept(o.Obj("code"), obx, 3);
  o.Ref("subject", in.patient.patient, in.patient.display);
  if (!in.patient.encounter.empty()) o.Ref("encounter", in.patient.encounter);
  std::string effective = ctx.DateTime(obx, 14);
  o.Str("effectiveDateTime", effective.empty() ? in.effective : effective);
  o.Str("issued", in.issued);
  if (!in.specimen.empty()) o.Ref("specimen", in.specimen);
  {
    JsonNode performers = o.Arr("performer");
    if (!ctx.options().facility_org.empty()) {
      performers.Add().Str("reference", ctx.FacilityReference());
    }
    for (int rep = 1; rep <= obx.RepetitionCount(16); ++rep) {
      ctx.PersonReference(performers.Add(), obx, 16, rep);
    }
  }
  WriteValue(ctx, o, obx);
  if (obx.RawField(5).empty() && obx.Get(11) == "X") {
    JsonNode reason = o.Obj("dataAbsentReason");
    reason.Arr("coding").Add().Coding("http://terminology.hl7.org/CodeSystem/data-absent-reason",
                                      "not-performed", "Not Performed");
  }
  {
    JsonNode interpretations = o.Arr("interpretation");
    for (int rep = 1; rep <= obx.RepetitionCount(8); ++rep) {
      std::string flag = obx.Get(8, rep);
      if (flag.empty()) continue;
      JsonNode cc = interpretations.Add();
      if (auto i = Interpretation(flag)) {
        cc.Arr("coding").Add().Coding(kInterpretationSystem, i->code, i->display);
      } else {
        cc.Str("text", flag);
      }
    }
  }
  {
    JsonNode notes = o.Arr("note");
    for (const Segment* nte : in.obx->notes) {
      std::string text;
      for (int rep = 1; rep <= nte->RepetitionCount(3); ++rep) {
        if (rep > 1) text.push_back('\n');
        text += nte->Get(3, rep);
      }
      if (!text.empty()) notes.Add().Str("text", text);
    }
  }
  ctx.CodeableConcept(o.Obj("method"), obx, 17);
  if (std::string device = obx.Get(18, 1, 2).empty() ? obx.Get(18) : obx.Get(18, 1, 2);
      !device.empty()) {
    o.Ref("device", "", device);
  }
  MapReferenceRange(o, obx.Get(7), obx);
  return res;
}

}  // namespace hb::lis
