#include "lis/validator.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "lis/datatypes.h"
#include "lis/escape.h"

namespace hb::lis {

namespace {

template <size_t N>
bool In(const std::array<std::string_view, N>& table, std::string_view v) {
  return std::find(table.begin(), table.end(), v) != table.end();
}

// HL7 table 0125 (value type), v2.5.1.
constexpr std::array<std::string_view, 32> kValueTypes = {
    "AD",  "CE", "CF", "CK", "CN", "CNE", "CP",  "CWE", "CX",  "DR", "DT",
    "DTM", "ED", "FT", "ID", "MA", "MO",  "NA",  "NM",  "PN",  "RP", "SN",
    "ST",  "TM", "TN", "TS", "TX", "XAD", "XCN", "XON", "XPN", "XTN"};
// HL7 table 0085 (observation result status).
constexpr std::array<std::string_view, 12> kResultStatus = {"C", "D", "F", "I", "N", "O",
                                                            "P", "R", "S", "U", "W", "X"};
// HL7 table 0119 (order control codes), the ones lab order flows use.
constexpr std::array<std::string_view, 24> kOrderControl = {
    "NW", "OK", "UA", "CA", "OC", "CR", "UC", "DC", "OD", "DR", "UD", "RF",
    "SC", "SN", "SS", "OH", "OR", "HD", "XO", "XR", "XX", "RE", "RO", "PA"};
constexpr std::array<std::string_view, 7> kComparators = {"", ">", "<", ">=", "<=", "=", "<>"};
constexpr std::array<std::string_view, 6> kSnSeparators = {"", "-", "+", "/", ".", ":"};
constexpr std::array<std::string_view, 3> kEdEncodings = {"A", "Hex", "Base64"};
constexpr size_t kMaxErrors = 100;

class Checker {
 public:
  explicit Checker(const Message& m) : m_(m) {}

  void Add(Hl7Error code, const Segment* s, int field, int rep, int comp, std::string message) {
    if (errors_.size() >= kMaxErrors) return;  // a hostile message must not make a huge ACK
    AckError e;
    e.code = code;
    if (s != nullptr) {
      e.location = {s->name(), m_.OccurrenceOf(s), field, rep, comp, 0};
    }
    e.user_message = std::move(message);
    errors_.push_back(std::move(e));
  }

  bool Required(const Segment* s, int field, int comp, std::string_view what) {
    if (!(comp > 0 ? s->Get(field, 1, comp) : s->Get(field)).empty()) return true;
    std::string where = s->name() + "-" + std::to_string(field);
    if (comp > 0) where.append(1, '.').append(std::to_string(comp));
    Add(Hl7Error::kRequiredFieldMissing, s, field, 0, comp,
        where + " (" + std::string(what) + ") is empty");
    return false;
  }

  const Segment* Need(std::string_view name, std::string_view why) {
    const Segment* s = m_.Find(name);
    if (s == nullptr) {
      AckError e;
      e.code = Hl7Error::kSegmentSequence;
      e.location.segment = std::string(name);
      e.user_message =
          m_.Type() + " has no " + std::string(name) + " segment (" + std::string(why) + ")";
      errors_.push_back(std::move(e));
    }
    return s;
  }

  void Observation(const Segment* obx) {
    Required(obx, 3, 0, "observation identifier");
    std::string type = obx->Get(2);
    if (type.empty()) {
      if (!obx->RawField(5).empty())
        Add(Hl7Error::kRequiredFieldMissing, obx, 2, 0, 0,
            "OBX-2 (value type) is empty but OBX-5 has a value");
    } else if (!In(kValueTypes, type)) {
      Add(Hl7Error::kTableValueNotFound, obx, 2, 0, 0,
          "OBX-2 value type '" + type + "' is not in HL7 table 0125");
      type.clear();
    }
    if (Required(obx, 11, 0, "observation result status")) {
      std::string status = obx->Get(11);
      if (!In(kResultStatus, status)) {
        Add(Hl7Error::kTableValueNotFound, obx, 11, 0, 0,
            "OBX-11 result status '" + status + "' is not in HL7 table 0085");
      }
    }
    int rep = 0;
    for (std::string_view raw : SplitView(obx->RawField(5), obx->delimiters().repetition)) {
      Value(obx, type, ++rep, raw);
    }
  }

  // One repetition of OBX-5, given raw: split here once, so that a value of many repetitions
  // costs linear time.
  void Value(const Segment* obx, const std::string& type, int rep, std::string_view raw) {
    if (raw.empty()) return;
    const Delimiters& d = obx->delimiters();
    std::vector<std::string_view> comps = SplitView(raw, d.component);
    auto comp = [&](size_t i) {  // 1-based; the first subcomponent, decoded
      if (i > comps.size()) return std::string();
      std::string_view c = comps[i - 1];
      return Unescape(c.substr(0, c.find(d.subcomponent)), d, obx->charset());
    };
    auto bad = [&](int position, const std::string& why) {
      Add(Hl7Error::kDataType, obx, 5, rep, position, "OBX-5 " + why + " (OBX-2 is " + type + ")");
    };
    std::string v = comp(1);
    if (type == "NM") {
      if (!IsHl7Numeric(v)) bad(0, "value '" + v + "' is not a number");
    } else if (type == "SN") {
      Sn sn{comp(1), comp(2), comp(3), comp(4)};
      if (!In(kComparators, sn.comparator))
        bad(1, "comparator '" + sn.comparator + "' is not one of > < >= <= = <>");
      if (!sn.num1.empty() && !IsHl7Numeric(sn.num1))
        bad(2, "first number '" + sn.num1 + "' is not a number");
      if (!In(kSnSeparators, sn.separator))
        bad(3, "separator '" + sn.separator + "' is not one of - + / . :");
      if (!sn.num2.empty() && !IsHl7Numeric(sn.num2))
        bad(4, "second number '" + sn.num2 + "' is not a number");
    } else if (type == "DT" || type == "TS" || type == "DTM") {
      auto t = TsToFhirDateTime(v);
      if (!t.ok() || (type == "DT" && v.size() > 8))
        bad(0, "value '" + v + "' is not a valid " +
                   (type == "DT" ? std::string("date") : std::string("timestamp")));
    } else if (type == "ED") {
      std::string encoding = comp(4);
      if (!In(kEdEncodings, encoding)) {
        Add(Hl7Error::kTableValueNotFound, obx, 5, rep, 4,
            "OBX-5.4 encoding '" + encoding + "' is not in HL7 table 0299 (A, Hex, Base64)");
      } else if (encoding == "Base64") {
        std::string data = comp(5);
        bool ok = data.size() % 4 == 0;
        for (char c : data)
          ok = ok &&
               (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=');
        if (!ok) bad(5, "data is not Base64");
      }
    }
  }

  std::vector<AckError> Run(const ValidatorOptions& o) {
    const Segment* msh = m_.header();
    bool header_ok = Required(msh, 9, 1, "message type") &
                     Required(msh, 10, 0, "message control id") &
                     Required(msh, 11, 0, "processing id") & Required(msh, 12, 0, "version id");
    if (!header_ok) return std::move(errors_);
    std::string pid = m_.ProcessingId();
    if (pid != "P" && pid != "D" && pid != "T") {
      Add(Hl7Error::kUnsupportedProcessingId, msh, 11, 0, 0,
          "MSH-11 processing id '" + pid + "' is not P, D or T");
    }
    std::string version = m_.Version();
    if (std::find(o.supported_versions.begin(), o.supported_versions.end(), version) ==
        o.supported_versions.end()) {
      Add(Hl7Error::kUnsupportedVersion, msh, 12, 0, 0,
          "MSH-12 version '" + version + "' is not supported (2.3 to 2.5.1)");
    }
    std::string code = m_.MessageCode();
    bool known_code = false, known_type = false;
    for (const std::string& t : o.supported_types) {
      known_code |= t.substr(0, t.find('^')) == code;
      known_type |= t == m_.Type();
    }
    if (!known_code) {
      Add(Hl7Error::kUnsupportedMessageType, msh, 9, 0, 1,
          "message type '" + code + "' is not supported");
    } else if (!known_type) {
      Add(Hl7Error::kUnsupportedEvent, msh, 9, 0, 2,
          "event '" + m_.TriggerEvent() + "' of " + code + " is not supported");
    }
    if (!errors_.empty()) return std::move(errors_);
    if (code == "ADT") Adt();
    if (code == "ORU" || code == "OUL") Results();
    if (code == "OML" || code == "ORM") Orders();
    return std::move(errors_);
  }

 private:
  void Adt() {
    Need("EVN", "event type");
    if (const Segment* pid = Need("PID", "patient identification")) {
      Required(pid, 3, 0, "patient identifier list");
      Required(pid, 5, 0, "patient name");
    }
    if (m_.TriggerEvent() == "A40") {  // ADT_A39: the visit is optional, the merge is not
      if (const Segment* mrg = Need("MRG", "merge patient information")) {
        Required(mrg, 1, 0, "prior patient identifier list");
      }
    } else {
      Need("PV1", "patient visit");
    }
  }

  void Results() {
    bool in_order = false;
    for (const Segment& s : m_.segments()) {
      if (s.name() == "OBR") in_order = true;
      if (s.name() == "PID") in_order = false;
      if (s.name() != "OBX") continue;
      if (!in_order) {
        Add(Hl7Error::kSegmentSequence, &s, 0, 0, 0,
            "OBX comes before any OBR: an observation must follow its order");
      }
      Observation(&s);
    }
    Need("OBR", "observation request");
  }

  void Orders() {
    for (const Segment* orc : m_.FindAll("ORC")) {
      if (Required(orc, 1, 0, "order control") && !In(kOrderControl, orc->Get(1))) {
        Add(Hl7Error::kTableValueNotFound, orc, 1, 0, 0,
            "ORC-1 order control '" + orc->Get(1) + "' is not in HL7 table 0119");
      }
    }
    Need("ORC", "common order");
    for (const Segment* obr : m_.FindAll("OBR"))
      Required(obr, 4, 0, "universal service identifier");
    for (const Segment* obx : m_.FindAll("OBX")) Observation(obx);
  }

  const Message& m_;
  std::vector<AckError> errors_;
};

}  // namespace

std::vector<AckError> ValidateMessage(const Message& message, const ValidatorOptions& options) {
  if (message.header() == nullptr) return {};
  return Checker(message).Run(options);
}

}  // namespace hb::lis
