// `healthbook hl7 parse FILE` and `healthbook hl7 ack FILE` (FILE may be - for stdin): HL7 v2
// by hand. parse prints what healthbook reads, as one JSON object; ack prints the ACK that
// healthbook would return to the sender.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "app/commands.h"
#include "lis/ack.h"
#include "lis/encoder.h"
#include "lis/escape.h"
#include "lis/parser.h"
#include "lis/validator.h"

namespace hb::app {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

int Fail(const std::string& message) {
  std::fprintf(stderr, "healthbook hl7: %s\n", message.c_str());
  return 1;
}

bool ReadInput(const std::string& path, std::string* out) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    *out = text.str();
    return !std::cin.bad();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  text << in.rdbuf();
  *out = text.str();
  return !in.bad();
}

void String(Writer& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()), true);
}

// A field as repetitions -> components; a component with subcomponents is an array of them,
// otherwise a string. An empty field is []. The raw text is split once, level by level, so a
// field of many repetitions costs linear time.
void WriteField(Writer& w, const lis::Segment& s, int field) {
  std::string_view raw = s.RawField(field);
  w.StartArray();
  if (s.IsHeader() && field <= 2) {  // the delimiters themselves: never split or decoded
    w.StartArray();
    String(w, std::string(raw));
    w.EndArray();
  } else if (!raw.empty()) {
    const lis::Delimiters& d = s.delimiters();
    for (std::string_view rep : lis::SplitView(raw, d.repetition)) {
      w.StartArray();
      for (std::string_view comp : lis::SplitView(rep, d.component)) {
        std::vector<std::string_view> subs = lis::SplitView(comp, d.subcomponent);
        if (subs.size() > 1) w.StartArray();
        for (std::string_view sub : subs) String(w, lis::Unescape(sub, d, s.charset()));
        if (subs.size() > 1) w.EndArray();
      }
      w.EndArray();
    }
  }
  w.EndArray();
}

void WriteSegment(Writer& w, const lis::Segment& s) {
  w.StartObject();
  w.Key("name");
  String(w, s.name());
  w.Key("line");
  w.Int(s.line());
  w.Key("fields");
  w.StartArray();
  for (int f = 1; f <= s.FieldCount(); ++f) WriteField(w, s, f);
  w.EndArray();
  w.EndObject();
}

void WriteMessage(Writer& w, const lis::Message& m) {
  w.StartObject();
  auto key = [&](const char* k, const std::string& v) {
    w.Key(k);
    String(w, v);
  };
  key("type", m.Type());
  key("structure", m.MessageStructure());
  key("controlId", m.ControlId());
  key("version", m.Version());
  key("charset", m.CharacterSet());
  key("delimiters", std::string(1, m.delimiters().field) + m.delimiters().EncodingCharacters());
  w.Key("segments");
  w.StartArray();
  for (const lis::Segment& s : m.segments()) WriteSegment(w, s);
  w.EndArray();
  w.EndObject();
}

// FHS, BHS, BTS, FTS in input order; empty for a plain message.
std::vector<const lis::Segment*> Envelope(const lis::BatchFile& f) {
  std::vector<const lis::Segment*> out;
  if (f.header) out.push_back(&*f.header);
  for (const lis::Batch& b : f.batches) {
    if (b.header) out.push_back(&*b.header);
    if (b.trailer) out.push_back(&*b.trailer);
  }
  if (f.trailer) out.push_back(&*f.trailer);
  return out;
}

// The ACK as text to read: segments on lines of their own (the wire form ends them with CR).
void PrintAck(const lis::Message& ack) {
  std::string text = lis::Encode(ack);
  for (char& c : text) {
    if (c == '\r') c = '\n';
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace

int RunHl7Parse(const std::string& path) {
  std::string text;
  if (!ReadInput(path, &text)) return Fail("cannot read " + path);
  auto file = lis::ParseBatch(text);
  if (!file.ok()) return Fail(path + ": " + file.status().message());
  rapidjson::StringBuffer out;
  Writer w(out);
  w.StartObject();
  w.Key("messages");
  w.StartArray();
  for (const lis::Message* m : file->Messages()) WriteMessage(w, *m);
  w.EndArray();
  std::vector<const lis::Segment*> envelope = Envelope(*file);
  if (!envelope.empty()) {
    w.Key("envelope");
    w.StartArray();
    for (const lis::Segment* s : envelope) WriteSegment(w, *s);
    w.EndArray();
  }
  w.EndObject();
  std::printf("%s\n", out.GetString());
  return 0;
}

int RunHl7Ack(const std::string& path) {
  std::string text;
  if (!ReadInput(path, &text)) return Fail("cannot read " + path);
  lis::ParseError error;
  auto file = lis::ParseBatch(text, &error);
  if (!file.ok()) {
    PrintAck(lis::BuildRejectAck(text, error));
    return Fail(path + ": AR: " + error.ToString());
  }
  int rc = 0;
  for (const lis::Message* m : file->Messages()) {
    std::vector<lis::AckError> errors = lis::ValidateMessage(*m);
    lis::AckCode code = lis::AckCodeFor(errors);
    PrintAck(lis::BuildAck(*m, code, errors));
    if (code != lis::AckCode::kAccept) {
      rc = Fail(path + ": message " + m->ControlId() + ": " + std::string(lis::AckCodeText(code)) +
                ": " + errors.front().user_message);
    }
  }
  return rc;
}

}  // namespace hb::app
