#include "lis/encoder.h"

namespace hb::lis {

std::string EncodeSegment(const Segment& segment) {
  const std::vector<std::string>& fields = segment.raw_fields();
  char sep = segment.delimiters().field;
  std::string out = fields.front();
  size_t first = 1;
  if (segment.IsHeader() && fields.size() > 2) {
    // Fields 1 and 2 are the delimiters themselves: "MSH" "|" "^~\&" run together.
    out += fields[1];
    out += fields[2];
    first = 3;
  }
  for (size_t i = first; i < fields.size(); ++i) {
    out += sep;
    out += fields[i];
  }
  return out;
}

std::string Encode(const Message& message) {
  std::string out;
  for (const Segment& s : message.segments()) {
    out += EncodeSegment(s);
    out += '\r';
  }
  return out;
}

namespace {

// Writes the envelope and, through `message`, each message; stops at the first failure.
Result<std::string> EncodeFile(const BatchFile& file,
                               Result<std::string> (*message)(const Message&)) {
  std::string out;
  auto segment = [&out](const std::optional<Segment>& s) {
    if (!s) return;
    out += EncodeSegment(*s);
    out += '\r';
  };
  segment(file.header);
  for (const Batch& b : file.batches) {
    segment(b.header);
    for (const Message& m : b.messages) {
      HB_ASSIGN_OR_RETURN(std::string text, message(m));
      out += text;
    }
    segment(b.trailer);
  }
  segment(file.trailer);
  return out;
}

Result<std::string> EncodeUtf8(const Message& m) { return Encode(m); }

}  // namespace

std::string Encode(const BatchFile& file) { return *EncodeFile(file, &EncodeUtf8); }

Result<std::string> EncodeForWire(const Message& message) {
  return FromUtf8(Encode(message), message.charset());
}

Result<std::string> EncodeForWire(const BatchFile& file) {
  return EncodeFile(file, [](const Message& m) { return EncodeForWire(m); });
}

}  // namespace hb::lis
