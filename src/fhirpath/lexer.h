// Lexer: FHIRPath source text to tokens (http://hl7.org/fhirpath/N1/#lexical-elements).
//
// Skips white space and comments (// to the end of the line, /* ... */), decodes string and
// delimited-identifier escapes (\' \" \` \\ \/ \f \n \r \t \uXXXX) and reads the literal
// forms of numbers, dates (@2015-02-04), dateTimes (@2015-02-04T14:34:28+10:00) and times
// (@T14:34). Keywords stay identifiers: the parser gives them meaning by position.
//
// Thread-safety: a pure function. Ownership: tokens view the source text (raw) or own their
// decoded text. Failure modes: kInvalidArgument "syntax error at N: ..." with the offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::fhirpath::internal {

enum class TokenKind : uint8_t {
  kEnd,
  kIdentifier,  // text: the name; `delimited` set for `...` forms
  kString,      // text: decoded
  kNumber,      // raw digits: "12", "1.50"
  kDate,        // raw without '@': "2015-02"
  kDateTime,    // "2015-02-04T14:34", also "2015T"
  kTime,        // raw without "@T": "14:34"
  kExternal,    // %name: text is the name
  kSpecial,     // $this, $index, $total: text without '$'
  kSymbol,      // ( ) [ ] { } , . + - * / & | < <= > >= = != ~ !~
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  uint32_t pos = 0;  // byte offset in the source
  bool delimited = false;
};

Result<std::vector<Token>> Tokenize(std::string_view source);

// The character a one-letter escape stands for: \n \r \t \f \b, else `e` itself (\' \\ ...).
char UnescapeChar(char e);

// The Status for a syntax error at `pos`.
Status SyntaxError(uint32_t pos, std::string_view what);

}  // namespace hb::fhirpath::internal
