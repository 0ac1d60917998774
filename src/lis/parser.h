// Parser: HL7 v2 text (v2.3 to v2.5.1) into Message / BatchFile.
//
// Tolerated, because real senders do it: segment terminators CR, LF, CRLF or a mix; blank and
// whitespace-only lines; a UTF-8 byte order mark; trailing separators and empty trailing
// fields (kept, so encoding gives them back); Z-segments; several messages in one input with
// or without FHS/BHS/BTS/FTS envelopes; batch trailers left out.
// Refused, with the line, the segment's position and a reason (ParseError):
//   no MSH first, MSH too short (it must reach MSH-12), missing, extra, unusable or duplicate
//   delimiters, an escape sequence that does not end in its value, a segment name that is not
//   three uppercase letters or digits, bytes the declared character set cannot hold, batch
//   envelopes out of place, and BTS-1/FTS-1 counts that do not match what was read.
// Character sets: each message is converted from its MSH-18 set to UTF-8 (charset.h) before it
// is split, so values are always UTF-8.
// Contract: pure functions, thread-safe. Input size is the caller's limit (MLLP has one).
// Spec: HL7 v2.5.1 chapter 2 (2.5 message construction, 2.10.3 batch protocol).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "lis/message.h"

namespace hb::lis {

enum class ParseErrorKind {
  kNoMsh,                      // empty input, or a segment other than FHS/BHS/MSH first
  kMshTooShort,                // the header ends before its delimiters or before MSH-12
  kMissingEncodingCharacters,  // MSH-2 has fewer than 4 characters (or more than 5)
  kBadDelimiter,               // a letter, digit, space or control character as a delimiter
  kDuplicateDelimiter,         // one character declared for two roles
  kBadEscape,                  // an unterminated, empty or malformed escape sequence
  kBadSegmentName,             // not three uppercase letters or digits, then the separator
  kBadCharset,                 // MSH-18 unsupported, or bytes not in the declared set
  kBatchStructure,             // FHS/BHS/BTS/FTS out of place or counts that do not match
  kNotOneMessage,              // ParseMessage was given zero or several messages
};

std::string_view ParseErrorKindName(ParseErrorKind kind);

// Where and why parsing stopped. Positions are 1-based; 0 means not applicable.
struct ParseError {
  ParseErrorKind kind = ParseErrorKind::kNoMsh;
  int line = 0;     // line of the input (CR, LF and CRLF each end one line)
  int segment = 0;  // position of the segment in the input, blank lines not counted
  std::string segment_name;
  int occurrence = 0;  // which segment of that name within its message (for ERR-2.2)
  int field = 0;
  std::string reason;  // what is wrong, without the position

  // "line 3 (segment 2, PID-5): unterminated escape sequence starting at character 4"
  std::string ToString() const;
  // A kMalformedHl7 Status with ToString() as message and "PID-5" style location.
  Status ToStatus() const;
};

// Parses an input holding any number (at least one) of messages, with or without batch
// envelopes. On failure returns the error's Status and, when `error` is given, fills it.
Result<BatchFile> ParseBatch(std::string_view text, ParseError* error = nullptr);

// Parses an input that must hold exactly one message and no batch envelope.
Result<Message> ParseMessage(std::string_view text, ParseError* error = nullptr);

}  // namespace hb::lis
