#include "lis/parser.h"

#include <cctype>

#include "lis/escape.h"

namespace hb::lis {

namespace {

constexpr int kMshMinFields = 12;  // through MSH-12 version ID

struct Line {
  std::string_view text;
  int number = 0;
};

bool Blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// Cuts the input at CR, LF and CRLF, counting lines as an editor does, and drops blank lines.
std::vector<Line> SplitLines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Line> lines;
  int number = 1;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\r' && text[i] != '\n') continue;
    std::string_view line = text.substr(start, i - start);
    if (!Blank(line)) lines.push_back({line, number});
    if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
    ++number;
    start = i + 1;
  }
  return lines;
}

std::string_view NameOf(std::string_view line) { return line.substr(0, 3); }

bool IsEnvelope(std::string_view name) {
  return name == "FHS" || name == "BHS" || name == "BTS" || name == "FTS";
}

bool IsHeaderName(std::string_view name) { return name == "MSH" || name == "FHS" || name == "BHS"; }

// Up to `max` bytes of raw input for an error message: printable ASCII and whole UTF-8
// characters are kept, anything else (control bytes, broken UTF-8) becomes '?', so that the
// message itself is always clean text for logs, JSON and ACKs.
std::string Quote(std::string_view raw, size_t max) {
  std::string out;
  size_t i = 0;
  while (i < raw.size() && i < max) {
    auto b = static_cast<unsigned char>(raw[i]);
    size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
    std::string_view piece = raw.substr(i, len);
    bool whole = piece.size() == len && FindInvalidUtf8(piece) == std::string_view::npos;
    if (b < 0x80) {
      out += b >= 0x20 && b < 0x7F ? raw[i] : '?';
    } else if (whole && i + len > max) {
      break;  // a character that does not fit whole
    } else if (whole) {
      out += piece;
    } else {
      out += '?';
      len = 1;
    }
    i += len;
  }
  return out;
}

bool IsNameChar(char c) {
  return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
}

class Parser {
 public:
  explicit Parser(ParseError* error) : error_(error) {}

  Result<BatchFile> Run(std::string_view text) {
    std::vector<Line> lines = SplitLines(text);
    if (lines.empty()) return Fail(ParseErrorKind::kNoMsh, {}, "the input holds no segments");
    for (size_t i = 0; i < lines.size();) {
      std::string_view name = NameOf(lines[i].text);
      if (file_closed_) {
        ++segment_;
        return Fail(ParseErrorKind::kBatchStructure, lines[i],
                    "segment after FTS, which ends the file");
      }
      if (name == "MSH") {
        size_t end = i + 1;
        while (end < lines.size() && NameOf(lines[end].text) != "MSH" &&
               !IsEnvelope(NameOf(lines[end].text))) {
          ++end;
        }
        HB_ASSIGN_OR_RETURN(Message m, ReadMessage(lines, i, end));
        if (file_.batches.empty() || batch_closed_) {
          file_.batches.emplace_back();
          batch_closed_ = false;
        }
        file_.batches.back().messages.push_back(std::move(m));
        i = end;
        continue;
      }
      if (IsEnvelope(name)) {
        HB_RETURN_IF_ERROR(ReadEnvelope(lines[i]));
        ++i;
        continue;
      }
      ++segment_;
      if (i == 0) {
        return Fail(
            ParseErrorKind::kNoMsh, lines[i],
            "the input does not start with MSH (it begins '" + Quote(lines[i].text, 16) + "')");
      }
      return Fail(ParseErrorKind::kNoMsh, lines[i],
                  "segment '" + Quote(lines[i].text, 3) +
                      "' comes before any MSH; a message starts with MSH");
    }
    return std::move(file_);
  }

 private:
  Status Fail(ParseErrorKind kind, const Line& line, std::string reason, int field = 0,
              int occurrence = 0) {
    ParseError e;
    e.kind = kind;
    e.line = line.number;
    e.segment = line.text.empty() ? 0 : segment_;
    e.segment_name = line.text.empty() ? "" : Quote(line.text, 3);
    e.occurrence = occurrence;
    e.field = field;
    e.reason = std::move(reason);
    Status s = e.ToStatus();
    if (error_ != nullptr) *error_ = std::move(e);
    return s;
  }

  // The segment name must be three uppercase letters or digits, then a field separator (or
  // the end of the line).
  Status CheckName(const Line& line, char field_separator) {
    std::string_view t = line.text;
    bool ok = t.size() >= 3 && IsNameChar(t[0]) && IsNameChar(t[1]) && IsNameChar(t[2]);
    if (ok && t.size() > 3) ok = field_separator == 0 ? !IsNameChar(t[3]) : t[3] == field_separator;
    if (ok) return Status::Ok();
    size_t end = 0;
    while (end < t.size() && end < 12 &&
           (field_separator == 0 ? IsNameChar(t[end]) || end < 3 : t[end] != field_separator)) {
      ++end;
    }
    return Fail(ParseErrorKind::kBadSegmentName, line,
                "segment name '" + Quote(t, end) +
                    "' is not 3 uppercase letters or digits followed by the field separator");
  }

  Result<Delimiters> ReadHeaderDelimiters(const Line& line) {
    if (line.text.size() > 3 && IsNameChar(line.text[3])) return CheckName(line, 0);
    DelimiterError why;
    auto d = ReadDelimiters(line.text, &why);
    if (d.ok()) return d;
    ParseErrorKind kind = ParseErrorKind::kBadDelimiter;
    if (why == DelimiterError::kTooShort) kind = ParseErrorKind::kMshTooShort;
    if (why == DelimiterError::kMissingEncodingCharacters ||
        why == DelimiterError::kTooManyEncodingCharacters) {
      kind = ParseErrorKind::kMissingEncodingCharacters;
    }
    if (why == DelimiterError::kDuplicate) kind = ParseErrorKind::kDuplicateDelimiter;
    int field = why == DelimiterError::kTooShort ? 0 : 2;
    return Fail(kind, line, d.status().message(), field, 1);
  }

  // One line (already UTF-8) as a Segment: name, fields split, escapes checked.
  Result<Segment> ReadSegment(const Line& line, std::string_view text, const Delimiters& d,
                              Charset charset, int occurrence) {
    std::string_view name = NameOf(text);
    std::vector<std::string> fields{std::string(name)};
    std::string_view rest;
    if (IsHeaderName(name)) {
      fields.emplace_back(1, d.field);
      fields.push_back(d.EncodingCharacters());
      size_t prefix = HeaderPrefixLength(d);
      if (text.size() > prefix) rest = text.substr(prefix + 1);
      if (text.size() > prefix) {
        for (std::string_view f : SplitView(rest, d.field)) fields.emplace_back(f);
      }
    } else {
      HB_RETURN_IF_ERROR(CheckName(line, d.field));
      if (text.size() > 3) {
        for (std::string_view f : SplitView(text.substr(4), d.field)) fields.emplace_back(f);
      }
    }
    for (size_t f = IsHeaderName(name) ? 3 : 1; f < fields.size(); ++f) {
      Status s = CheckEscapes(fields[f], d, charset);
      if (!s.ok()) {
        return Fail(ParseErrorKind::kBadEscape, line, s.message(), static_cast<int>(f), occurrence);
      }
    }
    return Segment(std::move(fields), d, charset, line.number);
  }

  Result<Message> ReadMessage(const std::vector<Line>& lines, size_t begin, size_t end) {
    const Line& msh = lines[begin];
    ++segment_;
    HB_ASSIGN_OR_RETURN(Delimiters d, ReadHeaderDelimiters(msh));
    last_delimiters_ = d;
    have_delimiters_ = true;
    // MSH-18 is read from the raw bytes: the set must be known before anything is converted.
    std::vector<std::string_view> raw = SplitView(msh.text, d.field);
    if (static_cast<int>(raw.size()) < kMshMinFields) {
      return Fail(ParseErrorKind::kMshTooShort, msh,
                  "MSH has " + std::to_string(raw.size()) + " fields; at least " +
                      std::to_string(kMshMinFields) + " are required (through MSH-12 version ID)",
                  0, 1);
    }
    std::string_view msh18 = raw.size() > 17 ? raw[17] : std::string_view();
    msh18 = msh18.substr(0, msh18.find(d.repetition));
    msh18 = msh18.substr(0, msh18.find(d.component));
    auto charset = ParseCharset(Unescape(msh18, d, Charset::kUtf8));
    if (!charset.ok()) {
      return Fail(ParseErrorKind::kBadCharset, msh, charset.status().message(), 18, 1);
    }
    std::vector<Segment> segments;
    std::vector<std::pair<std::string, int>> seen;  // occurrence counts by name
    for (size_t i = begin; i < end; ++i) {
      if (i > begin) ++segment_;
      const Line& line = lines[i];
      std::string name(NameOf(line.text));
      int occurrence = 1;
      for (auto& [n, count] : seen) {
        if (n == name) occurrence = ++count;
      }
      if (occurrence == 1) seen.emplace_back(name, 1);
      auto text = ToUtf8(line.text, *charset);
      if (!text.ok()) {
        return Fail(ParseErrorKind::kBadCharset, line, text.status().message(), 0, occurrence);
      }
      HB_ASSIGN_OR_RETURN(Segment s, ReadSegment(line, *text, d, *charset, occurrence));
      segments.push_back(std::move(s));
    }
    return Message(d, *charset, std::move(segments));
  }

  Status ReadEnvelope(const Line& line) {
    ++segment_;
    std::string name(NameOf(line.text));
    Delimiters d = last_delimiters_;
    if (IsHeaderName(name)) {
      HB_ASSIGN_OR_RETURN(d, ReadHeaderDelimiters(line));
      last_delimiters_ = d;
      have_delimiters_ = true;
    } else if (!have_delimiters_) {
      return Fail(ParseErrorKind::kBatchStructure, line,
                  name + " closes nothing: no FHS, BHS or MSH before it");
    }
    auto text = ToUtf8(line.text, Charset::kAscii);
    if (!text.ok()) return Fail(ParseErrorKind::kBadCharset, line, text.status().message(), 0, 1);
    HB_ASSIGN_OR_RETURN(Segment s, ReadSegment(line, *text, d, Charset::kAscii, 1));
    if (name == "FHS") {
      if (segment_ != 1)
        return Fail(ParseErrorKind::kBatchStructure, line, "FHS must be the first segment");
      file_.header = std::move(s);
    } else if (name == "BHS") {
      file_.batches.emplace_back();
      file_.batches.back().header = std::move(s);
      batch_closed_ = false;
    } else if (name == "BTS") {
      if (file_.batches.empty() || batch_closed_ || !file_.batches.back().header) {
        return Fail(ParseErrorKind::kBatchStructure, line, "BTS without an open BHS batch");
      }
      Batch& b = file_.batches.back();
      HB_RETURN_IF_ERROR(CheckCount(line, s, b.messages.size(), "messages"));
      b.trailer = std::move(s);
      batch_closed_ = true;
    } else {  // FTS
      if (!file_.header) return Fail(ParseErrorKind::kBatchStructure, line, "FTS without FHS");
      HB_RETURN_IF_ERROR(CheckCount(line, s, file_.batches.size(), "batches"));
      file_.trailer = std::move(s);
      file_closed_ = true;
    }
    return Status::Ok();
  }

  // BTS-1 / FTS-1 carry how many messages / batches the sender wrote: a mismatch means the
  // input was cut or spliced, and losing a lab result silently is the one thing not allowed.
  Status CheckCount(const Line& line, const Segment& s, size_t actual, const char* what) {
    std::string declared = s.Get(1);
    if (declared.empty()) return Status::Ok();
    if (declared != std::to_string(actual)) {
      return Fail(ParseErrorKind::kBatchStructure, line,
                  s.name() + "-1 declares " + declared + " " + what + " but " +
                      std::to_string(actual) + " were read",
                  1, 1);
    }
    return Status::Ok();
  }

  ParseError* error_;
  BatchFile file_;
  int segment_ = 0;
  bool batch_closed_ = false;
  bool file_closed_ = false;
  Delimiters last_delimiters_;
  bool have_delimiters_ = false;
};

}  // namespace

std::string_view ParseErrorKindName(ParseErrorKind kind) {
  switch (kind) {
    case ParseErrorKind::kNoMsh:
      return "no-msh";
    case ParseErrorKind::kMshTooShort:
      return "msh-too-short";
    case ParseErrorKind::kMissingEncodingCharacters:
      return "missing-encoding-characters";
    case ParseErrorKind::kBadDelimiter:
      return "bad-delimiter";
    case ParseErrorKind::kDuplicateDelimiter:
      return "duplicate-delimiter";
    case ParseErrorKind::kBadEscape:
      return "bad-escape";
    case ParseErrorKind::kBadSegmentName:
      return "bad-segment-name";
    case ParseErrorKind::kBadCharset:
      return "bad-charset";
    case ParseErrorKind::kBatchStructure:
      return "batch-structure";
    case ParseErrorKind::kNotOneMessage:
      return "not-one-message";
  }
  return "unknown";
}

std::string ParseError::ToString() const {
  if (line == 0) return reason;
  std::string out = "line " + std::to_string(line);
  if (segment > 0) {
    out += " (segment " + std::to_string(segment);
    if (!segment_name.empty()) {
      out += ", " + segment_name;
      if (field > 0) out.append(1, '-').append(std::to_string(field));
    }
    out += ")";
  }
  return out + ": " + reason;
}

Status ParseError::ToStatus() const {
  std::string location = segment_name;
  if (!location.empty() && field > 0) location.append(1, '-').append(std::to_string(field));
  return Status(ErrorCode::kMalformedHl7, ToString(), location);
}

Result<BatchFile> ParseBatch(std::string_view text, ParseError* error) {
  return Parser(error).Run(text);
}

Result<Message> ParseMessage(std::string_view text, ParseError* error) {
  HB_ASSIGN_OR_RETURN(BatchFile file, ParseBatch(text, error));
  bool envelope = file.header || file.trailer;
  for (const Batch& b : file.batches) envelope |= b.header || b.trailer;
  if (envelope || file.MessageCount() != 1) {
    ParseError e;
    e.kind = ParseErrorKind::kNotOneMessage;
    e.reason = "expected one message without batch envelope; the input holds " +
               std::to_string(file.MessageCount()) + " messages" +
               (envelope ? " in a batch envelope" : "");
    Status s = e.ToStatus();
    if (error != nullptr) *error = std::move(e);
    return s;
  }
  return std::move(file.batches.front().messages.front());
}

}  // namespace hb::lis
