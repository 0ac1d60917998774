#include "lis/order_message.h"

#include "common/clock.h"
#include "fhir/vn_systems.h"
#include "lis/ack.h"
#include "lis/lis_systems.h"

namespace hb::lis {

namespace {

std::string_view Str(const fhir::JsonValue* v, std::string_view name) {
  return v == nullptr ? std::string_view() : fhir::MemberString(*v, name);
}

const fhir::JsonValue* First(const fhir::JsonValue* v, std::string_view array) {
  const fhir::JsonValue* a = v == nullptr ? nullptr : fhir::Member(*v, array);
  return a != nullptr && a->IsArray() && !a->Empty() ? &(*a)[0] : nullptr;
}

// FHIR date/dateTime -> HL7 TS: "2024-03-15T07:05:12+07:00" -> "20240315070512+0700".
std::string Hl7Ts(std::string_view fhir) {
  std::string out;
  size_t i = 0;
  for (; i < fhir.size() && i < 19; ++i) {
    char c = fhir[i];
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  size_t zone = fhir.find_first_of("+-Z", 10);
  if (fhir.size() > 10 && zone != std::string_view::npos) {
    if (fhir[zone] == 'Z') return out + "+0000";
    std::string_view z = fhir.substr(zone);
    if (z.size() == 6) out.append(z.substr(0, 3)).append(z.substr(4, 2));
  }
  return out;
}

// PID-3 type and assigning authority for an identifier we hold.
std::pair<std::string, std::string> IdType(const fhir::JsonValue& id, const std::string& facility) {
  const auto& vn = fhir::vn::Systems();
  std::string_view system = fhir::MemberString(id, "system");
  if (system == vn.cccd || system == vn.cmnd) return {"NI", "BCA"};
  if (system == vn.bhyt_card) return {"HC", "BHXH"};
  if (system == vn.bhxh) return {"SS", "BHXH"};
  if (system.starts_with(fhir::vn::Systems().base + "mrn/")) {
    return {"MR", std::string(system.substr(system.rfind('/') + 1))};
  }
  const fhir::JsonValue* type = fhir::Member(id, "type");
  std::string code(Str(First(type, "coding"), "code"));
  return {code.empty() ? "PI" : code, facility};
}

void WritePid(Segment& pid, const fhir::JsonValue* patient, const std::string& facility) {
  pid.SetField(1, "1");
  if (patient == nullptr) return;
  int rep = 0;
  if (const fhir::JsonValue* ids = fhir::Member(*patient, "identifier"); ids && ids->IsArray()) {
    for (const fhir::JsonValue& id : ids->GetArray()) {
      std::string_view value = fhir::MemberString(id, "value");
      if (value.empty()) continue;
      auto [type, authority] = IdType(id, facility);
      ++rep;
      pid.Set(3, rep, 1, 1, value);
      pid.Set(3, rep, 4, 1, authority);
      pid.Set(3, rep, 5, 1, type);
    }
  }
  if (const fhir::JsonValue* name = First(patient, "name")) {
    pid.Set(5, 1, 1, 1, Str(name, "family"));
    std::string given;
    if (const fhir::JsonValue* g = fhir::Member(*name, "given"); g && g->IsArray()) {
      for (const fhir::JsonValue& part : g->GetArray()) {
        if (!fhir::IsString(part)) continue;
        if (!given.empty()) given.push_back(' ');
        given.append(fhir::StringView(part));
      }
    }
    pid.Set(5, 1, 2, 1, given);
  }
  pid.SetField(7, Hl7Ts(Str(patient, "birthDate")));
  std::string_view gender = Str(patient, "gender");
  pid.SetField(8, gender == "male"     ? "M"
                  : gender == "female" ? "F"
                  : gender == "other"  ? "O"
                  : gender.empty()     ? ""
                                       : "U");
  if (const fhir::JsonValue* a = First(patient, "address")) {
    if (const fhir::JsonValue* line = First(a, "line"); line && fhir::IsString(*line)) {
      pid.Set(11, 1, 1, 1, fhir::StringView(*line));
    }
    pid.Set(11, 1, 2, 1, Str(a, "city"));
    pid.Set(11, 1, 3, 1, Str(a, "district"));
    pid.Set(11, 1, 4, 1, Str(a, "state"));
    pid.Set(11, 1, 5, 1, Str(a, "postalCode"));
    std::string_view country = Str(a, "country");
    pid.Set(11, 1, 6, 1, country == "VN" ? "VNM" : country);
  }
  if (const fhir::JsonValue* t = fhir::Member(*patient, "telecom"); t && t->IsArray()) {
    for (const fhir::JsonValue& cp : t->GetArray()) {
      if (fhir::MemberString(cp, "system") != "phone") continue;
      pid.Set(13, 1, 1, 1, fhir::MemberString(cp, "value"));
      pid.Set(13, 1, 2, 1, "PRN");
      pid.Set(13, 1, 3, 1, fhir::MemberString(cp, "use") == "mobile" ? "CP" : "PH");
      break;
    }
  }
}

void WritePv1(Segment& pv1, const fhir::JsonValue* encounter, const std::string& facility) {
  pv1.SetField(1, "1");
  std::string_view cls = encounter ? Str(fhir::Member(*encounter, "class"), "code") : "";
  pv1.SetField(2, cls == "IMP" || cls == "ACUTE" || cls == "NONAC" ? "I"
                  : cls == "EMER"                                  ? "E"
                  : cls == "PRENC"                                 ? "P"
                  : cls.empty()                                    ? "U"
                                                                   : "O");
  if (encounter == nullptr) return;
  const std::string visit_system = VisitNumberSystem(facility);
  if (const fhir::JsonValue* ids = fhir::Member(*encounter, "identifier"); ids && ids->IsArray()) {
    for (const fhir::JsonValue& id : ids->GetArray()) {
      if (fhir::MemberString(id, "system") == visit_system) {
        pv1.SetField(19, fhir::MemberString(id, "value"));
      }
    }
  }
}

// The test as the LIS knows it: our local lab code, else LOINC, else the first coding.
Status WriteService(Segment& obr, const fhir::JsonValue& sr, const std::string& facility) {
  const fhir::JsonValue* code = fhir::Member(sr, "code");
  const fhir::JsonValue* codings = code ? fhir::Member(*code, "coding") : nullptr;
  const fhir::JsonValue* pick = nullptr;
  std::string system_name;
  const std::string local = LocalLabCodeSystem(facility);
  if (codings != nullptr && codings->IsArray()) {
    for (const auto& [uri, name] : {std::pair{local, std::string("L")},
                                    std::pair{std::string(kLoincSystem), std::string("LN")}}) {
      for (const fhir::JsonValue& c : codings->GetArray()) {
        if (pick == nullptr && fhir::MemberString(c, "system") == uri) {
          pick = &c;
          system_name = name;
        }
      }
    }
    if (pick == nullptr && !codings->Empty()) {
      pick = &(*codings)[0];
      system_name = "99HB";
    }
  }
  std::string_view text = code ? fhir::MemberString(*code, "text") : "";
  if (pick == nullptr || fhir::MemberString(*pick, "code").empty()) {
    return Status(ErrorCode::kInvalidResource, "the order has no coded test to send",
                  "ServiceRequest.code");
  }
  obr.Set(4, 1, 1, 1, fhir::MemberString(*pick, "code"));
  std::string_view display = fhir::MemberString(*pick, "display");
  obr.Set(4, 1, 2, 1, display.empty() ? text : display);
  obr.Set(4, 1, 3, 1, system_name);
  return Status::Ok();
}

}  // namespace

std::string OrderMessageType(std::string_view version) {
  return version == "2.3" || version == "2.3.1" ? "ORM^O01" : "OML^O21";
}

Result<Message> BuildOrderMessage(const fhir::JsonValue& sr, const fhir::JsonValue* patient,
                                  const fhir::JsonValue* encounter, const OrderMessageOptions& o) {
  if (fhir::Member(sr, "subject") == nullptr) {
    return Status(ErrorCode::kInvalidResource, "the order names no patient",
                  "ServiceRequest.subject");
  }
  const bool orm = OrderMessageType(o.version) == "ORM^O01";
  Message m = Message::WithHeader();
  Segment& msh = m.mutable_segments().front();
  msh.SetField(3, o.sending_application);
  msh.SetField(4, o.facility);
  msh.SetField(5, o.receiving_application);
  msh.SetField(6, o.receiving_facility.empty() ? o.facility : o.receiving_facility);
  msh.SetField(7, FormatHl7Timestamp(o.now_micros != 0 ? o.now_micros : NowMicros(), 7 * 60));
  msh.Set(9, 1, 1, 1, orm ? "ORM" : "OML");
  msh.Set(9, 1, 2, 1, orm ? "O01" : "O21");
  if (o.version != "2.3") msh.Set(9, 1, 3, 1, orm ? "ORM_O01" : "OML_O21");
  msh.SetField(10, o.control_id);
  msh.SetField(11, "P");
  msh.SetField(12, o.version);
  msh.SetField(15, "AL");  // accept acknowledgment: always (the ACK is what we record)
  msh.SetField(16, "NE");
  msh.SetField(18, orm || o.version == "2.4" ? "UNICODE" : "UNICODE UTF-8");

  WritePid(m.AddSegment("PID"), patient, o.facility);
  WritePv1(m.AddSegment("PV1"), encounter, o.facility);

  std::string_view priority = fhir::MemberString(sr, "priority");
  std::string tq = priority == "stat"                           ? "S"
                   : priority == "asap" || priority == "urgent" ? "A"
                                                                : "R";
  const std::string authored = Hl7Ts(fhir::MemberString(sr, "authoredOn"));
  std::string_view requester = Str(fhir::Member(sr, "requester"), "display");

  Segment& orc = m.AddSegment("ORC");
  orc.SetField(1, o.order_control);
  orc.Set(2, 1, 1, 1, o.placer_order);
  orc.Set(2, 1, 2, 1, o.sending_application);
  if (orm) orc.Set(7, 1, 6, 1, tq);
  orc.SetField(9, authored);
  orc.Set(12, 1, 2, 1, requester);
  if (!orm) {
    Segment& tq1 = m.AddSegment("TQ1");
    tq1.SetField(1, "1");
    tq1.Set(9, 1, 1, 1, tq);
    tq1.Set(9, 1, 3, 1, "HL70485");
  }
  Segment& obr = m.AddSegment("OBR");
  obr.SetField(1, "1");
  obr.Set(2, 1, 1, 1, o.placer_order);
  obr.Set(2, 1, 2, 1, o.sending_application);
  HB_RETURN_IF_ERROR(WriteService(obr, sr, o.facility));
  obr.Set(16, 1, 2, 1, requester);
  if (orm) obr.Set(27, 1, 6, 1, tq);
  if (const fhir::JsonValue* notes = fhir::Member(sr, "note"); notes && notes->IsArray()) {
    int n = 0;
    for (const fhir::JsonValue& note : notes->GetArray()) {
      std::string_view text = fhir::MemberString(note, "text");
      if (text.empty()) continue;
      Segment& nte = m.AddSegment("NTE");
      nte.SetField(1, std::to_string(++n));
      nte.SetField(2, "P");
      nte.SetField(3, text);
    }
  }
  return m;
}

}  // namespace hb::lis
