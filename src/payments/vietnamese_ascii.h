// Vietnamese text to plain ASCII, for payment QR fields that must be ASCII (the purpose of a
// transfer): "Thanh toán viện phí Đợt 2" -> "Thanh toan vien phi Dot 2".
//
// Every Vietnamese letter loses its tone and vowel marks (ă â ê ô ơ ư and the five tones);
// đ becomes d and Đ becomes D. Both composed (NFC) and decomposed (NFD, as macOS keyboards
// send) input work: the combining marks Vietnamese uses are dropped. Ð (U+00D0), which old
// Vietnamese encodings used for Đ, also becomes D. Any other non-ASCII character is an error
// naming it, never silently dropped, so that a purpose does not lose meaning unnoticed.
//
// Contract: pure function, thread-safe. kInvalidArgument for invalid UTF-8 or a character
// outside ASCII that is not Vietnamese ("U+4E2D at character 3 cannot be written in ASCII").
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::payments {

Result<std::string> FoldVietnameseToAscii(std::string_view utf8);

}  // namespace hb::payments
