#include "lis/ack.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "common/clock.h"
#include "common/ids.h"
#include "lis/escape.h"

namespace hb::lis {

namespace {

// v2.5 moved ERR's content out of ERR-1; older receivers read only ERR-1 and MSA-3.
bool BeforeV25(std::string_view version) {
  return version.substr(0, 3) == "2.1" || version.substr(0, 3) == "2.2" ||
         version.substr(0, 3) == "2.3" || version.substr(0, 3) == "2.4";
}

void Location(Segment& err, int field, const ErrorLocation& l) {
  int comp = 1;
  auto put = [&](int position, const std::string& value) {
    if (!value.empty()) err.Set(field, 1, position, 1, value);
  };
  put(comp++, l.segment);
  for (int n : {l.sequence, l.field, l.field_repetition, l.component, l.subcomponent}) {
    put(comp++, n > 0 ? std::to_string(n) : std::string());
  }
}

void AddErr(Message& ack, const AckError& e, bool legacy) {
  Segment& err = ack.AddSegment("ERR");
  std::string code = std::to_string(static_cast<int>(e.code));
  std::string text(Hl7ErrorText(e.code));
  if (legacy) {  // ERR-1 ELD: segment^sequence^field^code&text&HL70357
    const ErrorLocation& l = e.location;
    if (!l.segment.empty()) err.Set(1, 1, 1, 1, l.segment);
    if (l.sequence > 0) err.Set(1, 1, 2, 1, std::to_string(l.sequence));
    if (l.field > 0) err.Set(1, 1, 3, 1, std::to_string(l.field));
    err.Set(1, 1, 4, 1, code);
    err.Set(1, 1, 4, 2, text);
    err.Set(1, 1, 4, 3, "HL70357");
  }
  Location(err, 2, e.location);
  err.Set(3, 1, 1, 1, code);
  err.Set(3, 1, 2, 1, text);
  err.Set(3, 1, 3, 1, "HL70357");
  err.SetField(4, std::string(1, e.severity));
  if (!e.user_message.empty()) err.SetField(8, e.user_message);
}

// The common MSH of an ACK. `peer_app`/`peer_facility` are the original sender (raw).
void FillHeader(Message& ack, const AckOptions& o, std::string_view our_app,
                std::string_view our_facility, std::string_view peer_app,
                std::string_view peer_facility, std::string_view trigger,
                std::string_view processing_id, std::string_view version,
                std::string_view charset) {
  Segment& msh = ack.mutable_segments().front();
  const Delimiters& d = ack.delimiters();
  msh.SetRawField(3, our_app.empty() ? Escape(o.sending_application, d) : std::string(our_app));
  msh.SetRawField(4,
                  our_facility.empty() ? Escape(o.sending_facility, d) : std::string(our_facility));
  msh.SetRawField(5, std::string(peer_app));
  msh.SetRawField(6, std::string(peer_facility));
  int64_t now = o.now_micros != 0 ? o.now_micros : NowMicros();
  msh.SetField(7, FormatHl7Timestamp(now, o.utc_offset_minutes));
  msh.Set(9, 1, 1, 1, "ACK");
  std::string v = version.empty() ? o.version : std::string(version);
  if (!trigger.empty()) {
    msh.Set(9, 1, 2, 1, trigger);
    // MSH-9.3 (message structure) exists from v2.3.1 on.
    if (v.substr(0, 3) != "2.1" && v.substr(0, 3) != "2.2" && v != "2.3")
      msh.Set(9, 1, 3, 1, "ACK");
  }
  msh.SetField(10, o.control_id.empty() ? NewResourceId() : o.control_id);
  msh.SetRawField(11, processing_id.empty() ? "P" : std::string(processing_id));
  msh.SetRawField(12, version.empty() ? Escape(o.version, d) : std::string(version));
  if (!charset.empty()) msh.SetRawField(18, std::string(charset));
}

void FillMsa(Message& ack, AckCode code, std::string_view control_id_raw,
             const std::vector<AckError>& errors, bool legacy) {
  Segment& msa = ack.AddSegment("MSA");
  msa.SetField(1, AckCodeText(code));
  msa.SetRawField(2, std::string(control_id_raw));
  if (legacy && !errors.empty()) {
    // MSA-3 is 80 characters in v2.3/v2.4; cut on a character boundary, never inside UTF-8.
    const std::string& text = errors.front().user_message;
    size_t cut = std::min<size_t>(text.size(), 80);
    while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    msa.SetField(3, text.substr(0, cut));
  }
  for (const AckError& e : errors) AddErr(ack, e, legacy);
}

bool NonAscii(const Message& m) {
  for (const Segment& s : m.segments()) {
    for (const std::string& f : s.raw_fields()) {
      for (char c : f) {
        if (static_cast<unsigned char>(c) >= 0x80) return true;
      }
    }
  }
  return false;
}

}  // namespace

std::string_view AckCodeText(AckCode code) {
  switch (code) {
    case AckCode::kAccept:
      return "AA";
    case AckCode::kError:
      return "AE";
    case AckCode::kReject:
      return "AR";
  }
  return "AR";
}

std::string_view Hl7ErrorText(Hl7Error code) {
  switch (code) {
    case Hl7Error::kSegmentSequence:
      return "Segment sequence error";
    case Hl7Error::kRequiredFieldMissing:
      return "Required field missing";
    case Hl7Error::kDataType:
      return "Data type error";
    case Hl7Error::kTableValueNotFound:
      return "Table value not found";
    case Hl7Error::kUnsupportedMessageType:
      return "Unsupported message type";
    case Hl7Error::kUnsupportedEvent:
      return "Unsupported event code";
    case Hl7Error::kUnsupportedProcessingId:
      return "Unsupported processing id";
    case Hl7Error::kUnsupportedVersion:
      return "Unsupported version id";
    case Hl7Error::kUnknownKey:
      return "Unknown key identifier";
    case Hl7Error::kDuplicateKey:
      return "Duplicate key identifier";
    case Hl7Error::kRecordLocked:
      return "Application record locked";
    case Hl7Error::kInternal:
      return "Application internal error";
  }
  return "Application internal error";
}

AckCode AckCodeFor(const std::vector<AckError>& errors) {
  AckCode code = AckCode::kAccept;
  for (const AckError& e : errors) {
    if (e.severity != 'E') continue;
    int n = static_cast<int>(e.code);
    if (n >= 200 && n <= 203) return AckCode::kReject;
    code = AckCode::kError;
  }
  return code;
}

Message BuildAck(const Message& original, AckCode code, const std::vector<AckError>& errors,
                 const AckOptions& options) {
  const Segment* msh = original.header();
  Segment empty("MSH", original.delimiters());
  if (msh == nullptr) msh = &empty;
  Message ack = Message::WithHeader(original.delimiters(), original.charset());
  std::string version = original.Version();
  FillHeader(ack, options, msh->RawField(5), msh->RawField(6), msh->RawField(3), msh->RawField(4),
             original.TriggerEvent(), msh->RawField(11), msh->RawField(12), msh->RawField(18));
  bool legacy = BeforeV25(version);
  FillMsa(ack, code, msh->RawField(10), errors, legacy);
  if (msh->RawField(18).empty() && NonAscii(ack))
    ack.mutable_segments().front().SetField(18, "UNICODE UTF-8");
  return ack;
}

AckError ErrorForParseFailure(const ParseError& error) {
  AckError e;
  switch (error.kind) {
    case ParseErrorKind::kMshTooShort:
    case ParseErrorKind::kMissingEncodingCharacters:
      e.code = Hl7Error::kRequiredFieldMissing;
      break;
    case ParseErrorKind::kBadDelimiter:
    case ParseErrorKind::kDuplicateDelimiter:
    case ParseErrorKind::kBadEscape:
    case ParseErrorKind::kBadCharset:
      e.code = Hl7Error::kDataType;
      break;
    default:  // no MSH, bad segment name, batch structure: the segments are not in order
      e.code = Hl7Error::kSegmentSequence;
      break;
  }
  // A line that is not a segment ("garbage", "Pid") has no name to point at.
  const std::string& name = error.segment_name;
  bool segment = name.size() == 3;
  for (char c : name) segment = segment && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  if (segment && error.kind != ParseErrorKind::kBadSegmentName) {
    e.location.segment = name;
    e.location.sequence = error.occurrence;
  }
  e.location.field = error.field;
  e.user_message = error.ToString();
  return e;
}

Message BuildRejectAck(std::string_view raw_input, const ParseError& error,
                       const AckOptions& options) {
  // Salvage what the sender wrote about itself, so the ACK reaches the right place; a field
  // is reused only when it is clean (valid UTF-8, no control characters, sound escapes).
  Delimiters d;
  std::vector<std::string_view> fields;
  for (size_t start = 0; start < raw_input.size();) {
    size_t end = raw_input.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = raw_input.size();
    std::string_view line = raw_input.substr(start, end - start);
    start = end + 1;
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (line.substr(0, 3) != "MSH") continue;
    auto read = ReadDelimiters(line);
    if (read.ok()) {
      d = *read;
      fields = SplitView(line, d.field);
    }
    break;
  }
  auto field = [&](int n) -> std::string_view {  // MSH-n is fields[n - 1]
    if (n < 3 || n > static_cast<int>(fields.size())) return {};
    std::string_view v = fields[static_cast<size_t>(n - 1)];
    if (FindInvalidUtf8(v) != std::string_view::npos) return {};
    for (char c : v) {
      if (static_cast<unsigned char>(c) < 0x20) return {};
    }
    if (!CheckEscapes(v, d, Charset::kUtf8).ok()) return {};
    return v;
  };
  Message ack = Message::WithHeader(d, Charset::kUtf8);
  std::string_view version = field(12);
  std::string_view trigger = field(9);
  std::vector<std::string_view> parts = SplitView(trigger, d.component);
  std::string trigger_event = parts.size() > 1 ? Unescape(parts[1], d, Charset::kUtf8) : "";
  FillHeader(ack, options, field(5), field(6), field(3), field(4), trigger_event, field(11),
             version, {});
  std::vector<AckError> errors{ErrorForParseFailure(error)};
  FillMsa(ack, AckCode::kReject, field(10), errors, BeforeV25(version));
  if (NonAscii(ack)) ack.mutable_segments().front().SetField(18, "UNICODE UTF-8");
  return ack;
}

std::string FormatHl7Timestamp(int64_t micros, int utc_offset_minutes) {
  std::time_t secs = static_cast<std::time_t>(micros / 1000000 + utc_offset_minutes * 60);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  int off = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d%c%02d%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                utc_offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

}  // namespace hb::lis
