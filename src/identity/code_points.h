// Code-point level helpers for the identity module: UTF-8 decoding and encoding,
// and simple case mapping of the Latin letters that Vietnamese names use.
//
// Contract: pure functions, thread-safe. DecodeUtf8 never fails: each malformed
// byte (bad lead or continuation byte, overlong form, surrogate, > U+10FFFF)
// becomes U+FFFD, so callers that must reject bad input check IsValidUtf8
// (common/utf8.h) first. The case mapping covers ASCII, Latin-1, Latin
// Extended-A, Ơ/Ư and Latin Extended Additional (every precomposed Vietnamese
// vowel); other code points map to themselves.
#pragma once

#include <string>
#include <string_view>

namespace hb::identity {

inline constexpr char32_t kReplacementChar = 0xFFFD;

std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(std::u32string_view cps);

char32_t ToLowerLatin(char32_t cp);
char32_t ToUpperLatin(char32_t cp);
// True for a letter this module can case-map or an ASCII letter.
bool IsCasedLatin(char32_t cp);

// White space as a scanner or a keyboard may produce it: ASCII space, TAB, CR,
// LF, VT, FF, NBSP, U+1680, U+2000..U+200A, U+2028/2029, U+202F, U+205F, U+3000.
bool IsSpace(char32_t cp);
// Characters that never belong in card text and are dropped: C0 and C1 controls
// (other than the white space above), DEL, zero-width and bidi marks, the BOM,
// and U+FFFD left by malformed bytes.
bool IsJunk(char32_t cp);

}  // namespace hb::identity
