// Delimiters: the separators and escape character an HL7 v2 message declares in its header.
//
// Contract: a value type. ReadDelimiters() reads them from the start of an MSH, FHS or BHS
// segment, where the fourth character is the field separator and the next field (MSH-2) holds
// the encoding characters in the fixed order component, repetition, escape, subcomponent and,
// from v2.7 on, truncation. It refuses what a receiver cannot parse unambiguously: fewer than
// four encoding characters, more than five, a character used twice, or a letter, digit, space
// or line break used as a delimiter. Thread-compatible.
// Spec: HL7 v2.5.1 chapter 2, section 2.5.4 (message delimiters) and MSH-1/MSH-2.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::lis {

struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  char truncation = '\0';  // '\0': not declared (v2.7 adds '#'); never used before v2.7

  // MSH-2 as declared: "^~\&" (plus the truncation character when there is one).
  std::string EncodingCharacters() const;
  // True for any of the separators (not the escape character): the characters that end a
  // value and that must be escaped inside one.
  bool IsSeparator(char c) const {
    return c == field || c == component || c == repetition || c == subcomponent;
  }
  bool operator==(const Delimiters&) const = default;
};

// Why ReadDelimiters refused a header, for callers that map it to their own codes.
enum class DelimiterError {
  kNone,
  kTooShort,                   // the segment ends before MSH-1
  kMissingEncodingCharacters,  // MSH-2 has fewer than 4 characters
  kTooManyEncodingCharacters,  // MSH-2 has more than 5
  kUnusable,                   // a letter, digit, space or control character
  kDuplicate,                  // one character declared twice
};

// Reads the delimiters from a header segment's text ("MSH|^~\&|..."); `segment` is one line
// without its terminator. The error message names what is wrong ("MSH-1/MSH-2 declare the
// delimiter '^' twice"); the caller adds the position. `why`, when given, gets the reason.
Result<Delimiters> ReadDelimiters(std::string_view segment, DelimiterError* why = nullptr);

// The length of the header prefix that ReadDelimiters consumed: the three-letter name, the
// field separator and the encoding characters ("MSH|^~\&" is 8).
size_t HeaderPrefixLength(const Delimiters& d);

}  // namespace hb::lis
